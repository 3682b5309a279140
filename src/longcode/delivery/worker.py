"""The delivery worker: claims due messages and moves each one step on.

`run(stop)` loops until `stop` is set: claim a batch (leased), handle each message in its own
task (at most `worker_concurrency` at once), sleep `worker_poll_seconds` when idle. On stop it
claims nothing more, lets messages in hand finish for `shutdown_grace_seconds`, and hands the
rest back (their leases released) so another worker takes them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx

from longcode.claiming import InHand, keep_claiming
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.coalesce import Coalescer
from longcode.db.tx import Sql, Tx, TxRunner, in_list, in_params
from longcode.delivery import media, queue, statuses, steps
from longcode.delivery.carriers import onnet
from longcode.delivery.carriers.base import Accepted, Carrier, Failed, Retry
from longcode.delivery.queue import Claimed
from longcode.delivery.retry import backoff

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _routes_sql(count: int) -> Sql:
    return Sql(
        "SELECT m.id,"
        " EXISTS (SELECT 1 FROM number n WHERE n.value = m.to_number AND n.account_id IS NOT NULL),"
        " COALESCE((SELECT carrier FROM number WHERE value = m.from_number),"
        " (SELECT carrier FROM account WHERE id = m.account_id)),"
        " (SELECT COUNT(*) FROM message_media WHERE message_id = m.id)"
        f" FROM message m WHERE m.id IN ({in_list('m', count)})"
    )


@dataclass(frozen=True, slots=True)
class Route:
    """Where a message to submit goes: on-net, or to a carrier (None: the default)."""

    on_net: bool
    carrier: str | None
    media_stored: int


class Carriers:
    """The carriers a worker can hand messages to, by name (`None`: the default, the sandbox)."""

    def __init__(self, default: Carrier) -> None:
        self.default = default
        self._by_name: dict[str, Carrier] = {default.name: default}

    def add(self, carrier: Carrier) -> None:
        self._by_name[carrier.name] = carrier

    def remove(self, name: str) -> Carrier | None:
        return self._by_name.pop(name, None) if name != self.default.name else None

    def get(self, name: str | None) -> Carrier | None:
        return self.default if name is None else self._by_name.get(name)

    def names(self) -> list[str]:
        return list(self._by_name)


class DeliveryWorker:
    def __init__(self, runner: TxRunner, settings: Settings, carriers: Carriers) -> None:
        self._runner = runner
        self._settings = settings
        self._carriers = carriers
        self._in_hand: InHand[Claimed] = InHand(settings.worker_concurrency)
        self._http: httpx.AsyncClient | None = None
        self._accepts: Coalescer[steps.Handed, None] = Coalescer(runner, self._accept)

    async def run(self, stop: asyncio.Event) -> None:
        poll = self._settings.worker_poll_seconds

        async def idle() -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll)

        async with httpx.AsyncClient(follow_redirects=False) as http:
            self._http = http
            try:
                await keep_claiming(stop, self._claim_and_start, idle, what="messages", poll=poll)
            finally:
                await self._finish()

    async def _claim_and_start(self) -> bool:
        """Start handling a batch; True if the batch was full (more may be due at once)."""
        batch = self._settings.worker_batch
        # Claim when a quarter batch fits, not as each message ends: a claim per message cost a
        # transaction each at SMPP speeds; a full batch would wait on the slowest quarter.
        wanted = max(1, min(batch, self._in_hand.limit) // 4)
        if self._in_hand.free < wanted:
            await self._in_hand.room(wanted)
            return True
        limit = min(batch, self._in_hand.free)
        claimed = await self._runner.transaction(
            lambda tx: queue.claim_due(tx, limit=limit, lease_seconds=self._settings.lease_seconds)
        )
        for message, route in await self._prepare(claimed):
            self._in_hand.start(self._handle(message, route), message, name=f"deliver {message.id}")
        return len(claimed) == limit

    async def _prepare(self, claimed: list[Claimed]) -> list[tuple[Claimed, Route | None]]:
        """Route the batch's submits (one read) and pace those bound for a carrier (one
        transaction): per message, each was a round trip that held back SMPP throughput. The
        messages whose slot is ahead are left out: they are claimed again at their slot."""
        submits = [message for message in claimed if message.stage == "submit"]
        routes = await self._runner.read(lambda tx: _routes(tx, submits)) if submits else {}
        to_pace = [
            (message, self._rate(message))
            for message in submits
            if message.id in routes
            and message.paced_at is None
            and self._needs_slot(message, routes[message.id])
        ]
        waiting: set[str] = set()
        if to_pace:
            going = await self._runner.transaction(lambda tx: steps.pace(tx, to_pace))
            waiting = {message.id for message, _ in to_pace} - {message.id for message in going}
        return [
            (message, routes.get(message.id))
            for message in claimed
            if message.id not in waiting and (message.stage != "submit" or message.id in routes)
        ]  # a submit without a route: its row is gone (an account's sandbox reset)

    def _needs_slot(self, message: Claimed, route: Route) -> bool:
        """Whether the message leaves by a carrier now (not on-net, not expired, not refused)."""
        if route.on_net or utcnow() >= steps.deadline(self._settings, message):
            return False
        carrier = self._carriers.get(route.carrier)
        return carrier is not None and (carrier.carries_mms or not message.is_mms)

    def _rate(self, message: Claimed) -> float:
        if message.message_type == "toll-free":
            return self._settings.pace_tollfree_mps
        return self._settings.pace_longcode_mps

    async def _finish(self) -> None:
        left = await self._in_hand.finish(self._settings.shutdown_grace_seconds or None)
        if left:
            await self._runner.transaction(lambda tx: queue.release(tx, left))
            log.info("shutdown: %d messages handed back for another worker", len(left))

    async def _handle(self, message: Claimed, route: Route | None) -> None:
        try:
            if route is not None:
                await self._submit(message, route)
            else:
                carrier = self._carriers.get(message.carrier)
                await self._step(lambda tx: steps.settle(tx, self._settings, message, carrier))
        except steps.LeaseLost:
            log.info("lease on %s lost: another worker has it", message.id)
        except Exception:
            # Left leased: it is taken again when the lease ends, so nothing is lost.
            log.exception("delivering %s failed; it will be retried", message.id)

    async def _step(self, step: Callable[[Tx], Coroutine[Any, Any, None]]) -> None:
        await self._runner.transaction(step)

    async def _submit(self, message: Claimed, route: Route) -> None:
        settings = self._settings
        if utcnow() >= steps.deadline(settings, message):
            await self._step(lambda tx: steps.fail(tx, settings, message, statuses.EXPIRED))
            return
        carrier = None if route.on_net else self._carriers.get(route.carrier)
        if not route.on_net:
            if carrier is None:
                reason = f"carrier {route.carrier!r} is not configured (longcode carriers list)"
                await self._retry(message, reason, None)
                return
            if message.is_mms and not carrier.carries_mms:  # said before fetching media for nothing
                refused = statuses.SMSC_REJECT.because(f"Carrier {carrier.name} carries SMS only, not MMS")
                await self._step(lambda tx: steps.fail(tx, settings, message, refused))
                return
        if message.is_mms and message.media_urls != "[]" and not route.media_stored:
            if not await self._fetch_media(message):
                return
        if carrier is None:
            await self._step(lambda tx: onnet.deliver(tx, settings, message))
            return
        result = await carrier.submit(message)
        if isinstance(result, Accepted):
            await self._accepts.run((message, carrier.name, result))
        elif isinstance(result, Retry):
            await self._retry(message, result.reason, result.delay)
        elif isinstance(result, Failed):
            await self._step(lambda tx: steps.fail(tx, settings, message, result.receipt))

    async def _accept(self, tx: Tx, handed: list[steps.Handed]) -> list[None]:
        return await steps.accept(tx, self._settings, handed)

    async def _retry(self, message: Claimed, reason: str, delay: float | None) -> None:
        settings = self._settings
        if delay is None:
            delay = backoff(
                message.retries,
                base=settings.delivery_retry_base_seconds,
                cap=settings.delivery_retry_max_seconds,
            )
        await self._step(lambda tx: steps.retry(tx, settings, message, reason, delay))

    async def _fetch_media(self, message: Claimed) -> bool:
        """Fetch and record the MMS's media; False if the message was failed or rescheduled."""
        assert self._http is not None
        files = []
        try:
            for position, url in enumerate(json.loads(message.media_urls), start=1):
                files.append(await media.fetch(self._http, url, position, self._settings))
        except media.MediaError as error:
            if error.temporary:
                await self._retry(message, error.detail, None)
            else:
                receipt = statuses.MEDIA_FAILED.because(f"A media file could not be fetched: {error.detail}")
                await self._step(lambda tx: steps.fail(tx, self._settings, message, receipt))
            return False
        await self._step(lambda tx: steps.attach_media(tx, message, files))
        return True


async def _routes(tx: Tx, messages: list[Claimed]) -> dict[str, Route]:
    rows = await tx.fetchall(_routes_sql(len(messages)), in_params("m", [m.id for m in messages]))
    return {row[0]: Route(bool(row[1]), row[2], int(row[3])) for row in rows}
