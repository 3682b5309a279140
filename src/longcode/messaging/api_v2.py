"""Messaging v2 (legacy, SMS only): the flat send body of the original Flowroute API.

POST answers 200, as the real v2 API did and its SDKs expect; the message is just as durable as
a v2.1 202 (committed before the answer).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.errors import NotFound
from longcode.http.auth import CachedPrincipal
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.state import StateDep, base_url
from longcode.messaging import requests, schemas, service
from longcode.messaging.api import SEND_BODY, accept_send, fetch_mdr_page, replay_headers

router = APIRouter(tags=["messages (v2, legacy)"], responses=ERROR_RESPONSES)


@router.post("/v2/messages", status_code=200, operation_id="send_message_v2", openapi_extra=SEND_BODY)
async def send_message_v2(request: Request) -> Response:
    """Send an SMS with `{"to", "from", "body"}` (`content` is accepted for `body`)."""
    _, stored = await accept_send(request, api_version=service.API_V2, parse=requests.parse_v2, status=200)
    return JsonApiResponse(
        {"data": {"id": stored.message_id}}, status_code=200, headers=replay_headers(stored)
    )


@router.get("/v2/messages", operation_id="list_messages_v2")
async def list_messages_v2(request: Request) -> Response:
    """The v2.1 list's window and paging, in the legacy MDR shape."""
    page = await fetch_mdr_page(request, path="/v2/messages")
    return JsonApiResponse(
        {"data": [schemas.mdr1(record, page.base) for record in page.records], "links": page.links}
    )


@router.get("/v2/messages/{record_id}", operation_id="get_message_v2")
async def get_message_v2(
    record_id: str,
    request: Request,
    principal: CachedPrincipal,
    state: StateDep,
) -> Response:
    """One message in the legacy MDR shape."""
    record = await service.get_message(
        runner=state.runner, key_id=principal.key_id, account_id=principal.account_id, message_id=record_id
    )
    if record.message.is_mms:
        raise NotFound(
            f"{record_id} is an MMS; look it up with GET /v2.1/messages/{record_id}.",
            code="message_not_found",
        )
    return JsonApiResponse({"data": schemas.mdr1(record, base_url(request, state.settings))})
