"""The SQLite writer: group commit, per-job isolation, answers only after commit."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from longcode.db.writer import SqliteWriter
from tests.support import scratch_db


@pytest.fixture
def writer(tmp_path):
    path = scratch_db.create(str(tmp_path / "w.db"))
    w = SqliteWriter(path, synchronous="FULL")
    w.start()
    yield w, path
    w.stop()


async def test_concurrent_jobs_are_grouped_into_few_commits(writer):
    w, path = writer
    await asyncio.gather(
        *[w.run(lambda c, i=i: c.execute("INSERT INTO t (v) VALUES (?)", (f"{i:04d}",))) for i in range(500)]
    )
    assert len(scratch_db.values(path)) == 500
    assert w.jobs == 500
    assert w.batches < 500  # jobs that waited together were committed together


async def test_failing_job_rolls_back_alone(writer):
    w, path = writer
    await w.run(lambda c: c.execute("INSERT INTO t (v) VALUES ('taken')"))

    def good(c, v):
        c.execute("INSERT INTO t (v) VALUES (?)", (v,))
        return v

    def bad(c):
        c.execute("INSERT INTO t (v) VALUES ('half')")
        c.execute("INSERT INTO t (v) VALUES ('taken')")  # unique violation after a write

    results = await asyncio.gather(
        w.run(lambda c: good(c, "a")), w.run(bad), w.run(lambda c: good(c, "b")), return_exceptions=True
    )
    assert results[0] == "a" and results[2] == "b"
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert scratch_db.values(path) == ["a", "b", "taken"]  # nothing of the failed job, not even its first row


async def test_answer_comes_after_the_commit_is_visible(writer):
    w, path = writer
    await w.run(lambda c: c.execute("INSERT INTO t (v) VALUES ('durable')"))
    assert scratch_db.values(path) == ["durable"]  # another connection sees it the moment the await returns


async def test_job_result_is_returned_to_its_own_caller(writer):
    w, _ = writer
    results = await asyncio.gather(*[w.run(lambda c, i=i: i * 2) for i in range(50)])
    assert results == [i * 2 for i in range(50)]


async def test_jobs_from_several_event_loops_in_threads(writer):
    w, path = writer
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        async def main() -> None:
            for i in range(20):
                await w.run(lambda c, i=i: c.execute("INSERT INTO t (v) VALUES (?)", (f"{n}-{i:02d}",)))

        try:
            asyncio.run(main())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(scratch_db.values(path)) == 80


async def test_run_before_start_is_refused(tmp_path):
    w = SqliteWriter(str(tmp_path / "x.db"))
    with pytest.raises(RuntimeError, match="not running"):
        await w.run(lambda c: None)


async def test_stop_finishes_jobs_already_handed_in(writer):
    w, path = writer
    pending = [
        asyncio.ensure_future(w.run(lambda c, i=i: c.execute("INSERT INTO t (v) VALUES (?)", (str(i),))))
        for i in range(30)
    ]
    await asyncio.sleep(0)  # let every job reach the queue
    await asyncio.to_thread(w.stop)
    await asyncio.gather(*pending)
    assert len(scratch_db.values(path)) == 30
