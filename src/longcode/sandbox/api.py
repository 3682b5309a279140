"""The sandbox control plane over HTTP, under `/sandbox/`, for the operator's bearer token
(`LONGCODE_ADMIN_TOKEN`, or the one made and printed at the first start)."""

from __future__ import annotations

import hmac
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcode.db.base import utcnow
from longcode.errors import Invalid, Unauthorized
from longcode.http.body import read_json, require_object
from longcode.http.dates import parse_datetime
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.state import StateDep
from longcode.phone import parse_nanp
from longcode.sandbox import service

OUTBOX_MAX = 1000


def require_admin(request: Request, state: StateDep) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), state.admin_token.encode()
    ):
        raise Unauthorized(
            "The sandbox control plane needs 'Authorization: Bearer <LONGCODE_ADMIN_TOKEN>'.",
            code="admin_token_required",
        )


router = APIRouter(
    prefix="/sandbox", tags=["sandbox"], responses=ERROR_RESPONSES, dependencies=[Depends(require_admin)]
)


def _int(request: Request, name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise Invalid(
            f"'{name}' must be a whole number: got {raw!r}.", code="invalid_parameter", pointer=name
        )
    return int(raw)


@router.get("/outbox", operation_id="list_sandbox_outbox")
async def list_outbox(request: Request, state: StateDep) -> Response:
    """What was sent to the sandbox carrier: `account_id`, `number`, `start_date`, `end_date`, `limit`."""
    params = request.query_params
    number = parse_nanp(params["number"], field="number") if "number" in params else None
    start = (
        parse_datetime(params["start_date"], name="start_date")
        if "start_date" in params
        else datetime(1970, 1, 1, tzinfo=UTC)
    )
    end = parse_datetime(params["end_date"], name="end_date") if "end_date" in params else utcnow()
    limit = min(_int(request, "limit", 100) or 100, OUTBOX_MAX)
    rows = await service.list_outbox(
        runner=state.runner,
        account_id=_int(request, "account_id", None),
        number=number,
        start=start,
        end=end,
        limit=limit,
    )
    data = [
        {
            "type": "sandbox_message",
            "id": row.pop("message_id"),
            "attributes": {**row, "submitted_at": row["submitted_at"].isoformat()},
        }
        for row in rows
    ]
    return JsonApiResponse({"data": data})


@router.post("/inbound", status_code=201, operation_id="inject_sandbox_inbound")
async def inject_inbound(request: Request, state: StateDep) -> Response:
    """A handset's message to a platform number: `{"from", "to", "body"}`."""
    body = require_object(await read_json(request))
    text = body.get("body")
    if not isinstance(text, str) or not text:
        raise Invalid("'body' must be a non-empty string.", code="invalid_body", pointer="body")
    message_id = await service.inject_inbound(
        runner=state.runner, settings=state.settings, from_=body.get("from"), to=body.get("to"), body=text
    )
    return JsonApiResponse({"data": {"type": "message", "id": message_id}}, status_code=201)


def _knobs_document(knobs: Any) -> dict[str, Any]:
    return {"data": {"type": "sandbox_carrier", "id": "sandbox", "attributes": asdict(knobs)}}


@router.get("/carrier", operation_id="get_sandbox_carrier")
async def get_carrier(state: StateDep) -> Response:
    return JsonApiResponse(
        _knobs_document(await service.get_knobs(runner=state.runner, settings=state.settings))
    )


@router.patch("/carrier", operation_id="set_sandbox_carrier")
async def set_carrier(request: Request, state: StateDep) -> Response:
    """Change `receipt_delay_seconds`, `delayed_receipt_seconds` or `failure_ratio` at run time."""
    changes = require_object(await read_json(request))
    knobs = await service.set_knobs(runner=state.runner, settings=state.settings, changes=changes)
    return JsonApiResponse(_knobs_document(knobs))


@router.post("/accounts/{account_id}/reset", operation_id="reset_sandbox_account")
async def reset_account(account_id: int, state: StateDep) -> Response:
    """Delete one account's messages, callbacks and webhook attempts; no other account is touched."""
    deleted = await service.reset_account(runner=state.runner, account_id=account_id)
    return JsonApiResponse(
        {"data": {"type": "sandbox_reset", "id": str(account_id), "attributes": {"deleted": deleted}}}
    )
