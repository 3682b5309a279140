"""The single SQLite writer: one thread, one connection, group commit.

SQLite allows one writer at a time. Rather than let request tasks fight over the lock through
a pool (NOTES.md: 5-6x slower), every hot-path write is a job handed to this thread. The thread
takes all jobs waiting, runs each inside its own SAVEPOINT of one transaction, commits once,
and only then answers the callers: an answer therefore means the row is on disk. A job that
raises is rolled back to its savepoint without touching the others in the batch.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from longcode.db.engine import sqlite_pragmas

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]
MAX_BATCH = 256


@dataclass(slots=True)
class _Pending:
    job: Job
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


class SqliteWriter:
    """Runs write jobs on a dedicated connection; `await writer.run(job)` returns its result."""

    def __init__(self, path: str, *, synchronous: str = "FULL") -> None:
        self._path = path
        self._synchronous = synchronous
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        if self._thread is not None:
            return
        connection = self._connect()
        self._thread = threading.Thread(
            target=self._loop, args=(connection,), name="longcode-sqlite-writer", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Finish every job already handed in, then close the connection."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        if self._thread is None:
            raise RuntimeError("the SQLite writer is not running")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put(_Pending(job, future, loop))
        return await future

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False, timeout=10.0)
        for pragma in sqlite_pragmas(self._synchronous):
            connection.execute(pragma)
        return connection

    def _loop(self, connection: sqlite3.Connection) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                stop = self._drain_into(batch)
                self._run_batch(connection, batch)
                if stop:
                    return
        finally:
            connection.close()

    def _drain_into(self, batch: list[_Pending]) -> bool:
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is None:
                return True
            batch.append(item)
        return False

    def _run_batch(self, connection: sqlite3.Connection, batch: list[_Pending]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            connection.execute("BEGIN IMMEDIATE")
            for pending in batch:
                outcomes.append(self._run_one(connection, pending.job))
            connection.execute("COMMIT")
        except Exception as exc:  # the commit itself failed: nobody's write is durable
            log.exception("SQLite group commit failed")
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            outcomes = [(False, exc)] * len(batch)
        self.batches += 1
        self.jobs += len(batch)
        # One wake-up per event loop, not one per job: each call_soon_threadsafe writes to the
        # loop's self-pipe and costs the loop a turn, which showed in the delivery profile.
        answers: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
        for pending, (ok, value) in zip(batch, outcomes, strict=True):
            answers.setdefault(pending.loop, []).append((pending.future, ok, value))
        for loop, settled in answers.items():
            try:
                loop.call_soon_threadsafe(_settle_all, settled)
            except RuntimeError:  # that loop is closed: nobody is left waiting for the answers
                log.warning("SQLite writer: %d answers for a closed event loop dropped", len(settled))

    @staticmethod
    def _run_one(connection: sqlite3.Connection, job: Job) -> tuple[bool, Any]:
        connection.execute("SAVEPOINT job")
        try:
            result = job(connection)
        except Exception as exc:
            connection.execute("ROLLBACK TO job")
            connection.execute("RELEASE job")
            return False, exc
        connection.execute("RELEASE job")
        return True, result


def _settle_all(settled: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in settled:
        if future.cancelled():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
