"""`serialize`: on PostgreSQL, transactions that take the same lock run one after the other and
each sees what the one before committed (the fix for a receipt parked while the acceptance
naming its carrier id committed beside it, each missing the other's row)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from longcode.config import Settings
from longcode.db.database import open_runner
from longcode.db.tx import Sql, Tx, TxRunner, serialize

PARK = Sql(
    "INSERT INTO pending_receipt (carrier, carrier_message_id, state, error_code, received_at)"
    " VALUES ('c', :id, 2, 0, now())"
)
PARKED = Sql("SELECT carrier_message_id FROM pending_receipt WHERE carrier = 'c' ORDER BY id")


@pytest.fixture
async def runner(settings: Settings) -> AsyncIterator[TxRunner]:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one transaction at a time: there is nothing to serialize")
    opened = await open_runner(settings)
    yield opened
    await opened.close()


async def _holding(runner: TxRunner, held: asyncio.Event, release: asyncio.Event) -> None:
    async def step(tx: Tx) -> None:
        await serialize(tx, "receipts", "c")
        await tx.execute(PARK, {"id": "first"})
        held.set()
        await release.wait()  # the lock and the uncommitted row stay until this commits

    await runner.transaction(step)


async def _look(runner: TxRunner, *lock: object) -> list[str]:
    async def step(tx: Tx) -> list[str]:
        await serialize(tx, *lock)
        return [row[0] for row in await tx.fetchall(PARKED, {})]

    return await runner.transaction(step)


async def test_a_transaction_taking_a_held_lock_waits_and_sees_what_the_holder_committed(runner):
    held, release = asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(_holding(runner, held, release))
    await held.wait()
    waiting = asyncio.create_task(_look(runner, "receipts", "c"))
    await asyncio.sleep(0.3)
    assert not waiting.done()  # blocked on the lock, not reading past the uncommitted row
    release.set()
    await holder
    assert await asyncio.wait_for(waiting, 5) == ["first"]


async def test_another_lock_does_not_wait(runner):
    held, release = asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(_holding(runner, held, release))
    await held.wait()
    try:
        # Its own lock: it goes on at once and, under READ COMMITTED, misses the uncommitted row.
        assert await asyncio.wait_for(_look(runner, "receipts", "other"), 5) == []
    finally:
        release.set()
        await holder
