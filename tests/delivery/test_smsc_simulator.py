"""`longcode smsc`, the SMSC simulator for staging: longcode's own SMPP carrier binds to it,
its receipts end messages (failing the configured share), and typed MO messages arrive."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator

import pytest

from longcode.delivery.carriers.smpp.simulator import SmscSimulator
from tests.delivery.test_smpp import OUTSIDE, use_carrier, wait_inbound
from tests.support.delivery import FAST, send, wait_status
from tests.support.smsc import free_port


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    return {**FAST, "smpp_reconnect_max_seconds": 0.3, **getattr(request, "param", {})}


@contextlib.asynccontextmanager
async def simulator(**knobs: object) -> AsyncIterator[SmscSimulator]:
    smsc = SmscSimulator(port=free_port(), **knobs)  # type: ignore[arg-type]
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(smsc.run(stop, ready))
    await asyncio.wait_for(ready.wait(), 5)
    try:
        yield smsc
    finally:
        stop.set()
        await task


async def test_simulated_receipts_deliver_or_fail_as_configured(client, settings, account):
    async with simulator(receipt_delay=0.05, id_format="decimal") as smsc:
        await use_carrier(settings, account, smsc.port)
        ok = await send(client, account, OUTSIDE)
        await wait_status(client, account, ok, "delivered")
        smsc.failure_ratio = 1.0
        bad = await send(client, account, OUTSIDE)
        record = await wait_status(client, account, bad, "failed")
    assert "undeliverable" in {r["status"] for r in record["attributes"]["delivery_receipts"]}
    assert (smsc.stats.submitted, smsc.stats.receipts, smsc.stats.failed) == (2, 2, 1)


async def test_a_long_simulated_mo_arrives_as_one_inbound_message(client, settings, account):
    text = "Ünïcødé ✓ " * 12  # UCS-2, two parts
    async with simulator() as smsc:
        await use_carrier(settings, account, smsc.port)
        async with asyncio.timeout(10):
            while not smsc.stats.binds:
                await asyncio.sleep(0.02)
        assert await smsc.mo(OUTSIDE, account.numbers[0], text) == 2
        (inbound,) = await wait_inbound(client, account, 1)
    assert inbound["attributes"]["body"] == text


async def test_the_smsc_command_serves_and_takes_typed_mo(client, settings, account):
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "longcode", "smsc", "--port", str(port), "--receipt-delay", "0",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    try:
        banner = await asyncio.wait_for(process.stdout.readline(), 20)
        assert f"SMSC simulator on 127.0.0.1:{port}" in banner.decode()
        await use_carrier(settings, account, port)
        message_id = await send(client, account, OUTSIDE)
        await wait_status(client, account, message_id, "delivered")
        process.stdin.write(f"{OUTSIDE} {account.numbers[0]} typed at the console\n".encode())
        await process.stdin.drain()
        (inbound,) = await wait_inbound(client, account, 1)
        assert inbound["attributes"]["body"] == "typed at the console"
    finally:
        process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.communicate(), 20))[0].decode()
    assert process.returncode == 0, output
    assert "1 submits, 1 receipts (0 failed), 1 MO" in output
