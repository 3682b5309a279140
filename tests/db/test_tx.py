"""`Sql` compiles `:name` parameters once for asyncpg; `drive` runs non-suspending steps."""

from __future__ import annotations

import asyncio

import pytest

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
