"""Coalesced transactions: many callers' steps share one transaction, and a step that fails
fails for its own caller only (the batch is run again one item at a time)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from longcode.db.coalesce import Coalescer
from longcode.db.tx import Sql, SqliteReaders, SqliteRunner, Tx
from longcode.db.writer import SqliteWriter
from tests.support import scratch_db

INSERT = Sql("INSERT INTO t (v) VALUES (:v)")


@pytest.fixture
async def runner(tmp_path):
    path = scratch_db.create(str(tmp_path / "c.db"), wal=True)
    writer = SqliteWriter(path)
    writer.start()
    sqlite_runner = SqliteRunner(writer, SqliteReaders(path))
    yield sqlite_runner, writer, path
    await sqlite_runner.close()


async def insert(tx: Tx, values: list[str]) -> list[str]:
    for value in values:
        await tx.execute(INSERT, {"v": value})
    return [value.upper() for value in values]


async def test_steps_handed_in_together_share_one_transaction(runner):
    sqlite_runner, writer, path = runner
    coalescer = Coalescer(sqlite_runner, insert)
    values = [f"{i:03d}" for i in range(300)]
    results = await asyncio.gather(*(coalescer.run(value) for value in values))
    assert results == [value.upper() for value in values]  # each caller gets its own answer
    assert scratch_db.values(path) == values
    assert coalescer.flushes == 2  # 256 at most in one, the rest in the next
    assert writer.jobs == 2


async def test_a_failing_step_fails_its_caller_alone(runner):
    sqlite_runner, _, path = runner
    coalescer = Coalescer(sqlite_runner, insert)
    await coalescer.run("taken")
    results = await asyncio.gather(
        coalescer.run("a"), coalescer.run("taken"), coalescer.run("b"), return_exceptions=True
    )
    assert results[0] == "A" and results[2] == "B"
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert scratch_db.values(path) == ["a", "b", "taken"]


async def test_a_lone_step_that_fails_runs_once(runner):
    sqlite_runner, writer, _ = runner
    coalescer = Coalescer(sqlite_runner, insert)
    await coalescer.run("taken")
    jobs = writer.jobs
    with pytest.raises(sqlite3.IntegrityError):
        await coalescer.run("taken")
    assert writer.jobs == jobs + 1


async def test_items_put_without_waiting_are_stored_together(runner):
    sqlite_runner, writer, path = runner
    coalescer = Coalescer(sqlite_runner, insert)
    for i in range(300):
        await coalescer.put(f"{i:03d}")  # nothing to wait for: no transaction has run yet
    assert coalescer.backlog == 300 and scratch_db.values(path) == []
    await coalescer.drained()
    assert scratch_db.values(path) == [f"{i:03d}" for i in range(300)]
    assert coalescer.flushes == 2 and writer.jobs == 2


async def test_a_put_item_that_fails_is_logged_and_spares_the_others(runner, caplog):
    sqlite_runner, _, path = runner
    coalescer = Coalescer(sqlite_runner, insert, what="storing letters")
    await coalescer.run("taken")
    for value in ("a", "taken", "b"):
        await coalescer.put(value)
    await coalescer.drained()
    assert scratch_db.values(path) == ["a", "b", "taken"]
    (failure,) = [record for record in caplog.records if record.levelname == "ERROR"]
    assert failure.getMessage() == "storing letters failed"
    assert isinstance(failure.exc_info[1], sqlite3.IntegrityError)


class GatedRunner:
    """A runner whose transactions wait for `gate`: a database that has fallen behind."""

    def __init__(self, runner: SqliteRunner) -> None:
        self.runner = runner
        self.gate = asyncio.Event()

    async def transaction(self, step):  # type: ignore[no-untyped-def]
        await self.gate.wait()
        return await self.runner.transaction(step)


async def test_put_and_below_wait_while_the_backlog_is_full(runner):
    sqlite_runner, _, path = runner
    gated = GatedRunner(sqlite_runner)
    coalescer = Coalescer(gated, insert, max_items=2, max_backlog=4)  # type: ignore[arg-type]
    for value in "abcdef":  # two go into the (held) first transaction, four wait
        await coalescer.put(value)
    assert coalescer.backlog == 4
    blocked_put = asyncio.create_task(coalescer.put("g"))
    blocked_below = asyncio.create_task(coalescer.below(3))
    await asyncio.sleep(0.05)
    assert not blocked_put.done() and not blocked_below.done()
    gated.gate.set()  # the database catches up
    await asyncio.wait_for(asyncio.gather(blocked_put, blocked_below), 5)
    await coalescer.drained()
    assert scratch_db.values(path) == list("abcdefg")
