"""Server-wide values that every process must share (kept in the database, not a file)."""

from __future__ import annotations

import secrets

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base


class ServerSetting(Base):
    __tablename__ = "server_setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(512))


async def get_or_create(session: AsyncSession, name: str, *, nbytes: int = 32) -> str:
    """The value of setting `name`, created as random hex on first use; race-free across processes."""
    existing = await session.scalar(select(ServerSetting.value).where(ServerSetting.name == name))
    if existing is not None:
        return existing
    fresh = secrets.token_hex(nbytes)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(ServerSetting).values(name=name, value=fresh).on_conflict_do_nothing()
    await session.execute(stmt)
    await session.commit()
    value = await session.scalar(select(ServerSetting.value).where(ServerSetting.name == name))
    assert value is not None
    return value
