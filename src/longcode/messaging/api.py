"""Messaging v2.1 over HTTP: send, MDR lookup and list, account and number callback URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.errors import Invalid, Unauthorized
from longcode.http import convertors
from longcode.http.auth import CachedPrincipal, CurrentPrincipal, authenticate, authenticate_cached
from longcode.http.body import jsonapi_attributes, read_json
from longcode.http.dates import parse_window
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import page_links, parse_page
from longcode.http.state import AppState, SessionDep, StateDep, base_url, get_state
from longcode.messaging import callbacks, requests, schemas, service
from longcode.messaging.queries import MessageRecord
from longcode.messaging.requests import SendRequest
from longcode.messaging.store import Stored
from longcode.numbers import service as numbers_service

convertors.register()  # the `callback_type` path convertor the number routes use

router = APIRouter(tags=["messages"], responses=ERROR_RESPONSES)

MDR_DEFAULT_LIMIT = 10
MDR_MAX_LIMIT = 1000


SEND_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {
                "schema": {
                    "type": "object",
                    "description": "JSON:API `{data: {type: message, attributes}}` or the attributes alone",
                    "properties": {
                        "to": {"type": "string", "example": "12066418000"},
                        "from": {"type": "string", "example": "12065550100"},
                        "body": {"type": "string"},
                        "is_mms": {"type": "boolean"},
                        "media_urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
                        "dlr_callback": {"type": "string", "format": "uri"},
                    },
                }
            }
            for media in ("application/vnd.api+json", "application/json")
        },
    }
}


async def accept_send(
    request: Request, *, api_version: str, parse: Callable[[Any, Settings], SendRequest], status: int
) -> tuple[AppState, Stored]:
    """Authenticate, parse, and store a send request; shared by the v2 and v2.1 handlers."""
    state = get_state(request)
    principal = await authenticate_cached(state, request.headers.get("authorization"))
    send = parse(await read_json(request), state.settings)
    claim = service.idempotency_claim(
        state.settings, request.headers.get("idempotency-key"), send, api_version, status
    )
    try:
        stored = await service.send_message(
            runner=state.runner,
            settings=state.settings,
            account_id=principal.account_id,
            key_id=principal.key_id,
            request=send,
            api_version=api_version,
            idempotency=claim,
        )
    except Unauthorized:
        state.credentials.forget(principal.access_key)
        raise
    return state, stored


def replay_headers(stored: Stored) -> dict[str, str] | None:
    return {"Idempotent-Replayed": "true"} if stored.replayed else None


@router.post("/v2.1/messages", status_code=202, operation_id="send_message", openapi_extra=SEND_BODY)
async def send_message(request: Request) -> Response:
    """Send an SMS or MMS. 202 once the message is stored; delivery follows."""
    state, stored = await accept_send(
        request, api_version=service.API_V21, parse=requests.parse_v21, status=202
    )
    link = f"{base_url(request, state.settings)}/v2.1/messages/{stored.message_id}"
    document = {"data": {"type": "message", "id": stored.message_id, "links": {"self": link}}}
    return JsonApiResponse(document, status_code=202, headers=replay_headers(stored))


@dataclass(frozen=True, slots=True)
class MdrPage:
    """One page of a date-window MDR list, ready to shape in either API version's form."""

    records: list[MessageRecord]
    base: str
    links: dict[str, str]


async def fetch_mdr_page(request: Request, *, path: str) -> MdrPage:
    """Authenticate, read the window and paging parameters, fetch the page and its links."""
    state = get_state(request)
    principal = await authenticate_cached(state, request.headers.get("authorization"))
    start, end = parse_window(request.query_params, now=utcnow())
    page = parse_page(request.query_params, default_limit=MDR_DEFAULT_LIMIT, max_limit=MDR_MAX_LIMIT)
    records, has_more = await service.list_messages(
        runner=state.runner,
        key_id=principal.key_id,
        account_id=principal.account_id,
        start=start,
        end=end,
        limit=page.limit,
        offset=page.offset,
    )
    base = base_url(request, state.settings)
    filters = [("start_date", start.isoformat()), ("end_date", end.isoformat())]
    return MdrPage(records, base, page_links(f"{base}{path}", filters, page, has_more=has_more))


@router.get("/v2.1/messages", operation_id="list_messages")
async def list_messages(request: Request) -> Response:
    """MDRs with `start_date <= timestamp < end_date`, newest first, paged by limit/offset."""
    page = await fetch_mdr_page(request, path="/v2.1/messages")
    data, included = [], []
    for record in page.records:
        resource, media = schemas.mdr2(record, page.base)
        data.append(resource)
        included.extend(media)
    document: dict[str, object] = {"data": data, "links": page.links}
    if included:
        document["included"] = included
    return JsonApiResponse(document)


@router.get("/v2.1/messages/{id}", operation_id="get_message")
async def get_message(id: str, request: Request, principal: CachedPrincipal, state: StateDep) -> Response:
    """One MDR by its `mdr2-` id; with a callback type as `id`, that account callback URL."""
    if callbacks.is_callback_type(id):
        return await _get_account_callback(id, request, state)
    record = await service.get_message(
        runner=state.runner, key_id=principal.key_id, account_id=principal.account_id, message_id=id
    )
    resource, included = schemas.mdr2(record, base_url(request, state.settings))
    document: dict[str, object] = {"data": resource}
    if included:
        document["included"] = included
    return JsonApiResponse(document)


async def _get_account_callback(callback_type: str, request: Request, state: StateDep) -> Response:
    """`GET /v2.1/messages/{callback_type}`: shares its path with the MDR lookup."""
    async with state.sessions() as session:
        principal = await authenticate(session, state, request.headers.get("authorization"))
        url = await callbacks.get_account_callback(
            session=session, account_id=principal.account_id, callback_type=callback_type
        )
    return JsonApiResponse(schemas.callback_document(callback_type, url, callbacks.product_of(callback_type)))


@router.put("/v2.1/messages/{callback_type}", status_code=204, operation_id="set_account_callback")
async def set_account_callback(
    callback_type: str, request: Request, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """Set the account's callback URL of this type: `{"callback_url": ...}` or its JSON:API form."""
    url = _callback_url(await read_json(request))
    await callbacks.set_account_callback(
        session=session, account_id=principal.account_id, callback_type=callback_type, url=url
    )
    await session.commit()
    return Response(status_code=204)


@router.delete("/v2.1/messages/{callback_type}", status_code=204, operation_id="delete_account_callback")
async def delete_account_callback(
    callback_type: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    await callbacks.delete_account_callback(
        session=session, account_id=principal.account_id, callback_type=callback_type
    )
    await session.commit()
    return Response(status_code=204)


NUMBER_CALLBACK_PATH = "/v2/numbers/{number_id}/relationships/{callback_type:callback_type}"


@router.post(NUMBER_CALLBACK_PATH, status_code=204, operation_id="set_number_callback")
async def set_number_callback(
    number_id: str,
    callback_type: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Set a callback URL for one of the account's numbers (overrides the account's)."""
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    url = _callback_url(await read_json(request))
    await callbacks.set_number_callback(
        session=session, number=number.value, callback_type=callback_type, url=url
    )
    await session.commit()
    return Response(status_code=204)


@router.get(NUMBER_CALLBACK_PATH, operation_id="get_number_callback")
async def get_number_callback(
    number_id: str, callback_type: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    url = await callbacks.get_number_callback(
        session=session, number=number.value, callback_type=callback_type
    )
    return JsonApiResponse(schemas.callback_document(callback_type, url, callbacks.product_of(callback_type)))


@router.delete(NUMBER_CALLBACK_PATH, status_code=204, operation_id="delete_number_callback")
async def delete_number_callback(
    number_id: str, callback_type: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    number = await numbers_service.get_account_number(
        session=session, account_id=principal.account_id, number_id=number_id
    )
    await callbacks.delete_number_callback(session=session, number=number.value, callback_type=callback_type)
    await session.commit()
    return Response(status_code=204)


def _callback_url(document: object) -> object:
    attributes = jsonapi_attributes(document)
    if "callback_url" not in attributes:
        raise Invalid("'callback_url' is required.", code="missing_callback_url", pointer="callback_url")
    return attributes["callback_url"]
