"""Opening the database the way every entry point does: engine, migrations, sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from longcode.config import Settings
from longcode.db import migrate
from longcode.db.engine import asyncpg_dsn, create_engine, session_factory, sqlite_path
from longcode.db.tx import PgRunner, SqliteReaders, SqliteRunner, TxRunner
from longcode.db.writer import SqliteWriter


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Database]:
    """The migrated database of `settings`, disposed of on exit."""
    engine = create_engine(settings)
    try:
        await migrate.upgrade(engine)
        yield Database(engine=engine, sessions=session_factory(engine))
    finally:
        await engine.dispose()


async def open_runner(settings: Settings) -> TxRunner:
    """The hot-path transaction runner: the SQLite writer thread, or an asyncpg pool."""
    if settings.is_sqlite:
        path = sqlite_path(settings)
        writer = SqliteWriter(path, synchronous=settings.sqlite_synchronous)
        writer.start()
        return SqliteRunner(writer, SqliteReaders(path, threads=settings.sqlite_readers))
    return await PgRunner.connect(asyncpg_dsn(settings))
