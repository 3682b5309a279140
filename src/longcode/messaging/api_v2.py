"""Messaging v2 (legacy, SMS only): the flat send body of the original Flowroute API.

POST answers 200, as the real v2 API did and its SDKs expect; the message is just as durable as
a v2.1 202 (committed before the answer).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcode.db.base import utcnow
from longcode.errors import NotFound
from longcode.http.auth import CachedPrincipal
from longcode.http.dates import parse_window
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.paging import page_links, parse_page
from longcode.http.state import StateDep, base_url
from longcode.messaging import requests, schemas, service
from longcode.messaging.api import SEND_BODY, accept_send, replay_headers

router = APIRouter(tags=["messages (v2, legacy)"], responses=ERROR_RESPONSES)


@router.post("/v2/messages", status_code=200, operation_id="send_message_v2", openapi_extra=SEND_BODY)
async def send_message_v2(request: Request) -> Response:
    """Send an SMS with `{"to", "from", "body"}` (`content` is accepted for `body`)."""
    _, stored = await accept_send(request, api_version=service.API_V2, parse=requests.parse_v2, status=200)
    return JsonApiResponse(
        {"data": {"id": stored.message_id}}, status_code=200, headers=replay_headers(stored)
    )


@router.get("/v2/messages", operation_id="list_messages_v2")
async def list_messages_v2(request: Request, principal: CachedPrincipal, state: StateDep) -> Response:
    start, end = parse_window(request.query_params, now=utcnow())
    page = parse_page(request.query_params, default_limit=10, max_limit=1000)
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
    return JsonApiResponse(
        {
            "data": [schemas.mdr1(record, base) for record in records],
            "links": page_links(f"{base}/v2/messages", filters, page, has_more=has_more),
        }
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
