"""Bringing a database to the newest schema (run at every start; cheap when already there)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant works; it only has to be the same in every longcode process.
PG_MIGRATION_LOCK = 0x6C6F6E67


# Search structures the models cannot declare, made by hand in the migrations: SQLite's FTS5
# trigram index over numbers (a virtual table and its shadow tables) and PostgreSQL's pg_trgm index.
UNMANAGED_PREFIXES = ("number_fts", "ix_number_value_trgm")


def is_managed(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` hook: compare only what the models declare."""
    return not (name or "").startswith(UNMANAGED_PREFIXES)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Several processes may start at once; one migrates, the others wait and find it done.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Apply every pending migration in one transaction."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
