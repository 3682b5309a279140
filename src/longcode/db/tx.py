"""One transaction API for the hot path, on the SQLite writer or on an asyncpg pool.

Hot-path logic is written once as `async def step(tx: Tx) -> T` with `:name` SQL. On PostgreSQL
it runs on an asyncpg connection inside a transaction. On SQLite it runs in the writer thread:
`SqliteTx` never suspends, so the coroutine is driven to completion synchronously there (the
sans-I/O trick), inside the writer's group-committed transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol, TypeVar

from longcode.db.base import sqlite_time
from longcode.db.engine import SQLITE_BUSY_TIMEOUT_MS
from longcode.db.writer import SqliteWriter

T = TypeVar("T")
Row = tuple[Any, ...]
_PARAM = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


def in_list(prefix: str, count: int) -> str:
    """`:p0, :p1, …`: the placeholders of an `IN (…)` over `count` values (see `in_params`)."""
    return ", ".join(f":{prefix}{index}" for index in range(count))


def in_params(prefix: str, values: Iterable[Any]) -> dict[str, Any]:
    """The parameters matching `in_list(prefix, len(values))`."""
    return {f"{prefix}{index}": value for index, value in enumerate(values)}


class Sql:
    """A statement with `:name` parameters, compiled once for each driver."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def positional(self) -> tuple[str, list[str]]:
        """The `$1`-style text asyncpg wants, and the parameter names in order."""
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"

        return _PARAM.sub(number, self.text), names


class Tx(Protocol):
    dialect: str
    """`sqlite` or `postgresql`, for the few statements that must differ (row locks)."""

    async def fetchone(self, sql: Sql, params: Mapping[str, Any]) -> Row | None: ...

    async def fetchall(self, sql: Sql, params: Mapping[str, Any]) -> list[Row]: ...

    async def execute(self, sql: Sql, params: Mapping[str, Any]) -> int:
        """Run a statement; the number of rows it changed."""
        ...


ADVISORY_LOCK = Sql("SELECT pg_advisory_xact_lock(:lock)")


def lock_key(*name: object) -> int:
    """The signed 64-bit PostgreSQL advisory-lock key of a lock name."""
    digest = hashlib.blake2b(repr(name).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def serialize(tx: Tx, *name: object) -> None:
    """Hold the lock `name` until this transaction ends: transactions that take the same lock
    run one after the other, and each sees what the one before committed.

    Needed where two transactions each write a row the other must read (under READ COMMITTED
    neither sees the other's, and both commit). SQLite needs nothing: its one writer runs every
    transaction after the one before.
    """
    if tx.dialect == "postgresql":
        await tx.execute(ADVISORY_LOCK, {"lock": lock_key(*name)})


class TxRunner(Protocol):
    async def transaction(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T: ...

    async def read(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        """Run a read-only step on a consistent snapshot, off the writer."""
        ...

    async def close(self) -> None: ...


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_time(value)
    return value


class SqliteTx:
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def fetchone(self, sql: Sql, params: Mapping[str, Any]) -> Row | None:
        row = self._connection.execute(sql.text, _sqlite_params(params)).fetchone()
        return None if row is None else tuple(row)

    async def fetchall(self, sql: Sql, params: Mapping[str, Any]) -> list[Row]:
        return [tuple(row) for row in self._connection.execute(sql.text, _sqlite_params(params))]

    async def execute(self, sql: Sql, params: Mapping[str, Any]) -> int:
        return self._connection.execute(sql.text, _sqlite_params(params)).rowcount


def _sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _sqlite_value(value) for name, value in params.items()}


def drive(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends to its result, synchronously."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a SQLite transaction step awaited something that suspends")


class SqliteReaders:
    """Reader threads, each with its own read-only connection: WAL lets them read while the
    writer writes, and a whole read step costs one thread hop instead of one per query.

    One thread is the default: the reads are short and CPU-bound, so more threads only queue
    on the GIL behind the event loop (measured with bench/mdr_query.py: p99 ~16 ms with one
    thread, ~30 ms with two, ~50 ms with four).
    """

    def __init__(self, path: str, *, threads: int = 1) -> None:
        self._path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="longcode-sqlite-reader")

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA query_only=ON")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _run(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        connection = self._connection()
        connection.execute("BEGIN")  # one snapshot for every query of the step
        try:
            return drive(step(SqliteTx(connection)))
        finally:
            connection.execute("COMMIT")

    async def read(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._run, step)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


class SqliteRunner:
    def __init__(self, writer: SqliteWriter, readers: SqliteReaders) -> None:
        self._writer = writer
        self._readers = readers

    async def transaction(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        return await self._writer.run(lambda connection: drive(step(SqliteTx(connection))))

    async def read(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        return await self._readers.read(step)

    async def close(self) -> None:
        self._writer.stop()
        self._readers.close()


class PgTx:
    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def fetchone(self, sql: Sql, params: Mapping[str, Any]) -> Row | None:
        text, names = sql.positional
        row = await self._connection.fetchrow(text, *[params[name] for name in names])
        return None if row is None else tuple(row)

    async def fetchall(self, sql: Sql, params: Mapping[str, Any]) -> list[Row]:
        text, names = sql.positional
        rows = await self._connection.fetch(text, *[params[name] for name in names])
        return [tuple(row) for row in rows]

    async def execute(self, sql: Sql, params: Mapping[str, Any]) -> int:
        text, names = sql.positional
        status: str = await self._connection.execute(text, *[params[name] for name in names])
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0


class PgRunner:
    def __init__(self, pool: Any) -> None:
        self._pool = pool

    @classmethod
    async def connect(cls, dsn: str, *, max_size: int = 20) -> PgRunner:
        import asyncpg

        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=max_size))

    async def transaction(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        async with self._pool.acquire() as connection, connection.transaction():
            return await step(PgTx(connection))

    async def read(self, step: Callable[[Tx], Coroutine[Any, Any, T]]) -> T:
        async with self._pool.acquire() as connection, connection.transaction(readonly=True):
            return await step(PgTx(connection))

    async def close(self) -> None:
        await self._pool.close()


__all__ = ["Sql", "Tx", "TxRunner", "SqliteRunner", "SqliteReaders", "PgRunner", "drive"]
