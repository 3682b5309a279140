"""The sandbox carrier: a simulated carrier for everything off-net, with magic numbers.

A message gets the level-1 receipt `smsc submit` when handed over and, after the sandbox's
receipt delay, a level-2 receipt that ends it. Destinations `1NPA555018X` (any area code)
produce an outcome on demand (README: "Magic numbers"); everything else is delivered, but for
a random share set by the failure ratio.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx, TxRunner
from longcode.delivery import statuses
from longcode.delivery.carriers.base import Accepted, Retry, SubmitResult
from longcode.delivery.queue import Claimed
from longcode.delivery.statuses import Receipt
from longcode.ids import random_hex32
from longcode.messaging.inbound import receive_inbound
from longcode.sandbox import knobs

NAME = "sandbox"

DELIVERED = "delivered"
UNDELIVERABLE = "undeliverable"
SPAM = "spam"
THROTTLED = "throttled"
NO_RECEIPT = "no_receipt"
DELAYED = "delayed_receipt"
AUTO_REPLY = "auto_reply"
RANDOM_FAILURE = "random_failure"

MAGIC = {
    "5550180": DELIVERED,
    "5550181": UNDELIVERABLE,
    "5550182": SPAM,
    "5550183": THROTTLED,
    "5550184": NO_RECEIPT,
    "5550185": DELAYED,
    "5550186": AUTO_REPLY,
}
THROTTLES = 2
"""How many submits to the throttling number are refused before it accepts."""

FINAL = {
    DELIVERED: statuses.DELIVERED,
    UNDELIVERABLE: statuses.UNDELIVERABLE,
    SPAM: statuses.SPAM,
    THROTTLED: statuses.DELIVERED,
    DELAYED: statuses.DELIVERED,
    AUTO_REPLY: statuses.DELIVERED,
    RANDOM_FAILURE: statuses.UNDELIVERABLE.because("Unknown subscriber (sandbox failure ratio)"),
}

RECORD = Sql(
    "INSERT INTO sandbox_outbox (message_id, account_id, from_number, to_number, body, is_mms, outcome,"
    " submitted_at) VALUES (:message_id, :account_id, :from_number, :to_number, :body, :is_mms, :outcome,"
    " :now) ON CONFLICT (message_id) DO NOTHING"
)
OUTCOME = Sql("SELECT outcome FROM sandbox_outbox WHERE message_id = :message_id")


def magic_outcome(to: str) -> str | None:
    """The outcome a magic destination asks for, or None for an ordinary number."""
    return MAGIC.get(to[4:]) if len(to) == 11 else None


class SandboxCarrier:
    name = NAME
    carries_mms = True

    def __init__(self, runner: TxRunner, settings: Settings) -> None:
        self._runner = runner
        self._settings = settings
        self._knobs = knobs.defaults(settings)
        self._knobs_read_at = 0.0

    async def _current_knobs(self) -> knobs.Knobs:
        # Read at most once a second: a change made through /sandbox/ shows within that.
        if time.monotonic() - self._knobs_read_at > 1.0:
            self._knobs = await self._runner.read(lambda tx: knobs.read(tx, self._settings))
            self._knobs_read_at = time.monotonic()
        return self._knobs

    async def submit(self, message: Claimed) -> SubmitResult:
        current = await self._current_knobs()
        outcome = magic_outcome(message.to_number)
        if outcome is None:
            outcome = RANDOM_FAILURE if random.random() < current.failure_ratio else DELIVERED
        if outcome == THROTTLED and message.retries < THROTTLES:
            return Retry("ESME_RTHROTTLED: throttling error (sandbox)")
        params = {
            "message_id": message.id,
            "account_id": message.account_id,
            "from_number": message.from_number,
            "to_number": message.to_number,
            "body": message.body,
            "is_mms": message.is_mms,
            "outcome": outcome,
            "now": utcnow(),
        }
        await self._runner.transaction(lambda tx: tx.execute(RECORD, params))
        if outcome == NO_RECEIPT:
            return Accepted(f"sbx-{random_hex32()}", settle_at=None)
        delay = current.delayed_receipt_seconds if outcome == DELAYED else current.receipt_delay_seconds
        return Accepted(f"sbx-{random_hex32()}", settle_at=utcnow() + timedelta(seconds=delay))

    async def settle(self, tx: Tx, message: Claimed) -> Receipt | None:
        row = await tx.fetchone(OUTCOME, {"message_id": message.id})
        outcome = row[0] if row else DELIVERED
        if outcome == AUTO_REPLY:
            await receive_inbound(
                tx,
                self._settings,
                to=message.from_number,
                from_=message.to_number,
                body=f"Auto-reply from {message.to_number}: {message.body or ''}",
                origin_id=message.id.replace("mdr", "rpl", 1),
            )
        return FINAL.get(outcome)
