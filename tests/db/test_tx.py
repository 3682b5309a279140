"""`Sql` compiles `:name` parameters once for asyncpg; `drive` runs non-suspending steps;
timestamps are written as SQLAlchemy writes them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from longcode.db.base import SQLITE_TIME_FORMAT, sqlite_time
from longcode.db.tx import Sql, drive


def test_positional_numbers_names_in_order_and_reuses_repeats():
    sql = Sql("INSERT INTO m (a, b, c) VALUES (:a, :b, :a) -- :: casts stay")
    text, names = sql.positional
    assert text == "INSERT INTO m (a, b, c) VALUES ($1, $2, $1) -- :: casts stay"
    assert names == ["a", "b"]


def test_drive_returns_the_result_of_a_step_that_never_suspends():
    async def step() -> int:
        return 42

    assert drive(step()) == 42


def test_drive_refuses_a_step_that_suspends():
    async def step() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="suspends"):
        drive(step())


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 23, 9, 5, 7, 123, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),  # no microseconds: still six digits, as SQLAlchemy writes
        datetime(2026, 3, 8, 1, 30, tzinfo=timezone(timedelta(hours=-5))),  # converted to UTC
    ],
)
def test_sqlite_time_writes_the_text_sqlalchemy_stores(moment: datetime):
    assert sqlite_time(moment) == moment.astimezone(UTC).strftime(SQLITE_TIME_FORMAT)
