"""The webhook worker: POSTs due events to customers' URLs, signs them, records every attempt.

Each delivery runs in its own task with a timeout. At most `webhook_concurrency` are in flight,
and at most `webhook_account_concurrency` for one account: a slow or dead receiver fills only
its own account's slots (the claim skips accounts that are full), never another's, and never
the API's. Failures (non-2xx, timeout, refused connection) retry with exponential backoff and
jitter up to `webhook_max_attempts`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from datetime import UTC, datetime

import aiohttp

from longcode import __version__
from longcode.claiming import InHand, keep_claiming
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.coalesce import Coalescer
from longcode.db.tx import TxRunner
from longcode.delivery.retry import backoff
from longcode.webhooks import queue, signing
from longcode.webhooks.queue import ClaimedEvent, Outcome

log = logging.getLogger(__name__)

RETRY_CAP_SECONDS = 3600.0
SECRET_TTL_SECONDS = 30.0
"""How long a worker signs with a secret it read: a rotated secret is in use within this."""
USER_AGENT = f"longcode-webhooks/{__version__}"


class WebhookWorker:
    def __init__(self, runner: TxRunner, settings: Settings) -> None:
        self._runner = runner
        self._settings = settings
        self._in_flight: InHand[ClaimedEvent] = InHand(settings.webhook_concurrency)
        self._secrets: dict[int, tuple[str, float]] = {}
        # Attempts recorded together: a transaction each was most of the worker's database work.
        self._records: Coalescer[queue.Attempt, bool] = Coalescer(
            runner, queue.record_all, what="recording webhook attempts"
        )

    async def run(self, stop: asyncio.Event) -> None:
        # aiohttp, not httpx, for the POSTs: httpx's pool falls to ~200 requests/s here once
        # tens are in flight (aiohttp ~3,700/s on the same loopback; see CONTRIBUTING.md).
        connector = aiohttp.TCPConnector(limit=self._settings.webhook_concurrency)
        async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as http:
            try:
                await keep_claiming(
                    stop,
                    lambda: self._claim_and_start(http),
                    lambda: self._idle(stop),
                    what="webhook events",
                    poll=self._settings.worker_poll_seconds,
                )
            finally:
                # What is cancelled is sent again by another worker once its lease runs out.
                await self._in_flight.finish(self._settings.shutdown_grace_seconds or None)

    async def _idle(self, stop: asyncio.Event) -> None:
        """Until the next poll, or sooner when a delivery ends: an account at its concurrency
        share has more waiting, and that slot is free now (else it would wait a whole poll)."""
        if not stop.is_set():
            await self._in_flight.one_ends(self._settings.worker_poll_seconds)

    async def _claim_and_start(self, http: aiohttp.ClientSession) -> bool:
        batch = self._settings.worker_batch
        if not self._in_flight.free:  # a slot at a time: slow receivers may hold most of them
            await self._in_flight.room(1)
            return True
        per_account = Counter(event.account_id for event in self._in_flight.items())
        busy = sorted(a for a, n in per_account.items() if n >= self._settings.webhook_account_concurrency)
        limit = min(batch, self._in_flight.free)
        lease = self._settings.webhook_timeout_seconds + 30
        claimed = await self._runner.transaction(
            lambda tx: queue.claim_due(tx, limit=limit, lease_seconds=lease, busy=busy)
        )
        started, excess = Counter(per_account), []
        for event in claimed:
            if started[event.account_id] >= self._settings.webhook_account_concurrency:
                excess.append(event)  # over the account's share in this batch
                continue
            started[event.account_id] += 1
            self._in_flight.start(self._deliver(http, event), event, name=f"webhook {event.id}")
        if excess:
            await self._runner.transaction(lambda tx: queue.hand_back(tx, excess))
        return len(claimed) == limit

    async def _secret(self, account_id: int) -> str:
        cached = self._secrets.get(account_id)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        secret = await self._runner.transaction(lambda tx: signing.account_secret(tx, account_id))
        self._secrets[account_id] = (secret, time.monotonic() + SECRET_TTL_SECONDS)
        return secret

    async def _deliver(self, http: aiohttp.ClientSession, event: ClaimedEvent) -> None:
        try:
            outcome = await self._post(http, event)
            retry_at = None
            if not outcome.ok and event.token < self._settings.webhook_max_attempts:
                delay = backoff(
                    event.token - 1, base=self._settings.webhook_retry_base_seconds, cap=RETRY_CAP_SECONDS
                )
                retry_at = utcnow().timestamp() + delay
            await self._records.run((event, outcome, None if retry_at is None else _at(retry_at)))
        except Exception:
            log.exception("webhook %s: recording the attempt failed; it will be retried", event.id)

    async def _post(self, http: aiohttp.ClientSession, event: ClaimedEvent) -> Outcome:
        body = event.payload.encode()
        headers = {
            "Content-Type": "application/json",
            signing.EVENT_HEADER: event.id,
            signing.HEADER: signing.sign(await self._secret(event.account_id), body, int(time.time())),
        }
        at, started = utcnow(), time.monotonic()
        status_code, error = None, None
        timeout = aiohttp.ClientTimeout(total=self._settings.webhook_timeout_seconds)
        try:
            async with http.post(
                event.url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                status_code = response.status
                await response.release()  # the receiver's body is not read, only its status
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except TimeoutError:
            error = f"timed out after {self._settings.webhook_timeout_seconds:g} s"
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        latency_ms = int((time.monotonic() - started) * 1000)
        return Outcome(at=at, status_code=status_code, latency_ms=latency_ms, error=error)


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
