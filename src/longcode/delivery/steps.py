"""The delivery worker's transactions, each one step of a message's life, each guarded by the
lease: the first statement touches the message only if the worker still holds it (its
`attempts` is the token), else `LeaseLost` rolls the step back and nothing changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache

from longcode.config import Settings
from longcode.db.base import as_utc, utcnow
from longcode.db.tx import Sql, Tx, in_list, in_params, serialize
from longcode.delivery import statuses
from longcode.delivery.carriers.base import Accepted, Carrier
from longcode.delivery.carriers.smpp.inbound import apply_pending, receipt_lock
from longcode.delivery.queue import Claimed
from longcode.delivery.receipts import UrlMemo, record_receipt
from longcode.delivery.statuses import Receipt
from longcode.messaging.inbound import StoredFile, attach_files

GUARD = Sql("UPDATE message SET updated_at = :now WHERE id = :id AND attempts = :token")
ACCEPTED = Sql(
    "UPDATE message SET stage = 'receipt', carrier = :carrier, carrier_message_id = :carrier_message_id,"
    " next_attempt_at = :settle_at, status = :status, updated_at = :now WHERE id = :id AND attempts = :token"
)
"""Guarded itself (the lease token), and sets the level-1 status: the hot path spares a separate
`guard` statement and the receipt's own status update."""
RETRY = Sql(
    "UPDATE message SET retries = retries + 1, next_attempt_at = :at, error = :error, paced_at = NULL"
    " WHERE id = :id"
)
"""`paced_at` cleared: the next attempt is another submit, and takes a slot of its own."""
RESCHEDULE = Sql("UPDATE message SET next_attempt_at = :at WHERE id = :id")
FILES = Sql(
    "SELECT source_url, file_name, mime_type, file_size, digest FROM message_media"
    " WHERE message_id = :id ORDER BY position"
)
PACE_ROW = Sql("INSERT INTO number_pace (number, next_slot_at) VALUES (:number, :now) ON CONFLICT DO NOTHING")
PACE_WRITE = Sql("UPDATE number_pace SET next_slot_at = :next WHERE number = :number")
PACED_LATER = Sql(
    "UPDATE message SET paced_at = :slot, next_attempt_at = :slot WHERE id = :id AND attempts = :token"
)
"""The slot is ahead: the lease is given up, and the row is claimed again at its slot (a message
whose slot is now keeps its lease and is sent at once: were it due, it would be claimed twice)."""
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


Handed = tuple[Claimed, str, Accepted]
"""A message, the carrier that took it, and what the carrier said."""


async def accept(tx: Tx, settings: Settings, handed: Sequence[Handed]) -> list[None]:
    """Handed to carriers: level-1 receipts; each message waits for its final one (or the end
    of its validity). Receipts that came before their carrier id was stored are applied now."""
    now = utcnow()
    urls: UrlMemo = {}
    carrier_ids: dict[str, list[str]] = {}
    # Taken first, in one order, so that no row lock is held while waiting for them.
    for carrier in sorted({carrier for _, carrier, result in handed if result.carrier_message_id}):
        await serialize(tx, *receipt_lock(carrier))
    for message, carrier, result in handed:
        settle_at = min(result.settle_at or deadline(settings, message), deadline(settings, message))
        accepted = await tx.execute(
            ACCEPTED,
            {
                "carrier": carrier,
                "carrier_message_id": result.carrier_message_id,
                "settle_at": settle_at,
                "status": statuses.SUBMITTED.status,
                "now": now,
                "id": message.id,
                "token": message.token,
            },
        )
        if not accepted:
            raise LeaseLost(message.id)
        await record_receipt(
            tx, message, statuses.SUBMITTED, base_url=settings.base_url, at=now, status_set=True, urls=urls
        )
        if result.carrier_message_id:
            carrier_ids.setdefault(carrier, []).append(result.carrier_message_id)
    for carrier, ids in carrier_ids.items():
        await apply_pending(tx, settings, carrier, ids)
    return [None] * len(handed)


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


@lru_cache(maxsize=64)
def _pace_rows(count: int, dialect: str) -> Sql:
    # Locked in one order (by number) on PostgreSQL, so two workers' batches cannot deadlock.
    lock = " FOR UPDATE" if dialect == "postgresql" else ""
    return Sql(
        f"SELECT number, next_slot_at FROM number_pace WHERE number IN ({in_list('n', count)})"
        f" ORDER BY number{lock}"
    )


async def _next_slots(tx: Tx, numbers: list[str], now: datetime) -> dict[str, datetime]:
    read = _pace_rows(len(numbers), tx.dialect)
    slots = {row[0]: as_utc(row[1]) for row in await tx.fetchall(read, in_params("n", numbers))}
    missing = [number for number in numbers if number not in slots]
    if missing:  # the numbers' first sends: make their rows (another worker may race to them)
        for number in missing:
            await tx.execute(PACE_ROW, {"number": number, "now": now})
        read = _pace_rows(len(missing), tx.dialect)
        slots.update({row[0]: as_utc(row[1]) for row in await tx.fetchall(read, in_params("n", missing))})
    return slots


async def pace(tx: Tx, messages: Sequence[tuple[Claimed, float]]) -> list[Claimed]:
    """Reserve each message its sending number's next slot (`rate` a second for that number,
    shared by every worker process), oldest message first; the messages whose slot is now.
    The others wait in the queue for theirs: bursts wait their turn, none is refused."""
    if not messages:
        return []
    now = utcnow()
    ordered = sorted(messages, key=lambda pair: pair[0].created_at)
    numbers = sorted({message.from_number for message, _ in ordered})
    slots = await _next_slots(tx, numbers, now)
    go_now = []
    for message, rate in ordered:
        slot = max(now, slots[message.from_number])
        slots[message.from_number] = slot + timedelta(seconds=1 / rate)
        if (slot - now).total_seconds() <= PACE_TOLERANCE_SECONDS:
            go_now.append(message)
        else:  # a lost lease (0 rows) means another worker has the message: nothing to do
            await tx.execute(PACED_LATER, {"slot": slot, "id": message.id, "token": message.token})
    for number in numbers:
        await tx.execute(PACE_WRITE, {"number": number, "next": slots[number]})
    return go_now
