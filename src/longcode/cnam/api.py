"""CNAM v2 over HTTP: the account's caller-name records and their assignment to numbers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.cnam import service
from longcode.cnam.schemas import assignment_document, cnam_resource
from longcode.db.base import utcnow
from longcode.errors import Invalid
from longcode.http.auth import CurrentPrincipal
from longcode.http.body import read_fields
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import page_links, parse_page
from longcode.http.state import SessionDep, StateDep, base_url
from longcode.numbers import schemas as number_schemas
from longcode.numbers import service as numbers_service

router = APIRouter(tags=["cnam"], responses=ERROR_RESPONSES)

FILTERS = ("starts_with", "contains", "ends_with", "value")


def _is_approved(raw: str | None) -> bool | None:
    if raw is None or raw == "":
        return None
    if raw.lower() not in ("true", "false"):
        raise Invalid(
            f"'is_approved' is true or false: got {raw!r}.", code="invalid_is_approved", pointer="is_approved"
        )
    return raw.lower() == "true"


@router.get("/v2/cnams", operation_id="list_cnams")
async def list_cnams(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    params = request.query_params
    filters = {name: params[name] for name in FILTERS if params.get(name)}
    approved = _is_approved(params.get("is_approved"))
    page = parse_page(params, default_limit=10, max_limit=2000)
    records, has_more = await service.list_records(
        session=session,
        account_id=principal.account_id,
        filters=filters,
        is_approved=approved,
        limit=page.limit,
        offset=page.offset,
    )
    await session.commit()  # keep what `settle` approved
    base = base_url(request, state.settings)
    shown = list(filters.items()) + ([("is_approved", str(approved).lower())] if approved is not None else [])
    return JsonApiResponse(
        {
            "data": [cnam_resource(record, base) for record in records],
            "links": page_links(f"{base}/v2/cnams", shown, page, has_more=has_more),
        }
    )


@router.post("/v2/cnams", status_code=201, operation_id="create_cnam")
async def create_cnam(
    request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """`{"value": "Bob Law"}`, its JSON:API form, or a form field `value=`: pending until approved."""
    fields = await read_fields(request)
    record = await service.create(
        session=session, settings=state.settings, account_id=principal.account_id, value=fields.get("value")
    )
    await session.commit()
    return JsonApiResponse(
        {"data": cnam_resource(record, base_url(request, state.settings))}, status_code=201
    )


@router.get("/v2/cnams/{cnam_id}", operation_id="get_cnam")
async def get_cnam(
    cnam_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    record = await service.get(session=session, account_id=principal.account_id, cnam_id=cnam_id)
    await session.commit()
    base, now = base_url(request, state.settings), utcnow()
    resource = cnam_resource(record, base)
    numbers = await service.numbers_showing(session, record)
    resource["relationships"] = {"numbers": {"data": [{"id": n.value, "type": "number"} for n in numbers]}}
    document: dict[str, object] = {"data": resource}
    if numbers:
        document["included"] = [number_schemas.number_list_item(n, base, now) for n in numbers]
    return JsonApiResponse(document)


@router.patch("/v2/cnams/{cnam_id}", operation_id="update_cnam")
async def update_cnam(
    cnam_id: str, request: Request, principal: CurrentPrincipal, session: SessionDep, state: StateDep
) -> Response:
    """Change the value of a record still pending."""
    fields = await read_fields(request)
    record = await service.update_pending(
        session=session, account_id=principal.account_id, cnam_id=cnam_id, value=fields.get("value")
    )
    await session.commit()
    return JsonApiResponse({"data": cnam_resource(record, base_url(request, state.settings))})


@router.delete("/v2/cnams/{cnam_id}", status_code=204, operation_id="delete_cnam")
async def delete_cnam(cnam_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    await service.delete(session=session, account_id=principal.account_id, cnam_id=cnam_id)
    await session.commit()
    return Response(status_code=204)


async def _assign(number_id: str, cnam_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    record = await service.get(session=session, account_id=principal.account_id, cnam_id=cnam_id)
    service.assign(number, record)
    await session.commit()
    return JsonApiResponse(assignment_document(record.id, utcnow()), status_code=202)


async def _unassign(number_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    number.cnam_id = None
    await session.commit()
    return JsonApiResponse(assignment_document(None, utcnow()), status_code=202)


# The docs use `/relationships/cnams/...`; the Python, PHP, Ruby and .NET SDKs `/relationships/cnam/...`.
@router.patch(
    "/v2/numbers/{number_id}/relationships/cnams/{cnam_id}", status_code=202, operation_id="assign_cnam"
)
async def assign_cnam(
    number_id: str, cnam_id: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """Show this approved record as the number's caller name. 202."""
    return await _assign(number_id, cnam_id, principal, session)


@router.patch(
    "/v2/numbers/{number_id}/relationships/cnam/{cnam_id}",
    status_code=202,
    operation_id="assign_cnam_sdk_path",
    include_in_schema=False,
)
async def assign_cnam_singular(
    number_id: str, cnam_id: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    return await _assign(number_id, cnam_id, principal, session)


@router.delete("/v2/numbers/{number_id}/relationships/cnams", status_code=202, operation_id="unassign_cnam")
async def unassign_cnam(number_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    return await _unassign(number_id, principal, session)


@router.delete(
    "/v2/numbers/{number_id}/relationships/cnam",
    status_code=202,
    operation_id="unassign_cnam_sdk_path",
    include_in_schema=False,
)
async def unassign_cnam_singular(
    number_id: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    return await _unassign(number_id, principal, session)
