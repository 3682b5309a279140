"""Engines and sessions: SQLite (WAL, foreign keys) by default, PostgreSQL from a URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from longcode.config import Settings

SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_pragmas(synchronous: str) -> list[str]:
    """What every SQLite connection runs first, the writer's and SQLAlchemy's alike."""
    return [
        "PRAGMA journal_mode=WAL",
        f"PRAGMA synchronous={synchronous}",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    ]


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine for `settings`; creates the data directory for a SQLite file."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, pool_size=4, max_overflow=4)
        pragmas = sqlite_pragmas(settings.sqlite_synchronous)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in pragmas:
                cursor.execute(pragma)
            cursor.close()

        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def sqlite_path(settings: Settings) -> str:
    """The file behind a SQLite URL."""
    database = make_url(settings.effective_database_url).database
    if not database:
        raise ValueError("a SQLite URL needs a file path")
    return database


def asyncpg_dsn(settings: Settings) -> str:
    """The plain `postgresql://` DSN asyncpg wants, from the SQLAlchemy URL."""
    url = make_url(settings.effective_database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def open_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose transaction the caller commits; rolled back if the caller does not."""
    async with session_factory(engine)() as session:
        yield session
