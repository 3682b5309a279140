"""Reading MDRs on the fast read path: one step, one snapshot, one thread hop on SQLite.

The caller's key is re-checked in the same step (see `accounts/queries.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from longcode.accounts.queries import require_active_key
from longcode.db.base import as_utc
from longcode.db.tx import Sql, Tx, in_list, in_params
from longcode.errors import NotFound
from longcode.messaging.rows import MESSAGE_COLUMNS, MediaRow, MessageRow, ReceiptRow

GET_MESSAGE = Sql(f"SELECT {MESSAGE_COLUMNS} FROM message WHERE id = :id AND account_id = :account_id")
LIST_MESSAGES = Sql(
    f"SELECT {MESSAGE_COLUMNS} FROM message"
    " WHERE account_id = :account_id AND created_at >= :start AND created_at < :end"
    " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset"
)


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One MDR as the API shows it: the message and its receipts, newest first."""

    message: MessageRow
    receipts: list[ReceiptRow]
    media: list[MediaRow] = field(default_factory=list)
    """The copies longcode serves, once the worker has fetched them (MMS only)."""


def message_row(row: tuple[Any, ...]) -> MessageRow:
    values = list(row)
    values[6] = bool(values[6])
    values[15] = as_utc(values[15])
    return MessageRow(*values)


@lru_cache(maxsize=256)
def _receipts_sql(count: int) -> Sql:
    names = in_list("m", count)
    return Sql(
        "SELECT message_id, level, status, status_code, status_code_description, created_at"
        f" FROM delivery_receipt WHERE message_id IN ({names}) ORDER BY created_at DESC, id DESC"
    )


async def _receipts(tx: Tx, ids: list[str]) -> dict[str, list[ReceiptRow]]:
    grouped: dict[str, list[ReceiptRow]] = {message_id: [] for message_id in ids}
    if not ids:
        return grouped
    params = in_params("m", ids)
    for row in await tx.fetchall(_receipts_sql(len(ids)), params):
        receipt = ReceiptRow(row[0], row[1], row[2], row[3], row[4], as_utc(row[5]))
        grouped[receipt.message_id].append(receipt)
    return grouped


@lru_cache(maxsize=256)
def _media_sql(count: int) -> Sql:
    names = in_list("m", count)
    return Sql(
        "SELECT message_id, position, token, file_name, mime_type, file_size FROM message_media"
        f" WHERE message_id IN ({names}) ORDER BY message_id, position"
    )


async def media_of(tx: Tx, ids: list[str]) -> dict[str, list[MediaRow]]:
    """The stored media of these messages (pass MMS ids only: SMS have none)."""
    grouped: dict[str, list[MediaRow]] = {message_id: [] for message_id in ids}
    if ids:
        params = in_params("m", ids)
        for row in await tx.fetchall(_media_sql(len(ids)), params):
            grouped[row[0]].append(MediaRow(*row))
    return grouped


async def _records(tx: Tx, rows: list[MessageRow]) -> list[MessageRecord]:
    receipts = await _receipts(tx, [row.id for row in rows])
    media = await media_of(tx, [row.id for row in rows if row.is_mms])
    return [MessageRecord(row, receipts[row.id], media.get(row.id, [])) for row in rows]


async def get_message(tx: Tx, *, key_id: int, account_id: int, message_id: str) -> MessageRecord:
    await require_active_key(tx, key_id)
    row = await tx.fetchone(GET_MESSAGE, {"id": message_id, "account_id": account_id})
    if row is None:
        raise NotFound(f"No message {message_id!r} on your account.", code="message_not_found", pointer="id")
    return (await _records(tx, [message_row(row)]))[0]


async def list_messages(
    tx: Tx, *, key_id: int, account_id: int, start: datetime, end: datetime, limit: int, offset: int
) -> tuple[list[MessageRecord], bool]:
    await require_active_key(tx, key_id)
    params = {"account_id": account_id, "start": start, "end": end, "limit": limit + 1, "offset": offset}
    rows = [message_row(row) for row in await tx.fetchall(LIST_MESSAGES, params)]
    has_more = len(rows) > limit
    return await _records(tx, rows[:limit]), has_more
