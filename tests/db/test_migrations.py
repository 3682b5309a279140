"""Migrations: they build exactly the tables the models declare, and they reverse cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from longcode.db.engine import create_engine
from longcode.db.migrate import alembic_config, is_managed
from longcode.db.models import metadata


async def test_migrated_schema_matches_the_models(settings):
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True, "include_name": is_managed}),
                    metadata,
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_downgrade_to_base_and_upgrade_again(settings):
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            assert set(tables) <= {"alembic_version"}
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            assert {"account", "api_key", "number", "message", "account_callback"} <= set(tables)
    finally:
        await engine.dispose()
