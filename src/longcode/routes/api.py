"""Routes v2 over HTTP: the account's inbound routes and each number's primary and failover."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.errors import Invalid
from longcode.http.auth import CurrentPrincipal
from longcode.http.body import jsonapi_attributes, read_json, require_object
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import page_links, parse_page
from longcode.http.state import SessionDep, StateDep, base_url
from longcode.numbers import service as numbers_service
from longcode.routes import service
from longcode.routes.models import ROUTE_TYPES
from longcode.routes.schemas import edge_strategy_resource, route_resource

router = APIRouter(tags=["routes"], responses=ERROR_RESPONSES)


def _document(resource: dict[str, Any]) -> dict[str, Any]:
    return {"data": resource, "links": {"self": resource["links"]["self"]}}


@router.post("/v2/routes", status_code=201, operation_id="create_route")
async def create_route(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """`{"data": {"type": "route", "attributes": {route_type, value, alias, edge_strategy_id}}}`."""
    attributes = jsonapi_attributes(await read_json(request))
    route = await service.create_route(
        session=session, account_id=principal.account_id, attributes=attributes
    )
    await session.commit()
    resource = route_resource(route, base_url(request, state.settings))
    return JsonApiResponse(_document(resource), status_code=201)


@router.get("/v2/routes/edge_strategies", operation_id="list_edge_strategies")
async def list_edge_strategies(principal: CurrentPrincipal) -> Response:
    return JsonApiResponse({"data": [edge_strategy_resource(edge) for edge in service.EDGE_STRATEGIES]})


@router.get("/v2/routes", operation_id="list_routes")
async def list_routes(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """The built-in sip-reg route (id 0) and the account's own; `route_type` filters."""
    params = request.query_params
    route_type = params.get("route_type") or None
    if route_type is not None and route_type not in ROUTE_TYPES:
        raise Invalid(
            f"'route_type' is one of {', '.join(ROUTE_TYPES)}: got {route_type!r}.",
            code="invalid_route_type",
            pointer="route_type",
        )
    page = parse_page(params, default_limit=10, max_limit=200)
    routes, has_more = await service.list_routes(
        session=session,
        account_id=principal.account_id,
        route_type=route_type,
        limit=page.limit,
        offset=page.offset,
    )
    base = base_url(request, state.settings)
    filters = [("route_type", route_type)] if route_type else []
    return JsonApiResponse(
        {
            "data": [route_resource(route, base) for route in routes],
            "links": page_links(f"{base}/v2/routes", filters, page, has_more=has_more),
        }
    )


@router.get("/v2/routes/{route_id}", operation_id="get_route")
async def get_route(
    route_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    route = await service.get_route(session=session, account_id=principal.account_id, route_id=route_id)
    return JsonApiResponse(_document(route_resource(route, base_url(request, state.settings))))


@router.patch("/v2/routes/{route_id}", operation_id="update_route")
async def update_route(
    route_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    attributes = jsonapi_attributes(await read_json(request))
    route = await service.update_route(
        session=session, account_id=principal.account_id, route_id=route_id, attributes=attributes
    )
    await session.commit()
    return JsonApiResponse(_document(route_resource(route, base_url(request, state.settings))))


@router.delete("/v2/routes/{route_id}", status_code=204, operation_id="delete_route")
async def delete_route(route_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Delete a route no number uses (403 while one does)."""
    await service.delete_route(session=session, account_id=principal.account_id, route_id=route_id)
    await session.commit()
    return Response(status_code=204)


def _route_id(document: object) -> object:
    """`{"data": {"type": "route", "id": "1234"}}` as the docs send it, or `{"id": "1234"}`."""
    body = require_object(document)
    data = body.get("data", body)
    data = require_object(data, "'data'")
    if "id" not in data or data["id"] in (None, ""):
        raise Invalid(
            "'data.id' is required: the id of the route.", code="missing_route_id", pointer="data.id"
        )
    return data["id"]


async def _set_route(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, *, failover: bool
) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    route_id = _route_id(await read_json(request))
    route = await service.get_route(
        session=session, account_id=principal.account_id, route_id=route_id, field="data.id"
    )
    await service.assign(number, route, failover=failover)
    await session.commit()
    return Response(status_code=204)


async def _remove_route(
    number_id: str, principal: CurrentPrincipal, session: SessionDep, *, failover: bool
) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    await service.assign(number, None, failover=failover)
    await session.commit()
    return Response(status_code=204)


PRIMARY = "/v2/numbers/{number_id}/relationships/primary_route"
FAILOVER = "/v2/numbers/{number_id}/relationships/failover_route"


@router.patch(PRIMARY, status_code=204, operation_id="set_primary_route")
async def set_primary_route(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    return await _set_route(number_id, request, principal, session, failover=False)


@router.patch(FAILOVER, status_code=204, operation_id="set_failover_route")
async def set_failover_route(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    return await _set_route(number_id, request, principal, session, failover=True)


@router.delete(PRIMARY, status_code=204, operation_id="remove_primary_route")
async def remove_primary_route(number_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    return await _remove_route(number_id, principal, session, failover=False)


@router.delete(FAILOVER, status_code=204, operation_id="remove_failover_route")
async def remove_failover_route(number_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    return await _remove_route(number_id, principal, session, failover=True)
