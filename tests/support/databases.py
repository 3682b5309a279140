"""Test databases: a migrated template made once per run, copied fresh for every test.

SQLite: the template is a file, copied per test. PostgreSQL (when LONGCODE_TEST_DATABASE_URL
names a server): the template is a database, and each test gets `CREATE DATABASE ... TEMPLATE`.
API tests go through the real write path, which commits on its own connections, so isolation
by rolling back one shared transaction cannot work; a fresh database per test does.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from longcode.config import ExplicitSettings
from longcode.db import migrate
from longcode.db.engine import create_engine

PG_ENV = "LONGCODE_TEST_DATABASE_URL"
_counter = itertools.count()


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


async def _migrate(url: str, data_dir: Path) -> None:
    engine = create_engine(ExplicitSettings(data_dir=data_dir, database_url=url))
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


class SqliteTemplates:
    def __init__(self, root: Path) -> None:
        self.template = root / "template.db"
        asyncio.run(_migrate(f"sqlite+aiosqlite:///{self.template}", root))

    def fresh(self, directory: Path) -> str:
        target = directory / "longcode.db"
        shutil.copyfile(self.template, target)
        return f"sqlite+aiosqlite:///{target}"


class PostgresTemplates:
    def __init__(self, url: str, root: Path) -> None:
        self.url = make_url(url)
        self.prefix = f"lc_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        asyncio.run(self._admin(f'CREATE DATABASE "{self.template}"'))
        asyncio.run(_migrate(self._url_for(self.template), root))

    def _url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    async def _admin(self, *statements: str) -> None:
        import asyncpg

        admin = self.url.set(drivername="postgresql", database="postgres")
        connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def fresh(self) -> tuple[str, str]:
        name = f"{self.prefix}_{next(_counter)}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url_for(name), name

    def drop(self, name: str) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.drop(self.template)
