"""What was sent to customers' callback URLs and how each attempt went (`longcode webhooks list`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from longcode.db.base import as_utc
from longcode.db.tx import Sql, Tx, in_list, in_params

_EVENTS = (
    "SELECT id, account_id, message_id, kind, url, status, attempts, next_attempt_at, created_at,"
    " delivered_at FROM webhook_event WHERE 1 = 1{filters} ORDER BY created_at DESC, id DESC LIMIT :limit"
)
_ATTEMPTS = (
    "SELECT event_id, attempted_at, status_code, latency_ms, error FROM webhook_attempt"
    " WHERE event_id IN ({ids}) ORDER BY id"
)


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


@dataclass(slots=True)
class Event:
    id: str
    account_id: int
    message_id: str
    kind: str
    url: str
    status: str
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    attempts: list[Attempt] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def iso(at: datetime | None) -> str | None:
            return None if at is None else at.isoformat()

        return {
            "id": self.id,
            "account_id": self.account_id,
            "message_id": self.message_id,
            "kind": self.kind,
            "url": self.url,
            "status": self.status,
            "next_attempt_at": iso(self.next_attempt_at),
            "created_at": iso(self.created_at),
            "delivered_at": iso(self.delivered_at),
            "attempts": [
                {"at": iso(a.at), "status_code": a.status_code, "latency_ms": a.latency_ms, "error": a.error}
                for a in self.attempts
            ],
        }


async def list_events(
    tx: Tx, *, message_id: str | None = None, account_id: int | None = None, limit: int = 50
) -> list[Event]:
    """Newest events first, each with every attempt in the order they were made."""
    params: dict[str, Any] = {"limit": limit}
    filters = ""
    if message_id is not None:
        filters, params["message_id"] = filters + " AND message_id = :message_id", message_id
    if account_id is not None:
        filters, params["account_id"] = filters + " AND account_id = :account_id", account_id
    events = [
        Event(
            id=row[0],
            account_id=int(row[1]),
            message_id=row[2],
            kind=row[3],
            url=row[4],
            status=row[5],
            next_attempt_at=_utc(row[7]),
            created_at=as_utc(row[8]),
            delivered_at=_utc(row[9]),
        )
        for row in await tx.fetchall(Sql(_EVENTS.format(filters=filters)), params)
    ]
    if events:
        by_id = {event.id: event for event in events}
        query = Sql(_ATTEMPTS.format(ids=in_list("e", len(events))))
        for row in await tx.fetchall(query, in_params("e", by_id)):
            by_id[row[0]].attempts.append(Attempt(as_utc(row[1]), row[2], int(row[3]), row[4]))
    return events


def _utc(value: Any) -> datetime | None:
    return None if value is None else as_utc(value)
