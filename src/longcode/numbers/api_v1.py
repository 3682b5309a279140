"""Numbers v1 (the older API) over HTTP, in its own shapes and with its own authentication
(`http/v1_auth.py`), over the same numbers and routes as v2.

Paging is `limit` (1-200, default 10) and `page` (from 1); `links.prev`/`next` are relative
paths as Flowroute sends them. Route types are upper-case and `PSTN` is v2's `number`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from longcode.errors import Invalid
from longcode.http.body import read_json, require_object
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import Page, parse_int
from longcode.http.state import SessionDep, StateDep
from longcode.http.v1_auth import V1Principal
from longcode.money import display
from longcode.numbers import search, service
from longcode.numbers.api import codes_page, query_digits, search_page
from longcode.numbers.models import BILLING_METHODS, Number
from longcode.routes import service as routes_service
from longcode.routes.models import SIP_REG_ROUTE_ID, Route

router = APIRouter(tags=["numbers v1"], responses=ERROR_RESPONSES)

MAX_LIMIT = 200
V1_TYPES = {"HOST": "host", "PSTN": "number", "URI": "uri"}
V2_TYPES = {"host": "HOST", "number": "PSTN", "uri": "URI", "sip-reg": "SIP-REG"}


class JsonResponse(JsonApiResponse):
    media_type = "application/json"


def parse_v1_page(params: QueryParams) -> Page:
    limit = parse_int(params, "limit", 10)
    page = parse_int(params, "page", 1)
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(
            f"'limit' must be 1 to {MAX_LIMIT}: got {limit}.", code="invalid_limit", pointer="limit"
        )
    if page < 1:
        raise Invalid(f"'page' starts at 1: got {page}.", code="invalid_page", pointer="page")
    return Page(limit=limit, offset=(page - 1) * limit)


def v1_links(path: str, filters: list[tuple[str, str]], page: Page, *, has_more: bool) -> dict[str, str]:
    number = page.offset // page.limit + 1

    def url(at: int) -> str:
        return f"{path}?{urlencode([*filters, ('limit', page.limit), ('page', at)])}"

    links = {}
    if number > 1:
        links["prev"] = url(number - 1)
    if has_more:
        links["next"] = url(number + 1)
    return links


def _dollars(amount: int) -> str:
    return display(amount).removeprefix("$")[:-2]  # "$1.2500" -> "1.25"


@router.get("/v1/available-tns/npas/", operation_id="v1_list_npas")
async def list_npas(request: Request, principal: V1Principal, state: StateDep) -> Response:
    page = parse_v1_page(request.query_params)
    codes, has_more = await codes_page(state, principal.key_id, 3, "1", None, page)
    npas = {
        code: {"nxxs": f"/v1/available-tns/npanxxs/?npa={code}", "tns": f"/v1/available-tns/tns/?npa={code}"}
        for code in codes
    }
    return JsonResponse(
        {"npas": npas, "links": v1_links("/v1/available-tns/npas/", [], page, has_more=has_more)}
    )


@router.get("/v1/available-tns/npanxxs/", operation_id="v1_list_npanxxs")
async def list_npanxxs(request: Request, principal: V1Principal, state: StateDep) -> Response:
    """Exchanges with numbers to buy; `npa` may be partial (`20` for 201, 202, ...)."""
    params = request.query_params
    npa = query_digits(params, "npa")
    if npa is not None and len(npa) > 3:
        raise Invalid(f"'npa' is up to three digits: got {npa!r}.", code="invalid_npa", pointer="npa")
    page = parse_v1_page(params)
    codes, has_more = await codes_page(state, principal.key_id, 6, "1" + (npa or ""), None, page)
    npanxxs = {code: {"tns": f"/v1/available-tns/tns/?npa={code[:3]}&nxx={code[3:]}"} for code in codes}
    filters = [("npa", npa)] if npa else []
    links = v1_links("/v1/available-tns/npanxxs/", filters, page, has_more=has_more)
    return JsonResponse({"npanxxs": npanxxs, "links": links})


def _tn_filters(params: QueryParams) -> tuple[search.NumberFilters, list[tuple[str, str]]]:
    npa, nxx = query_digits(params, "npa"), query_digits(params, "nxx")
    if nxx is not None and npa is None:
        raise Invalid("'npa' is required with 'nxx'.", code="npa_required", pointer="npa")
    for name, value in (("npa", npa), ("nxx", nxx)):
        if value is not None and len(value) != 3:
            raise Invalid(f"'{name}' is three digits: got {value!r}.", code=f"invalid_{name}", pointer=name)
    state_code = (params.get("state") or "").strip().lower() or None
    rate_center = (params.get("ratecenter") or "").strip().lower() or None
    if rate_center is not None and state_code is None:
        raise Invalid("'state' is required with 'ratecenter'.", code="state_required", pointer="state")
    tn = query_digits(params, "tn")
    filters = search.NumberFilters(
        starts_with=f"1{npa}{nxx or ''}" if npa else None,
        contains=tn,
        state=state_code,
        rate_center=rate_center,
    )
    shown = [
        (k, v)
        for k, v in (
            ("npa", npa),
            ("nxx", nxx),
            ("state", state_code),
            ("ratecenter", rate_center),
            ("tn", tn),
        )
        if v
    ]
    return filters, shown


@router.get("/v1/available-tns/tns/", operation_id="v1_search_tns")
async def search_tns(request: Request, principal: V1Principal, state: StateDep) -> Response:
    """Purchasable numbers: `npa`, `nxx` (with `npa`), `state`, `ratecenter` (with `state`), `tn`."""
    filters, shown = _tn_filters(request.query_params)
    page = parse_v1_page(request.query_params)
    rows, has_more = await search_page(state, principal.key_id, filters, page)
    tns = {
        row.value: {
            "initial_cost": _dollars(row.setup_cost),
            "monthly_cost": _dollars(row.monthly_cost),
            "state": (row.state or "").upper() or None,
            "ratecenter": (row.rate_center or "").upper() or None,
            "billing_methods": list(BILLING_METHODS),
        }
        for row in rows
    }
    return JsonResponse(
        {"tns": tns, "links": v1_links("/v1/available-tns/tns/", shown, page, has_more=has_more)}
    )


@router.put("/v1/tns/{number_id}", operation_id="v1_purchase")
async def purchase(number_id: str, request: Request, principal: V1Principal, session: SessionDep) -> Response:
    """Buy a number: `{"billing_method": "VPRI"}` or `METERED`. An empty 200, as v1 answers."""
    body = require_object(await read_json(request))
    method = body.get("billing_method")
    if not isinstance(method, str):
        raise Invalid(
            f"'billing_method' is required: one of {', '.join(BILLING_METHODS)}.",
            code="invalid_billing_method",
            pointer="billing_method",
        )
    await service.purchase(
        session=session, account_id=principal.account_id, number_id=number_id, billing_method=method.upper()
    )
    await session.commit()
    return Response(status_code=200)


async def _v1_routes(session: SessionDep, number: Number) -> list[dict[str, str]]:
    """First the primary, then the failover; an unset one shows as the built-in sip-reg."""
    shown = []
    for route_id in (number.primary_route_id, number.failover_route_id):
        route = await session.get(Route, SIP_REG_ROUTE_ID if route_id is None else route_id)
        assert route is not None
        shown.append({"type": V2_TYPES[route.route_type], "name": route.alias})
    return shown


@router.get("/v1/tns/", operation_id="v1_list_tns")
async def list_tns(request: Request, principal: V1Principal, session: SessionDep) -> Response:
    """The account's numbers; `pattern` matches digits anywhere."""
    params = request.query_params
    pattern = query_digits(params, "pattern")
    page = parse_v1_page(params)
    numbers = await service.list_account_numbers(
        session=session,
        account_id=principal.account_id,
        filters=service.AccountNumberFilters(contains=pattern),
        limit=page.limit + 1,
        offset=page.offset,
    )
    tns: dict[str, Any] = {}
    for number in numbers[: page.limit]:
        tns[number.value] = {
            "routes": await _v1_routes(session, number),
            "billing_method": number.billing_method,
            "detail": f"/v1/tns/{number.value}",
        }
    links = v1_links(
        "/v1/tns/", [("pattern", pattern)] if pattern else [], page, has_more=len(numbers) > page.limit
    )
    return JsonResponse({"tns": tns, "links": links})


@router.get("/v1/tns/{number_id}", operation_id="v1_get_tn")
async def get_tn(number_id: str, principal: V1Principal, session: SessionDep) -> Response:
    number = await service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    return JsonResponse(
        {"routes": await _v1_routes(session, number), "billing_method": number.billing_method}
    )


@router.patch("/v1/tns/{number_id}", operation_id="v1_update_tn")
async def update_tn(
    number_id: str, request: Request, principal: V1Principal, session: SessionDep
) -> Response:
    """`{"routes": [{"name": primary}, {"name": failover}]}`: routes by name; an empty 200."""
    number = await service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    body = require_object(await read_json(request))
    routes = body.get("routes")
    if not isinstance(routes, list) or not 1 <= len(routes) <= 2:
        raise Invalid(
            "'routes' is a list of one or two routes by name: primary, then failover.",
            code="invalid_routes",
            pointer="routes",
        )
    chosen = []
    for index, item in enumerate(routes):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise Invalid(
                f"'routes[{index}].name' is required.", code="invalid_routes", pointer=f"routes/{index}/name"
            )
        chosen.append(
            await routes_service.get_route_by_alias(
                session=session, account_id=principal.account_id, alias=name
            )
        )
    await routes_service.assign(number, chosen[0], failover=False)
    await routes_service.assign(number, chosen[1] if len(chosen) > 1 else None, failover=True)
    await session.commit()
    return Response(status_code=200)


@router.get("/v1/routes/", operation_id="v1_list_routes")
async def list_routes(request: Request, principal: V1Principal, session: SessionDep) -> Response:
    page = parse_v1_page(request.query_params)
    routes, has_more = await routes_service.list_routes(
        session=session,
        account_id=principal.account_id,
        route_type=None,
        limit=page.limit,
        offset=page.offset,
    )
    shown = {route.alias: {"type": V2_TYPES[route.route_type], "value": route.value} for route in routes}
    return JsonResponse({"routes": shown, "links": v1_links("/v1/routes/", [], page, has_more=has_more)})


@router.put("/v1/routes/{route_name}", operation_id="v1_create_route")
async def create_route(
    route_name: str, request: Request, principal: V1Principal, session: SessionDep
) -> Response:
    """`{"type": "HOST"|"PSTN"|"URI", "value": ...}` under a unique name; an empty 200."""
    body = require_object(await read_json(request))
    kind = body.get("type")
    if not isinstance(kind, str) or kind.upper() not in V1_TYPES:
        raise Invalid(
            f"'type' is one of {', '.join(V1_TYPES)}: got {kind!r}.",
            code="invalid_route_type",
            pointer="type",
        )
    await routes_service.create_route(
        session=session,
        account_id=principal.account_id,
        attributes={"alias": route_name, "route_type": V1_TYPES[kind.upper()], "value": body.get("value")},
    )
    await session.commit()
    return Response(status_code=200)
