"""The workers' claim loop and tasks in hand: a failed claim is not the end of a worker, room
is waited for on one event, and what is still running at shutdown is handed back."""

from __future__ import annotations

import asyncio
import logging

import pytest

from longcode.claiming import InHand, keep_claiming


async def test_a_claim_that_fails_is_logged_and_tried_again(caplog: pytest.LogCaptureFixture):
    stop, calls = asyncio.Event(), []

    async def claim() -> bool:
        calls.append(len(calls))
        if len(calls) <= 2:
            raise ConnectionError("database unreachable")
        stop.set()
        return False

    async def idle() -> None:
        pass

    with caplog.at_level(logging.WARNING, logger="longcode.claiming"):
        await asyncio.wait_for(keep_claiming(stop, claim, idle, what="messages", poll=0.01), 5)
    assert len(calls) == 3
    failures = [r.getMessage() for r in caplog.records if "claiming messages failed" in r.getMessage()]
    assert len(failures) == 2 and "ConnectionError: database unreachable" in failures[0]


async def test_a_full_claim_claims_again_at_once_and_an_empty_one_idles():
    stop, seen = asyncio.Event(), []
    answers = iter([True, True, False])

    async def claim() -> bool:
        seen.append("claim")
        return next(answers)

    async def idle() -> None:
        seen.append("idle")
        stop.set()

    await asyncio.wait_for(keep_claiming(stop, claim, idle, what="messages", poll=0.01), 5)
    assert seen == ["claim", "claim", "claim", "idle"]


async def test_room_waits_until_enough_tasks_have_ended():
    hand: InHand[int] = InHand(limit=4)
    gates = [asyncio.Event() for _ in range(4)]
    for index, gate in enumerate(gates):
        hand.start(gate.wait(), index, name=f"job {index}")  # type: ignore[arg-type]
    room = asyncio.create_task(hand.room(2))
    gates[0].set()
    await asyncio.sleep(0.01)
    assert hand.free == 1 and not room.done()
    gates[1].set()
    await asyncio.wait_for(room, 1)
    assert hand.free == 2 and sorted(hand.items()) == [2, 3]
    for gate in gates:
        gate.set()


async def test_room_asks_no_more_than_the_limit():
    hand: InHand[int] = InHand(limit=2)
    await asyncio.wait_for(hand.room(100), 1)  # empty: all the room there is


async def test_finish_cancels_what_outlives_the_grace_and_returns_its_items():
    hand: InHand[str] = InHand(limit=10)
    hand.start(asyncio.sleep(0), "quick", name="quick")
    hand.start(asyncio.sleep(60), "slow", name="slow")
    assert await asyncio.wait_for(hand.finish(0.1), 5) == ["slow"]
    assert len(hand) == 0
