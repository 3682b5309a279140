"""Messaging operations: send a message, look one up, list a window of them. No HTTP here."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from longcode.billing.rates import outbound_price
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.tx import TxRunner
from longcode.errors import Invalid, NotFound
from longcode.ids import random_hex32
from longcode.messaging import queries
from longcode.messaging.encoding import encode_info
from longcode.messaging.models import STATUS_QUEUED
from longcode.messaging.queries import MessageRecord
from longcode.messaging.requests import SendRequest
from longcode.messaging.rows import MessageRow
from longcode.messaging.store import IdempotencyClaim, Stored, store_outbound
from longcode.phone import message_type

API_V2 = "v2"
API_V21 = "v2.1"
ID_PREFIX = {API_V2: "mdr1-", API_V21: "mdr2-"}
MAX_IDEMPOTENCY_KEY = 255
MESSAGE_ID = re.compile(r"mdr[12]-[0-9a-f]{32}")


def new_message_id(api_version: str) -> str:
    return ID_PREFIX[api_version] + random_hex32()


def prepare_outbound(
    settings: Settings, request: SendRequest, *, account_id: int, api_version: str
) -> MessageRow:
    """Encode, count segments and price a validated request (pure; nothing is stored)."""
    info = encode_info(request.body or "")
    segments = 1 if request.is_mms else info.segments
    return MessageRow(
        id=new_message_id(api_version),
        account_id=account_id,
        direction="outbound",
        from_number=request.from_,
        to_number=request.to,
        body=request.body,
        is_mms=request.is_mms,
        media_urls=json.dumps(list(request.media_urls)),
        dlr_callback=request.dlr_callback,
        message_encoding=info.encoding,
        segments=segments,
        message_type=message_type(request.from_),
        status=STATUS_QUEUED,
        amount_nanodollars=outbound_price(settings, is_mms=request.is_mms, segments=segments),
        api_version=api_version,
        created_at=utcnow(),
    )


def idempotency_claim(
    settings: Settings, key: str | None, request: SendRequest, api_version: str, status_code: int
) -> IdempotencyClaim | None:
    """The claim for an `Idempotency-Key` header (longcode's extension), if one was sent."""
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
        raise Invalid(
            f"'Idempotency-Key' must be 1 to {MAX_IDEMPOTENCY_KEY} characters.",
            code="invalid_idempotency_key",
            pointer="Idempotency-Key",
        )
    return IdempotencyClaim(
        key=key,
        request_hash=request.fingerprint(api_version),
        status_code=status_code,
        cutoff=utcnow() - timedelta(seconds=settings.idempotency_ttl_seconds),
    )


async def send_message(
    *,
    runner: TxRunner,
    settings: Settings,
    account_id: int,
    key_id: int,
    request: SendRequest,
    api_version: str,
    idempotency: IdempotencyClaim | None = None,
) -> Stored:
    """Accept a message: durable (committed, `queued`) before this returns.

    Raises `Unauthorized` if the key was revoked or the account disabled since authentication,
    `Forbidden` if `from` is not the account's or not enabled, `Invalid` if the idempotency key
    was used with another body. Nothing is written (and nothing charged) when it raises.
    """
    message = prepare_outbound(settings, request, account_id=account_id, api_version=api_version)
    return await runner.transaction(
        lambda tx: store_outbound(tx, message, key_id=key_id, idempotency=idempotency)
    )


async def get_message(*, runner: TxRunner, key_id: int, account_id: int, message_id: str) -> MessageRecord:
    """One of the account's messages with its receipts; `NotFound` for anyone else's."""
    if not MESSAGE_ID.fullmatch(message_id):
        # Not an id we could have issued: answered without asking the database.
        raise NotFound(
            f"No message {message_id!r} on your account (MDR ids look like mdr2-<32 hex digits>).",
            code="message_not_found",
            pointer="id",
        )
    return await runner.read(
        lambda tx: queries.get_message(tx, key_id=key_id, account_id=account_id, message_id=message_id)
    )


async def list_messages(
    *,
    runner: TxRunner,
    key_id: int,
    account_id: int,
    start: datetime,
    end: datetime,
    limit: int,
    offset: int,
) -> tuple[list[MessageRecord], bool]:
    """The account's messages with `start <= timestamp < end`, newest first; and whether more follow."""
    return await runner.read(
        lambda tx: queries.list_messages(
            tx, key_id=key_id, account_id=account_id, start=start, end=end, limit=limit, offset=offset
        )
    )
