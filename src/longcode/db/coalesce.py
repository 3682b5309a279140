"""Many callers' small transactions run as one: `await coalescer.run(item)`.

The hot path's tiny steps (an SMPP receipt, a carrier's acceptance) each cost a full round trip
to the database: a job for the SQLite writer with its own savepoint and answer, or a pooled
PostgreSQL connection with its own BEGIN and COMMIT. Under load, that overhead outweighed the
step itself. Items handed in while one flush is running go together in the next flush, one
transaction for all of them; a lone item goes at once, in the loop's next turn. The step takes
the whole batch, so that it can look up what all its items need in one query.

A step that raises would take its neighbours' work down with it, so a batch that fails is run
again one item per transaction: each caller gets its own result or its own exception, exactly as
if it had run alone.

`put(item)` hands an item in without waiting for its result (a failure is logged): for callers
with nothing to do with the answer, which would otherwise each keep a task and a future alive
until the commit. It waits only while `max_backlog` items are already waiting, so that a slow
database holds the producer back instead of filling memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from longcode.db.tx import Tx, TxRunner

I = TypeVar("I")  # noqa: E741 (the item, as in Generic[I, R])
R = TypeVar("R")
log = logging.getLogger(__name__)

MAX_ITEMS = 256
"""Items in one transaction at most: a bigger batch would hold the writer for too long."""
MAX_BACKLOG = 4 * MAX_ITEMS
"""Items waiting at most before `put` waits for room."""


class Coalescer(Generic[I, R]):
    def __init__(
        self,
        runner: TxRunner,
        step: Callable[[Tx, list[I]], Coroutine[Any, Any, list[R]]],
        *,
        max_items: int = MAX_ITEMS,
        max_backlog: int = MAX_BACKLOG,
        what: str = "a coalesced step",
    ) -> None:
        self._runner = runner
        self._step = step
        self._max_items = max_items
        self._max_backlog = max_backlog
        self._what = what
        self._waiting: list[tuple[I, asyncio.Future[R] | None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._taken = asyncio.Event()
        self.flushes = 0

    async def run(self, item: I) -> R:
        """Run `step(tx, [..., item, ...])` in a transaction shared with whatever else is waiting;
        this item's result."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._start_flushing()
        return await future

    async def put(self, item: I) -> None:
        """Hand `item` in for a shared transaction, without waiting for it to run."""
        await self.below(self._max_backlog)
        self._waiting.append((item, None))
        self._start_flushing()

    async def below(self, count: int) -> None:
        """Return once fewer than `count` items wait to be taken into a transaction."""
        while len(self._waiting) >= count:
            self._taken.clear()
            await self._taken.wait()

    async def drained(self) -> None:
        """Return once every item handed in so far has had its transaction."""
        while self._flusher is not None:
            await asyncio.shield(self._flusher)

    @property
    def backlog(self) -> int:
        """Items handed in and not yet taken into a transaction."""
        return len(self._waiting)

    def _start_flushing(self) -> None:
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_all(), name="coalesced transactions")

    async def _flush_all(self) -> None:
        batch: list[tuple[I, asyncio.Future[R] | None]] = []
        try:
            while self._waiting:
                batch = self._waiting[: self._max_items]
                del self._waiting[: self._max_items]
                self._taken.set()
                await self._flush(batch)
        finally:
            self._flusher = None
            for _, future in batch + self._waiting:  # cancelled mid-flush: nobody is left hanging
                if future is not None:
                    future.cancel()
            self._waiting.clear()
            self._taken.set()

    async def _flush(self, batch: list[tuple[I, asyncio.Future[R] | None]]) -> None:
        self.flushes += 1
        items = [item for item, _ in batch]
        try:
            results = await self._runner.transaction(lambda tx: self._step(tx, items))
        except Exception as exc:
            if len(batch) == 1:
                self._settle(batch[0][1], error=exc)
            else:
                await asyncio.gather(*(self._alone(item, future) for item, future in batch))
            return
        for (_, future), result in zip(batch, results, strict=True):
            self._settle(future, result=result)

    async def _alone(self, item: I, future: asyncio.Future[R] | None) -> None:
        try:
            (result,) = await self._runner.transaction(lambda tx: self._step(tx, [item]))
        except Exception as exc:
            self._settle(future, error=exc)
        else:
            self._settle(future, result=result)

    def _settle(
        self, future: asyncio.Future[Any] | None, *, result: Any = None, error: Exception | None = None
    ) -> None:
        if future is None:  # handed in by `put`: nobody waits for the answer
            if error is not None:
                log.error("%s failed", self._what, exc_info=error)
            return
        _settle(future, result=result, error=error)


def _settle(future: asyncio.Future[Any], *, result: Any = None, error: Exception | None = None) -> None:
    if future.done():  # its caller was cancelled (shutdown)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
