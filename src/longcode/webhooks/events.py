"""Queuing webhook events inside the transaction that makes them true, and the URL each goes to.

An event is a row (the queue, as messages are): written in the same transaction as the receipt
or inbound message it reports, so either both exist or neither. Its `dedupe_key` makes a
handler that runs twice (at-least-once delivery) queue it once.
"""

from __future__ import annotations

from typing import Any

import orjson

from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx
from longcode.ids import random_hex32
from longcode.webhooks.models import EVENT_PENDING

NUMBER_OR_ACCOUNT_URL = Sql(
    "SELECT COALESCE("
    " (SELECT url FROM number_callback WHERE number = :number AND callback_type = :callback_type),"
    " (SELECT url FROM account_callback WHERE account_id = :account_id AND callback_type = :callback_type))"
)
INSERT_EVENT = Sql(
    "INSERT INTO webhook_event (id, account_id, message_id, kind, dedupe_key, url, payload, status,"
    " attempts, next_attempt_at, created_at)"
    " VALUES (:id, :account_id, :message_id, :kind, :dedupe_key, :url, :payload, :status, 0, :now, :now)"
    " ON CONFLICT (dedupe_key) DO NOTHING"
)


async def callback_url(tx: Tx, *, account_id: int, number: str, callback_type: str) -> str | None:
    """The number's URL of this type, else the account's, else None."""
    row = await tx.fetchone(
        NUMBER_OR_ACCOUNT_URL, {"number": number, "account_id": account_id, "callback_type": callback_type}
    )
    return None if row is None else row[0]


async def queue_event(
    tx: Tx, *, account_id: int, message_id: str, kind: str, dedupe_key: str, url: str, payload: dict[str, Any]
) -> bool:
    """Queue one POST of `payload` to `url`; False if this event was already queued."""
    params = {
        "id": "evt_" + random_hex32(),
        "account_id": account_id,
        "message_id": message_id,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "url": url,
        "payload": orjson.dumps(payload).decode(),
        "status": EVENT_PENDING,
        "now": utcnow(),
    }
    return bool(await tx.execute(INSERT_EVENT, params))
