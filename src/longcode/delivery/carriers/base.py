"""The seam every carrier fits: one `submit`, and `settle` for what is due after it.

A carrier answers a submit with `Accepted` (handed over; a receipt will follow), `Retry`
(a temporary failure: throttling, a link down) or `Failed` (permanent, with the receipt that
says why). The worker neither knows nor cares which carrier it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from longcode.db.tx import Tx
from longcode.delivery.queue import Claimed
from longcode.delivery.statuses import Receipt


@dataclass(frozen=True, slots=True)
class Accepted:
    carrier_message_id: str | None
    settle_at: datetime | None = None
    """When the worker should ask the carrier to `settle` (None: only at the validity's end)."""


@dataclass(frozen=True, slots=True)
class Retry:
    reason: str
    delay: float | None = None
    """Seconds to wait if the carrier knows (else the backoff decides)."""


@dataclass(frozen=True, slots=True)
class Failed:
    receipt: Receipt


SubmitResult = Accepted | Retry | Failed


class Carrier(Protocol):
    name: str
    carries_mms: bool
    """False: an MMS routed here fails at once, before its media are fetched."""

    async def submit(self, message: Claimed) -> SubmitResult:
        """Hand the message over (network I/O allowed; no transaction is open)."""
        ...

    async def settle(self, tx: Tx, message: Claimed) -> Receipt | None:
        """Inside the worker's transaction, when `settle_at` has come: the final receipt if the
        carrier has one to give now, else None. Must not suspend (SQLite runs it synchronously)."""
        ...
