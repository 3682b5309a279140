"""The webhook worker: POSTs due events to customers' URLs, signs them, records every attempt.

Each delivery runs in its own task with a timeout. At most `webhook_concurrency` are in flight,
and at most `webhook_account_concurrency` for one account: a slow or dead receiver fills only
its own account's slots (the claim skips accounts that are full), never another's, and never
the API's. Failures (non-2xx, timeout, refused connection) retry with exponential backoff and
jitter up to `webhook_max_attempts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from datetime import UTC, datetime

import httpx

from longcode import __version__
from longcode.config import Settings
from longcode.db.base import utcnow
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
        self._in_flight: dict[asyncio.Task[None], ClaimedEvent] = {}
        self._secrets: dict[int, tuple[str, float]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        limits = httpx.Limits(max_connections=self._settings.webhook_concurrency)
        async with httpx.AsyncClient(limits=limits, follow_redirects=False) as http:
            try:
                while not stop.is_set():
                    if not await self._claim_and_start(http):
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(stop.wait(), self._settings.worker_poll_seconds)
            finally:
                if self._in_flight:
                    await asyncio.wait(
                        list(self._in_flight), timeout=self._settings.shutdown_grace_seconds or None
                    )
                for task in list(self._in_flight):
                    task.cancel()  # its lease runs out and another worker sends it again

    async def _claim_and_start(self, http: httpx.AsyncClient) -> bool:
        free = self._settings.webhook_concurrency - len(self._in_flight)
        if free <= 0:
            await asyncio.wait(list(self._in_flight), return_when=asyncio.FIRST_COMPLETED)
            return True
        per_account = Counter(event.account_id for event in self._in_flight.values())
        busy = sorted(a for a, n in per_account.items() if n >= self._settings.webhook_account_concurrency)
        limit = min(self._settings.worker_batch, free)
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
            task = asyncio.create_task(self._deliver(http, event), name=f"webhook {event.id}")
            self._in_flight[task] = event
            task.add_done_callback(self._in_flight.pop)
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

    async def _deliver(self, http: httpx.AsyncClient, event: ClaimedEvent) -> None:
        try:
            outcome = await self._post(http, event)
            retry_at = None
            if not outcome.ok and event.token < self._settings.webhook_max_attempts:
                delay = backoff(
                    event.token - 1, base=self._settings.webhook_retry_base_seconds, cap=RETRY_CAP_SECONDS
                )
                retry_at = utcnow().timestamp() + delay
            await self._runner.transaction(
                lambda tx: queue.record(
                    tx, event, outcome, retry_at=None if retry_at is None else _at(retry_at)
                )
            )
        except Exception:
            log.exception("webhook %s: recording the attempt failed; it will be retried", event.id)

    async def _post(self, http: httpx.AsyncClient, event: ClaimedEvent) -> Outcome:
        body = event.payload.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            signing.EVENT_HEADER: event.id,
            signing.HEADER: signing.sign(await self._secret(event.account_id), body, int(time.time())),
        }
        at, started = utcnow(), time.monotonic()
        status_code, error = None, None
        try:
            response = await http.post(
                event.url, content=body, headers=headers, timeout=self._settings.webhook_timeout_seconds
            )
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except httpx.TimeoutException:
            error = f"timed out after {self._settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        latency_ms = int((time.monotonic() - started) * 1000)
        return Outcome(at=at, status_code=status_code, latency_ms=latency_ms, error=error)


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
