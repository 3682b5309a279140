"""E911 v2 over HTTP: validate, create, update, delete addresses; assign them to numbers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.db.base import utcnow
from longcode.e911 import service
from longcode.e911.addresses import validate
from longcode.e911.schemas import e911_resource
from longcode.http.auth import CurrentPrincipal
from longcode.http.body import jsonapi_attributes, read_json
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import page_links, parse_page
from longcode.http.state import SessionDep, StateDep, base_url
from longcode.numbers import schemas as number_schemas
from longcode.numbers import service as numbers_service

router = APIRouter(tags=["e911"], responses=ERROR_RESPONSES)

FILTERS = ("label", "street_name", "city", "state")


@router.get("/v2/e911s", operation_id="list_e911s")
async def list_e911s(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """The account's addresses; `state` (exact), `label`, `street_name`, `city` (contain)."""
    params = request.query_params
    filters = {name: params[name] for name in FILTERS if params.get(name)}
    page = parse_page(params, default_limit=10, max_limit=2000)
    records, has_more = await service.list_records(
        session=session,
        account_id=principal.account_id,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
    )
    base = base_url(request, state.settings)
    return JsonApiResponse(
        {
            "data": [e911_resource(record, base) for record in records],
            "links": page_links(f"{base}/v2/e911s", list(filters.items()), page, has_more=has_more),
        }
    )


@router.post("/v2/e911s/validate", status_code=204, operation_id="validate_e911")
async def validate_e911(request: Request, principal: CurrentPrincipal) -> Response:
    """204 when the address is valid; 422 naming each wrong field otherwise. Stores nothing."""
    validate(jsonapi_attributes(await read_json(request)))
    return Response(status_code=204)


@router.post("/v2/e911s", status_code=201, operation_id="create_e911")
async def create_e911(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    attributes = jsonapi_attributes(await read_json(request))
    record = await service.create(session=session, account_id=principal.account_id, attributes=attributes)
    await session.commit()
    return JsonApiResponse(
        {"data": e911_resource(record, base_url(request, state.settings))}, status_code=201
    )


@router.get("/v2/e911s/{e911_id}", operation_id="get_e911")
async def get_e911(
    e911_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    record = await service.get(session=session, account_id=principal.account_id, e911_id=e911_id)
    return JsonApiResponse({"data": e911_resource(record, base_url(request, state.settings))})


@router.patch("/v2/e911s/{e911_id}", operation_id="update_e911")
async def update_e911(
    e911_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    attributes = jsonapi_attributes(await read_json(request))
    record = await service.update(
        session=session, account_id=principal.account_id, e911_id=e911_id, attributes=attributes
    )
    await session.commit()
    return JsonApiResponse({"data": e911_resource(record, base_url(request, state.settings))})


@router.delete("/v2/e911s/{e911_id}", status_code=204, operation_id="delete_e911")
async def delete_e911(e911_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Delete an address no number uses (409 while one does)."""
    await service.delete(session=session, account_id=principal.account_id, e911_id=e911_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/v2/e911s/{e911_id}/relationships/numbers", operation_id="list_e911_numbers")
async def list_e911_numbers(
    e911_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    record = await service.get(session=session, account_id=principal.account_id, e911_id=e911_id)
    page = parse_page(request.query_params, default_limit=10, max_limit=200)
    numbers = await service.numbers_using(session, record)
    base, now = base_url(request, state.settings), utcnow()
    shown = numbers[page.offset : page.offset + page.limit]
    data = []
    for number in shown:
        item = number_schemas.number_list_item(number, base, now)
        item["attributes"] = {"alias": number.alias, "value": number.value}
        data.append(item)
    has_more = len(numbers) > page.offset + page.limit
    return JsonApiResponse(
        {
            "data": data,
            "links": page_links(
                f"{base}/v2/e911s/{record.id}/relationships/numbers", [], page, has_more=has_more
            ),
        }
    )


@router.patch(
    "/v2/numbers/{number_id}/relationships/e911s/{e911_id}", status_code=204, operation_id="assign_e911"
)
async def assign_e911(
    number_id: str, e911_id: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """Give the number this address (idempotent); 422 for toll-free numbers."""
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    record = await service.get(session=session, account_id=principal.account_id, e911_id=e911_id)
    service.assign(number, record)
    await session.commit()
    return Response(status_code=204)


@router.delete("/v2/numbers/{number_id}/relationships/e911s", status_code=204, operation_id="remove_e911")
async def remove_e911(number_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    number.e911_id = None
    await session.commit()
    return Response(status_code=204)
