"""The delivery worker's transactions, each one step of a message's life, each guarded by the
lease: the first statement touches the message only if the worker still holds it (its
`attempts` is the token), else `LeaseLost` rolls the step back and nothing changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from longcode.config import Settings
from longcode.db.base import as_utc, utcnow
from longcode.db.tx import Sql, Tx
from longcode.delivery import statuses
from longcode.delivery.carriers.base import Accepted, Carrier
from longcode.delivery.carriers.smpp.inbound import apply_pending
from longcode.delivery.queue import Claimed
from longcode.delivery.receipts import record_receipt
from longcode.delivery.statuses import Receipt
from longcode.messaging.inbound import StoredFile, attach_files

GUARD = Sql("UPDATE message SET updated_at = :now WHERE id = :id AND attempts = :token")
ACCEPTED = Sql(
    "UPDATE message SET stage = 'receipt', carrier = :carrier, carrier_message_id = :carrier_message_id,"
    " next_attempt_at = :settle_at WHERE id = :id AND attempts = :token"
)
"""Guarded itself (the lease token): the hot path spares a separate `guard` statement."""
RETRY = Sql("UPDATE message SET retries = retries + 1, next_attempt_at = :at, error = :error WHERE id = :id")
RESCHEDULE = Sql("UPDATE message SET next_attempt_at = :at WHERE id = :id")
FILES = Sql(
    "SELECT source_url, file_name, mime_type, file_size, digest FROM message_media"
    " WHERE message_id = :id ORDER BY position"
)
PACE_ROW = Sql("INSERT INTO number_pace (number, next_slot_at) VALUES (:number, :now) ON CONFLICT DO NOTHING")
PACE_READ = {
    "sqlite": Sql("SELECT next_slot_at FROM number_pace WHERE number = :number"),
    "postgresql": Sql("SELECT next_slot_at FROM number_pace WHERE number = :number FOR UPDATE"),
}
PACE_WRITE = Sql("UPDATE number_pace SET next_slot_at = :next WHERE number = :number")
PACED_NOW = Sql("UPDATE message SET paced_at = :slot WHERE id = :id AND attempts = :token")
"""The slot is now: the worker keeps its lease and sends (a due row would be claimed twice)."""
PACED_LATER = Sql(
    "UPDATE message SET paced_at = :slot, next_attempt_at = :slot WHERE id = :id AND attempts = :token"
)
"""The slot is ahead: the lease is given up, and the row is claimed again at its slot."""
PACE_TOLERANCE_SECONDS = 0.005


class LeaseLost(Exception):
    """The message is no longer this worker's: its lease ran out and another took it."""


async def guard(tx: Tx, message: Claimed) -> None:
    if not await tx.execute(GUARD, {"now": utcnow(), "id": message.id, "token": message.token}):
        raise LeaseLost(message.id)


def deadline(settings: Settings, message: Claimed) -> datetime:
    """The end of the message's validity period, counted from its acceptance."""
    return message.created_at + timedelta(seconds=settings.message_validity_seconds)


async def stored_files(tx: Tx, message_id: str) -> list[StoredFile]:
    return [StoredFile(*row) for row in await tx.fetchall(FILES, {"id": message_id})]


async def attach_media(tx: Tx, message: Claimed, files: Sequence[StoredFile]) -> None:
    """Record the fetched copies of an outbound MMS's media (once: the lease guards it)."""
    await guard(tx, message)
    await attach_files(tx, message.id, files)


async def accept(tx: Tx, settings: Settings, message: Claimed, carrier: str, result: Accepted) -> None:
    """Handed to the carrier: level-1 receipt, wait for the final one (or the validity's end)."""
    settle_at = result.settle_at or deadline(settings, message)
    accepted = await tx.execute(
        ACCEPTED,
        {
            "carrier": carrier,
            "carrier_message_id": result.carrier_message_id,
            "settle_at": min(settle_at, deadline(settings, message)),
            "id": message.id,
            "token": message.token,
        },
    )
    if not accepted:
        raise LeaseLost(message.id)
    await record_receipt(tx, message, statuses.SUBMITTED, base_url=settings.base_url)
    if result.carrier_message_id:
        await apply_pending(tx, settings, carrier, result.carrier_message_id)


async def retry(tx: Tx, settings: Settings, message: Claimed, reason: str, delay: float) -> None:
    """A temporary failure: try again after `delay`, unless that is past the validity's end."""
    await guard(tx, message)
    at = utcnow() + timedelta(seconds=delay)
    if at >= deadline(settings, message):
        await record_receipt(
            tx,
            message,
            statuses.EXPIRED.because(f"Not delivered within the validity period: {reason}"),
            base_url=settings.base_url,
        )
        return
    await tx.execute(RETRY, {"at": at, "error": reason, "id": message.id})


async def fail(tx: Tx, settings: Settings, message: Claimed, receipt: Receipt) -> None:
    await guard(tx, message)
    await record_receipt(tx, message, receipt, base_url=settings.base_url)


async def settle(tx: Tx, settings: Settings, message: Claimed, carrier: Carrier | None) -> None:
    """The message's receipt time (or validity's end) has come: end it if there is news."""
    await guard(tx, message)
    receipt = await carrier.settle(tx, message) if carrier is not None else None
    if receipt is not None:
        await record_receipt(tx, message, receipt, base_url=settings.base_url)
    elif utcnow() >= deadline(settings, message):
        await record_receipt(tx, message, statuses.EXPIRED, base_url=settings.base_url)
    else:
        await tx.execute(RESCHEDULE, {"at": deadline(settings, message), "id": message.id})


async def pace(tx: Tx, message: Claimed, rate: float) -> bool:
    """Reserve the sending number's next slot for this message (`rate` a second, shared by
    every worker process): True if that is now, False if the message waits in the queue for
    it. Bursts wait their turn; none is refused."""
    now = utcnow()
    number = {"number": message.from_number}
    row = await tx.fetchone(PACE_READ[tx.dialect], number)
    if row is None:  # the number's first send: make its row (another worker may race to it)
        await tx.execute(PACE_ROW, {**number, "now": now})
        row = await tx.fetchone(PACE_READ[tx.dialect], number)
    slot = max(now, as_utc(row[0])) if row else now
    await tx.execute(PACE_WRITE, {**number, "next": slot + timedelta(seconds=1 / rate)})
    go_now = (slot - now).total_seconds() <= PACE_TOLERANCE_SECONDS
    # The lease check comes last and guarded: a lost lease rolls the slot back with the rest.
    paced = {"slot": slot, "id": message.id, "token": message.token}
    if not await tx.execute(PACED_NOW if go_now else PACED_LATER, paced):
        raise LeaseLost(message.id)
    return go_now
