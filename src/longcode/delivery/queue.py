"""Every claim and lease query of the delivery queue (the message rows themselves).

A claim moves each due row's `next_attempt_at` to the end of a lease and bumps `attempts`; the
new `attempts` is the lease token. Every later write of the worker is conditional on it
(`WHERE id = :id AND attempts = :token`), so a worker whose lease ran out (it stalled, or
another took over after it died) changes nothing. On PostgreSQL the claim skips rows other
workers are claiming (`FOR UPDATE SKIP LOCKED`); on SQLite one writer at a time makes it atomic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from longcode.db.base import as_utc, utcnow
from longcode.db.tx import Sql, Tx

CLAIMED_COLUMNS = (
    "id, account_id, from_number, to_number, body, is_mms, media_urls, dlr_callback,"
    " message_encoding, segments, message_type, created_at, attempts, stage, retries, paced_at,"
    " carrier, carrier_message_id"
)
_DUE = (
    "SELECT id FROM message WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= :now"
    " ORDER BY next_attempt_at LIMIT :limit"
)
_CLAIM = (
    "UPDATE message SET next_attempt_at = :lease_until, attempts = attempts + 1"
    " WHERE id IN ({due}) RETURNING " + CLAIMED_COLUMNS
)
CLAIM = {
    "sqlite": Sql(_CLAIM.format(due=_DUE)),
    "postgresql": Sql(_CLAIM.format(due=_DUE + " FOR UPDATE SKIP LOCKED")),
}
RESCHEDULE = Sql(
    "UPDATE message SET next_attempt_at = :at, updated_at = :now WHERE id = :id AND attempts = :token"
)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message a worker holds, with what it needs to move it on."""

    id: str
    account_id: int
    from_number: str
    to_number: str
    body: str | None
    is_mms: bool
    media_urls: str
    dlr_callback: str | None
    message_encoding: int
    segments: int
    message_type: str
    created_at: datetime
    token: int
    stage: str
    retries: int
    paced_at: datetime | None
    carrier: str | None
    carrier_message_id: str | None


def _claimed(row: tuple[object, ...]) -> Claimed:
    values = list(row)
    values[5] = bool(values[5])
    values[11] = as_utc(values[11])
    values[15] = None if values[15] is None else as_utc(values[15])
    return Claimed(*values)  # type: ignore[arg-type]


async def claim_due(tx: Tx, *, limit: int, lease_seconds: float) -> list[Claimed]:
    """Lease up to `limit` due messages, oldest due first."""
    now = utcnow()
    params = {"now": now, "limit": limit, "lease_until": now + timedelta(seconds=lease_seconds)}
    return [_claimed(row) for row in await tx.fetchall(CLAIM[tx.dialect], params)]


async def reschedule(tx: Tx, message: Claimed, at: datetime) -> bool:
    """Hand the message back to be taken again at `at`; False if the lease was lost."""
    return bool(
        await tx.execute(RESCHEDULE, {"at": at, "now": utcnow(), "id": message.id, "token": message.token})
    )


async def release(tx: Tx, messages: list[Claimed]) -> None:
    """Hand messages back at once (shutdown): due now, for whichever worker claims next."""
    now = utcnow()
    for message in messages:
        await tx.execute(RESCHEDULE, {"at": now, "now": now, "id": message.id, "token": message.token})
