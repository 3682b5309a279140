"""The sandbox control plane's operations (no HTTP): what the sandbox carrier was given,
injecting a handset's message, the carrier's knobs, resetting one account. The `/sandbox/`
API and `longcode sandbox` both call these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from longcode.config import Settings
from longcode.db.base import as_utc
from longcode.db.tx import Sql, Tx, TxRunner
from longcode.errors import NotFound
from longcode.messaging.inbound import receive_inbound
from longcode.phone import parse_nanp
from longcode.sandbox import knobs

_OUTBOX = (
    "SELECT o.message_id, o.account_id, o.from_number, o.to_number, o.body, o.is_mms, o.outcome,"
    " o.submitted_at, m.status FROM sandbox_outbox o JOIN message m ON m.id = o.message_id"
    " WHERE o.submitted_at >= :start AND o.submitted_at < :end{filters}"
    " ORDER BY o.submitted_at DESC, o.id DESC LIMIT :limit"
)
_BY_ACCOUNT = " AND o.account_id = :account_id"
_BY_NUMBER = " AND (o.from_number = :number OR o.to_number = :number)"
ACCOUNT_EXISTS = Sql("SELECT 1 FROM account WHERE id = :account_id")
# Children first; every statement is scoped to one account, so no other account is touched.
_MESSAGES = "SELECT id FROM message WHERE account_id = :account_id"
_EVENTS = "SELECT id FROM webhook_event WHERE account_id = :account_id"
_NUMBERS = "SELECT value FROM number WHERE account_id = :account_id"
RESET = (
    ("webhook_attempts", Sql(f"DELETE FROM webhook_attempt WHERE event_id IN ({_EVENTS})")),
    ("webhook_events", Sql("DELETE FROM webhook_event WHERE account_id = :account_id")),
    ("receipts", Sql(f"DELETE FROM delivery_receipt WHERE message_id IN ({_MESSAGES})")),
    ("media", Sql(f"DELETE FROM message_media WHERE message_id IN ({_MESSAGES})")),
    ("outbox", Sql("DELETE FROM sandbox_outbox WHERE account_id = :account_id")),
    ("messages", Sql("DELETE FROM message WHERE account_id = :account_id")),
    ("callbacks", Sql("DELETE FROM account_callback WHERE account_id = :account_id")),
    ("number_callbacks", Sql(f"DELETE FROM number_callback WHERE number IN ({_NUMBERS})")),
    ("opt_outs", Sql(f"DELETE FROM opt_out WHERE number IN ({_NUMBERS})")),
)


async def list_outbox(
    *,
    runner: TxRunner,
    account_id: int | None,
    number: str | None,
    start: datetime,
    end: datetime,
    limit: int,
) -> list[dict[str, Any]]:
    """What the sandbox carrier was given, newest first, filtered by account, number and time."""
    params: dict[str, Any] = {"start": start, "end": end, "limit": limit}
    filters = ""
    if account_id is not None:
        filters, params["account_id"] = filters + _BY_ACCOUNT, account_id
    if number is not None:
        filters, params["number"] = filters + _BY_NUMBER, number
    query = Sql(_OUTBOX.format(filters=filters))
    rows = await runner.read(lambda tx: tx.fetchall(query, params))
    return [
        {
            "message_id": row[0],
            "account_id": row[1],
            "from": row[2],
            "to": row[3],
            "body": row[4],
            "is_mms": bool(row[5]),
            "outcome": row[6],
            "submitted_at": as_utc(row[7]),
            "status": row[8],
        }
        for row in rows
    ]


async def inject_inbound(
    *, runner: TxRunner, settings: Settings, from_: object, to: object, body: str
) -> str:
    """A message from any outside number to a platform number, as if a handset sent it: the same
    path as a carrier's inbound (opt-out words, MDR, charge, webhook). `NotFound` if nobody
    holds `to`."""
    sender, number = parse_nanp(from_, field="from"), parse_nanp(to, field="to")

    async def step(tx: Tx) -> str:
        message_id = await receive_inbound(tx, settings, to=number, from_=sender, body=body)
        if message_id is None:
            raise NotFound(
                f"{number} is not a number of any account here.", code="number_not_found", pointer="to"
            )
        return message_id

    return await runner.transaction(step)


async def get_knobs(*, runner: TxRunner, settings: Settings) -> knobs.Knobs:
    return await runner.read(lambda tx: knobs.read(tx, settings))


async def set_knobs(*, runner: TxRunner, settings: Settings, changes: dict[str, Any]) -> knobs.Knobs:
    """Change the sandbox carrier's delays or failure ratio (`Invalid` for a bad name or value);
    every worker sees the change within a second."""
    clean = knobs.validate(changes)
    await runner.transaction(lambda tx: knobs.write(tx, clean))
    return await get_knobs(runner=runner, settings=settings)


async def reset_account(*, runner: TxRunner, account_id: int) -> dict[str, int]:
    """Delete one account's messages, receipts, media links, outbox, webhook events and
    attempts, callbacks and opt-outs; its numbers and keys stay. What was deleted, by kind."""

    async def step(tx: Tx) -> dict[str, int]:
        if await tx.fetchone(ACCOUNT_EXISTS, {"account_id": account_id}) is None:
            raise NotFound(f"No account {account_id}.", code="account_not_found")
        return {name: await tx.execute(sql, {"account_id": account_id}) for name, sql in RESET}

    return await runner.transaction(step)
