"""What the delivery and webhook workers share: the loop that claims due work, and the tasks in
hand.

A worker at its concurrency waits for room (`InHand.room`) before it claims again, on one event
rather than on every task in hand (that cost a callback per task in hand per claim). A claim
that fails (the database restarting, a network blip to PostgreSQL) is logged and tried again
after a backoff; it does not end the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, TypeVar

from longcode.delivery.retry import backoff

T = TypeVar("T")
log = logging.getLogger(__name__)

CLAIM_RETRY_MAX_SECONDS = 5.0


class InHand(Generic[T]):
    """The tasks a worker runs at once (at most `limit`), each with the item it works on."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._tasks: dict[asyncio.Task[None], T] = {}
        self._wanted = 0
        self._room = asyncio.Event()
        self._ended = asyncio.Event()

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def free(self) -> int:
        return self.limit - len(self._tasks)

    def items(self) -> list[T]:
        return list(self._tasks.values())

    def start(self, job: Coroutine[Any, Any, None], item: T, name: str) -> None:
        task = asyncio.create_task(job, name=name)
        self._tasks[task] = item
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        del self._tasks[task]
        self._ended.set()
        if self.free >= self._wanted:
            self._room.set()

    async def room(self, wanted: int) -> None:
        """Return once at least `wanted` (at most `limit`) more tasks may start."""
        self._wanted = min(wanted, self.limit)
        while self.free < self._wanted:
            self._room.clear()
            await self._room.wait()

    async def one_ends(self, timeout: float) -> None:
        """Return when a task ends, or after `timeout`."""
        self._ended.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ended.wait(), timeout)

    async def finish(self, grace: float | None) -> list[T]:
        """Wait up to `grace` seconds (None: for ever) for the tasks in hand; cancel the rest and
        return their items."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=grace)
        left = dict(self._tasks)
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(list(left))
        return list(left.values())


async def keep_claiming(
    stop: asyncio.Event,
    claim: Callable[[], Awaitable[bool]],
    idle: Callable[[], Awaitable[None]],
    *,
    what: str,
    poll: float,
) -> None:
    """Until `stop` is set: `claim` (True when more may be due at once), else `idle`."""
    failures = 0
    while not stop.is_set():
        try:
            busy = await claim()
        except Exception as exc:
            delay = backoff(failures, base=poll, cap=CLAIM_RETRY_MAX_SECONDS)
            failures += 1
            log.warning("claiming %s failed (%s: %s); again in %.2f s", what, type(exc).__name__, exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            continue
        failures = 0
        if not busy:
            await idle()
