"""Claims and outcomes of webhook events: the same lease scheme as messages (`delivery/queue.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx, in_list, in_params
from longcode.webhooks.models import EVENT_DELIVERED, EVENT_FAILED, EVENT_PENDING


@lru_cache(maxsize=64)
def _claim_sql(dialect: str, busy: int) -> Sql:
    skip = "" if busy == 0 else " AND account_id NOT IN (" + in_list("b", busy) + ")"
    lock = " FOR UPDATE SKIP LOCKED" if dialect == "postgresql" else ""
    return Sql(
        "UPDATE webhook_event SET next_attempt_at = :lease_until, attempts = attempts + 1"
        " WHERE id IN (SELECT id FROM webhook_event WHERE next_attempt_at IS NOT NULL"
        f" AND next_attempt_at <= :now{skip} ORDER BY next_attempt_at LIMIT :limit{lock})"
        " RETURNING id, account_id, url, payload, attempts"
    )


GUARD = Sql(
    "UPDATE webhook_event SET status = :status, next_attempt_at = :next, delivered_at = :delivered_at"
    " WHERE id = :id AND attempts = :token"
)
HAND_BACK = Sql(
    "UPDATE webhook_event SET next_attempt_at = :now, attempts = attempts - 1"
    " WHERE id = :id AND attempts = :token"
)
RECORD = Sql(
    "INSERT INTO webhook_attempt (event_id, attempted_at, status_code, latency_ms, error)"
    " VALUES (:event_id, :at, :status_code, :latency_ms, :error)"
)


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: str
    account_id: int
    url: str
    payload: str
    token: int


@dataclass(frozen=True, slots=True)
class Outcome:
    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def claim_due(tx: Tx, *, limit: int, lease_seconds: float, busy: list[int]) -> list[ClaimedEvent]:
    """Lease up to `limit` due events of accounts not in `busy` (those at their concurrency cap)."""
    now = utcnow()
    params: dict[str, object] = {
        "now": now,
        "limit": limit,
        "lease_until": now + timedelta(seconds=lease_seconds),
    }
    params.update(in_params("b", busy))
    rows = await tx.fetchall(_claim_sql(tx.dialect, len(busy)), params)
    return [ClaimedEvent(row[0], int(row[1]), row[2], row[3], int(row[4])) for row in rows]


async def record(tx: Tx, event: ClaimedEvent, outcome: Outcome, *, retry_at: datetime | None) -> bool:
    """Record one attempt and what follows: done, another try at `retry_at`, or given up (None
    after a failure). False if the lease was lost (another worker took the event)."""
    if outcome.ok:
        status, next_at, delivered_at = EVENT_DELIVERED, None, outcome.at
    elif retry_at is None:
        status, next_at, delivered_at = EVENT_FAILED, None, None
    else:
        status, next_at, delivered_at = EVENT_PENDING, retry_at, None
    changed = await tx.execute(
        GUARD,
        {
            "status": status,
            "next": next_at,
            "delivered_at": delivered_at,
            "id": event.id,
            "token": event.token,
        },
    )
    if not changed:
        return False
    await tx.execute(
        RECORD,
        {
            "event_id": event.id,
            "at": outcome.at,
            "status_code": outcome.status_code,
            "latency_ms": outcome.latency_ms,
            "error": outcome.error,
        },
    )
    return True


Attempt = tuple[ClaimedEvent, Outcome, datetime | None]
"""An event, how its delivery went, and when to try again (None: not again)."""


async def record_all(tx: Tx, attempts: list[Attempt]) -> list[bool]:
    """`record` each attempt, in one transaction; rows in id order, so that two workers' batches
    cannot lock each other's rows in opposite orders on PostgreSQL."""
    order = sorted(range(len(attempts)), key=lambda index: attempts[index][0].id)
    recorded = [False] * len(attempts)
    for index in order:
        event, outcome, retry_at = attempts[index]
        recorded[index] = await record(tx, event, outcome, retry_at=retry_at)
    return recorded


async def hand_back(tx: Tx, events: list[ClaimedEvent]) -> None:
    """Return claimed events untried (their claim does not count as an attempt), due at once."""
    now = utcnow()
    for event in events:
        await tx.execute(HAND_BACK, {"now": now, "id": event.id, "token": event.token})
