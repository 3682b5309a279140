"""Numbers v2 over HTTP: search and buy numbers, the account's numbers, portability checks."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import QueryParams
from starlette.responses import Response

from longcode.cnam.models import CnamRecord
from longcode.db.base import utcnow
from longcode.e911.models import E911Address
from longcode.errors import Invalid
from longcode.http.auth import CachedPrincipal, CurrentPrincipal
from longcode.http.body import read_fields
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import Page, page_links, parse_page
from longcode.http.state import AppState, SessionDep, StateDep, base_url
from longcode.messaging.models import NumberCallback
from longcode.money import parse_dollars
from longcode.numbers import schemas, search, service
from longcode.numbers.models import TYPE_STANDARD, TYPE_TOLLFREE, Number
from longcode.numbers.portability import check_portable
from longcode.routes.models import Route

router = APIRouter(tags=["numbers"], responses=ERROR_RESPONSES)

MAX_DIGITS = 11
NUMBER_TYPES = {"standard": TYPE_STANDARD, "longcode": TYPE_STANDARD, "tollfree": TYPE_TOLLFREE,
                "toll-free": TYPE_TOLLFREE}  # fmt: skip
MAX_PORTABILITY_NUMBERS = 1000


def query_digits(params: QueryParams, name: str) -> str | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    text = raw.strip().removeprefix("+")
    if not text.isdigit() or not text.isascii() or len(text) > MAX_DIGITS:
        raise Invalid(
            f"'{name}' must be 1 to {MAX_DIGITS} digits: got {raw!r}.", code=f"invalid_{name}", pointer=name
        )
    return text


def starts_with_prefix(params: QueryParams) -> str | None:
    """`starts_with` with the country code: `646` and `1646` both mean numbers `1646...`."""
    digits = query_digits(params, "starts_with")
    if digits is None:
        return None
    return digits if digits.startswith("1") else "1" + digits


def _state(params: QueryParams) -> str | None:
    raw = params.get("state")
    if not raw:
        return None
    if len(raw.strip()) != 2 or not raw.strip().isalpha() or not raw.isascii():
        raise Invalid(
            f"'state' is a two-letter code such as WA: got {raw!r}.", code="invalid_state", pointer="state"
        )
    return raw.strip().lower()


def _rate_center(params: QueryParams, state: str | None) -> str | None:
    raw = params.get("rate_center")
    if not raw:
        return None
    if state is None:
        raise Invalid(
            "'state' is required with 'rate_center' (rate center names repeat across states).",
            code="state_required",
            pointer="state",
        )
    return raw.strip().lower()


def _number_type(params: QueryParams) -> str | None:
    raw = params.get("number_type")
    if not raw:
        return None
    try:
        return NUMBER_TYPES[raw.strip().lower()]
    except KeyError:
        raise Invalid(
            f"'number_type' is one of {', '.join(NUMBER_TYPES)}: got {raw!r}.",
            code="invalid_number_type",
            pointer="number_type",
        ) from None


def max_setup_cost(params: QueryParams) -> int | None:
    raw = params.get("max_setup_cost")
    if raw is None or raw == "":
        return None
    try:
        return parse_dollars(raw)
    except ValueError:
        raise Invalid(
            f"'max_setup_cost' is an amount of dollars such as 3 or 1.50: got {raw!r}.",
            code="invalid_max_setup_cost",
            pointer="max_setup_cost",
        ) from None


async def search_page(
    state: AppState, key_id: int, filters: search.NumberFilters, page: Page
) -> tuple[list[search.Available], bool]:
    """One page of purchasable numbers on the read path (v2 and v1 both search this way)."""
    dialect, now = ("sqlite" if state.settings.is_sqlite else "postgresql"), utcnow()
    return await state.runner.read(
        lambda tx: search.search_available(
            tx, dialect=dialect, key_id=key_id, filters=filters, limit=page.limit, offset=page.offset, now=now
        )
    )


async def codes_page(
    state: AppState, key_id: int, width: int, prefix: str, cost: int | None, page: Page
) -> tuple[list[str], bool]:
    """One page of area codes (`width` 3) or exchanges (6) with numbers to buy."""
    now = utcnow()
    return await state.runner.read(
        lambda tx: search.available_codes(
            tx,
            key_id=key_id,
            width=width,
            prefix=prefix,
            max_setup_cost=cost,
            limit=page.limit,
            offset=page.offset,
            now=now,
        )
    )


def echoed(filters: dict[str, str | None]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in filters.items() if value is not None]


@router.get("/v2/numbers/available", operation_id="search_available_numbers")
async def search_available(request: Request, principal: CachedPrincipal, state: StateDep) -> Response:
    """Purchasable numbers: `starts_with`, `contains`, `ends_with` (digits), `state`,
    `rate_center` (with `state`), `number_type` (`standard`/`longcode` or `tollfree`/`toll-free`)."""
    params = request.query_params
    state_code = _state(params)
    filters = search.NumberFilters(
        starts_with=starts_with_prefix(params),
        contains=query_digits(params, "contains"),
        ends_with=query_digits(params, "ends_with"),
        state=state_code,
        rate_center=_rate_center(params, state_code),
        number_type=_number_type(params),
        max_setup_cost=max_setup_cost(params),
    )
    page = parse_page(params, default_limit=10, max_limit=200)
    rows, has_more = await search_page(state, principal.key_id, filters, page)
    base = base_url(request, state.settings)
    shown = echoed(
        {
            "starts_with": filters.starts_with,
            "contains": filters.contains,
            "ends_with": filters.ends_with,
            "state": filters.state,
            "rate_center": filters.rate_center,
            "number_type": params.get("number_type") or None,
            "max_setup_cost": params.get("max_setup_cost") or None,
        }
    )
    return JsonApiResponse(
        {
            "data": [schemas.available_resource(row, base) for row in rows],
            "links": page_links(f"{base}/v2/numbers/available", shown, page, has_more=has_more),
        }
    )


async def _codes(request: Request, principal: CachedPrincipal, state: StateDep, *, kind: str) -> Response:
    params = request.query_params
    prefix, shown = "1", {"max_setup_cost": params.get("max_setup_cost") or None}
    if kind == "exchange":
        areacode = query_digits(params, "areacode")
        if areacode is not None and len(areacode) != 3:
            raise Invalid(
                f"'areacode' is three digits: got {areacode!r}.", code="invalid_areacode", pointer="areacode"
            )
        prefix += areacode or ""
        shown = {"areacode": areacode, **shown}
    page = parse_page(params, default_limit=10, max_limit=400 if kind == "areacode" else 200)
    width = 3 if kind == "areacode" else 6
    codes, has_more = await codes_page(state, principal.key_id, width, prefix, max_setup_cost(params), page)
    base = base_url(request, state.settings)
    path = "areacodes" if kind == "areacode" else "exchanges"
    return JsonApiResponse(
        {
            "data": [schemas.code_resource(kind, code, base) for code in codes],
            "links": page_links(
                f"{base}/v2/numbers/available/{path}", echoed(shown), page, has_more=has_more
            ),
        }
    )


@router.get("/v2/numbers/available/areacodes", operation_id="list_available_area_codes")
async def list_area_codes(request: Request, principal: CachedPrincipal, state: StateDep) -> Response:
    """Area codes with numbers to buy (`max_setup_cost` in dollars)."""
    return await _codes(request, principal, state, kind="areacode")


@router.get("/v2/numbers/available/exchanges", operation_id="list_available_exchanges")
async def list_exchanges(request: Request, principal: CachedPrincipal, state: StateDep) -> Response:
    """Exchanges (NPA+NXX) with numbers to buy, of one `areacode` or all."""
    return await _codes(request, principal, state, kind="exchange")


@router.get("/v2/numbers", operation_id="list_account_numbers")
async def list_numbers(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """The account's numbers: `starts_with`, `contains`, `ends_with`, `alias` (exact)."""
    params = request.query_params
    filters = service.AccountNumberFilters(
        starts_with=starts_with_prefix(params),
        contains=query_digits(params, "contains"),
        ends_with=query_digits(params, "ends_with"),
        alias=params.get("alias"),
    )
    page = parse_page(params, default_limit=10, max_limit=200)
    numbers = await service.list_account_numbers(
        session=session,
        account_id=principal.account_id,
        filters=filters,
        limit=page.limit + 1,
        offset=page.offset,
    )
    base, now = base_url(request, state.settings), utcnow()
    shown = echoed(
        {
            "starts_with": filters.starts_with,
            "contains": filters.contains,
            "ends_with": filters.ends_with,
            "alias": filters.alias,
        }
    )
    return JsonApiResponse(
        {
            "data": [schemas.number_list_item(number, base, now) for number in numbers[: page.limit]],
            "links": page_links(f"{base}/v2/numbers", shown, page, has_more=len(numbers) > page.limit),
        }
    )


async def number_document(session: AsyncSession, number: Number, base: str) -> dict[str, Any]:
    route_ids = [i for i in (number.primary_route_id, number.failover_route_id) if i is not None]
    routes = {r.id: r for r in await session.scalars(select(Route).where(Route.id.in_(route_ids)))}
    cnam = await session.get(CnamRecord, number.cnam_id) if number.cnam_id is not None else None
    e911 = await session.get(E911Address, number.e911_id) if number.e911_id is not None else None
    rows = await session.execute(
        select(NumberCallback.callback_type, NumberCallback.url).where(NumberCallback.number == number.value)
    )
    callbacks = {str(kind): str(url) for kind, url in rows.all()}
    return schemas.number_document(
        number, base, utcnow(), routes=routes, cnam=cnam, e911=e911, callbacks=callbacks
    )


@router.post("/v2/numbers/{number_id}", status_code=201, operation_id="purchase_number")
async def purchase_number(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """Buy a number from the inventory; no body needed. 201 with the number."""
    number = await service.purchase(session=session, account_id=principal.account_id, number_id=number_id)
    await session.commit()
    document = await number_document(session, number, base_url(request, state.settings))
    return JsonApiResponse(document, status_code=201)


@router.get("/v2/numbers/{number_id}", operation_id="get_number")
async def get_number(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    number = await service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    return JsonApiResponse(await number_document(session, number, base_url(request, state.settings)))


@router.patch("/v2/numbers/{number_id}", operation_id="update_number")
async def update_number(
    number_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """Set `alias`, `cnam_lookups_enabled`, `messaging_enabled` (flat body, as Flowroute's)."""
    attributes = await read_fields(request)
    number = await service.update_number(
        session=session, account_id=principal.account_id, number_id=number_id, attributes=attributes
    )
    await session.commit()
    return JsonApiResponse(await number_document(session, number, base_url(request, state.settings)))


@router.delete("/v2/numbers/{number_id}", status_code=204, operation_id="release_number")
async def release_number(
    number_id: str, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """Release the number: 204; it ages before anyone can buy it again."""
    await service.release(
        session=session, settings=state.settings, account_id=principal.account_id, number_id=number_id
    )
    await session.commit()
    return Response(status_code=204)


def _portability_numbers(fields: dict[str, Any]) -> list[object]:
    numbers = fields.get("numbers")
    if isinstance(numbers, str):
        # A single form field, or the .NET SDK's JSON string "{\"numbers\": ['a', 'b']}".
        text = numbers.strip()
        if text.startswith("[") or text.startswith("{"):
            try:
                parsed = json.loads(text.replace("'", '"'))
            except json.JSONDecodeError:
                parsed = None
            numbers = parsed.get("numbers") if isinstance(parsed, dict) else parsed
        else:
            numbers = [numbers]
    if not isinstance(numbers, list) or not numbers:
        raise Invalid(
            "'numbers' is required: a list of phone numbers.", code="invalid_numbers", pointer="numbers"
        )
    if len(numbers) > MAX_PORTABILITY_NUMBERS:
        raise Invalid(
            f"'numbers' holds at most {MAX_PORTABILITY_NUMBERS} numbers per check: got {len(numbers)}.",
            code="invalid_numbers",
            pointer="numbers",
        )
    return numbers


async def _portability_fields(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if raw.strip().startswith(b'"'):  # the .NET SDK sends the whole body as a JSON string
        try:
            inner = json.loads(json.loads(raw).replace("'", '"'))
        except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
            inner = None
        if isinstance(inner, dict):
            return inner
    return await read_fields(request)


@router.post("/v2/portorders/portability", operation_id="check_portability")
async def check_portability(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Which numbers can be ported in, and why not: JSON `{"numbers": [...]}` or form fields."""
    numbers = _portability_numbers(await _portability_fields(request))
    portable: list[str] = []
    nonportable: list[str] = []
    details: list[dict[str, Any]] = []
    for raw in numbers:
        verdict = await check_portable(session, raw)
        shown = f"+{verdict.value}" if verdict.value else verdict.raw
        (portable if verdict.portable else nonportable).append(shown)
        details.append({"number": shown, "portable": verdict.portable, "reason": verdict.reason})
    return JsonApiResponse(
        {
            "data": {
                "hypernetwork_enabled": [],
                "nonportable": nonportable,
                "portable": portable,
                "details": details,
            }
        }
    )
