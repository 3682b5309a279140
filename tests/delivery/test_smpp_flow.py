"""Flow control of an SMPP carrier: receipts are taken from the link as fast as they come, and
when the database falls behind storing them, the carrier's submits wait (the SMSC sends one
receipt per submit, so that is what bounds them). Shown with stand-ins for the session and the
database, which a real SMSC and SQLite cannot be made to fall behind on cue."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from longcode.config import Settings
from longcode.delivery.carriers.base import Accepted, Retry
from longcode.delivery.carriers.smpp import client as smpp_client
from longcode.delivery.carriers.smpp.client import CarrierConfig, SmppCarrier, _Bind
from longcode.delivery.carriers.smpp.receipts import RECEIPT_TYPE
from tests.delivery.test_smpp_liveness import Client, claimed


@dataclass
class Response:
    command_status: int
    message_id: str


@dataclass
class ReceiptEvent:
    short_message: bytes
    esm_class: int = RECEIPT_TYPE
    tlvs: tuple[()] = ()


class AnsweringSession:
    session_id = "answering"

    def __init__(self) -> None:
        self.events: asyncio.Queue[Any] = asyncio.Queue()
        self.submits = 0

    async def next(self) -> Any:
        return await self.events.get()

    async def submit_sm(self, *args: object, **kwargs: object) -> Response:
        self.submits += 1
        return Response(0, f"{self.submits:x}")


class StubTx:
    """Every receipt's message unknown: parked, one statement each."""

    dialect = "sqlite"

    async def fetchall(self, sql: object, params: object) -> list[Any]:
        return []

    async def fetchone(self, sql: object, params: object) -> None:
        return None

    async def execute(self, sql: object, params: object) -> int:
        return 1


class BehindRunner:
    """A database that has fallen behind until `catch_up` is set."""

    def __init__(self) -> None:
        self.catch_up = asyncio.Event()
        self.held = asyncio.Event()
        self.transactions = 0

    async def transaction(self, step: Any) -> Any:
        self.held.set()
        await self.catch_up.wait()
        self.transactions += 1
        return await step(StubTx())


def receipt(n: int) -> ReceiptEvent:
    text = (
        f"id:{n:x} sub:001 dlvrd:001 submit date:2611230800 done date:2611230801 stat:DELIVRD err:000 text:"
    )
    return ReceiptEvent(text.encode())


async def backed_up(
    settings: Settings,
) -> tuple[SmppCarrier, AnsweringSession, BehindRunner, asyncio.Task[None]]:
    """A bound carrier with three receipts in: one in a held transaction, two waiting behind it."""
    runner = BehindRunner()
    config = CarrierConfig("smsc1", "127.0.0.1", 2775, "longcode", "secret")
    carrier = SmppCarrier(config, runner, settings)  # type: ignore[arg-type]
    session = AnsweringSession()
    bind = _Bind(Client(), session, asyncio.Semaphore(10))
    carrier._binds.append(bind)
    serving = asyncio.create_task(carrier._serve(bind))
    session.events.put_nowait(receipt(1))
    await asyncio.wait_for(runner.held.wait(), 5)
    for n in (2, 3):
        session.events.put_nowait(receipt(n))
    while not session.events.empty():
        await asyncio.sleep(0.01)
    return carrier, session, runner, serving


async def test_submits_wait_while_receipts_wait_for_the_database(settings: Settings, monkeypatch):
    monkeypatch.setattr(smpp_client, "RECEIPTS_HIGH_WATER", 2)
    carrier, session, runner, serving = await backed_up(settings)
    submitting = asyncio.create_task(carrier.submit(claimed()))
    await asyncio.sleep(0.1)
    assert not submitting.done() and session.submits == 0  # held back, not refused
    runner.catch_up.set()
    result = await asyncio.wait_for(submitting, 5)
    assert isinstance(result, Accepted) and session.submits == 1
    serving.cancel()
    await asyncio.gather(serving, return_exceptions=True)
    assert runner.transactions == 2  # the held receipt alone, then the two behind it together


@pytest.mark.parametrize("settings_overrides", [{"smpp_response_timeout_seconds": 0.2}], indirect=True)
async def test_a_database_that_stays_behind_turns_the_wait_into_a_retry(settings: Settings, monkeypatch):
    monkeypatch.setattr(smpp_client, "RECEIPTS_HIGH_WATER", 2)
    carrier, session, runner, serving = await backed_up(settings)
    result = await asyncio.wait_for(carrier.submit(claimed()), 5)  # not held past its lease
    assert isinstance(result, Retry) and "waiting to be stored" in result.reason
    assert session.submits == 0
    runner.catch_up.set()
    serving.cancel()
    await asyncio.gather(serving, return_exceptions=True)
