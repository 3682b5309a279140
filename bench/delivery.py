"""Delivery, from the 202 to the final status, in one run (one `longcode serve` process, SQLite):

- latency at a steady rate (default 200 msg/s): on-net (the final DLR reaches a real webhook
  receiver), the sandbox carrier, and SMPP to `longcode smsc`'s simulator; against the baseline
  of bench/baseline_delivery.py (a bare insert-and-poll pipeline) under the same load;
- SMPP submit throughput: a backlog of N messages, one worker process, window 10 on loopback,
  against a bare `smpp34` client pushing N submits through the same window to the same SMSC.

Targets: SMPP >= 1,000 msg/s submitted; on-net p99 < 1 s at 200 msg/s. The per-number pace is
lifted for the run (LONGCODE_PACE_LONGCODE_MPS): one demo number sends everything here, where a
real deployment spreads traffic over many numbers.

    python -m bench.delivery [--rate 200] [--seconds 10] [--backlog 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import smpp34
import uvicorn

from bench import loadgen
from bench.common import ROOT, free_port, start, stop, wait_until_up
from longcode.delivery.carriers.smpp import sockets
from longcode.delivery.carriers.smpp.client import INBOUND_CAPACITY

OUTSIDE = "12065550199"
SERVE_ENV = {
    "LONGCODE_LOG_LEVEL": "warning",
    "LONGCODE_PACE_LONGCODE_MPS": "100000",
    "LONGCODE_SANDBOX_RECEIPT_DELAY_SECONDS": "0",
    "LONGCODE_CARRIER_REFRESH_SECONDS": "0.5",
    "LONGCODE_INVENTORY_COUNT": "0",
}


@dataclass
class Receiver:
    """A webhook receiver: when each message's final word arrived, by message id."""

    port: int = field(default_factory=free_port)
    final: dict[str, float] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        data = json.loads(body)["data"]
        if scope["path"] in ("/dlr", "/base") and data.get("attributes", {}).get("level", 2) == 2:
            self.final.setdefault(data["id"], time.monotonic())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@dataclass
class Run:
    name: str
    sent: int
    arrived: int
    per_second: float
    p50_ms: float
    p99_ms: float


async def paced(
    name: str, url: str, auth: tuple[str, str] | None, payload: dict[str, Any], rate: float, seconds: float,
    receiver: Receiver,
) -> Run:  # fmt: skip
    """POST at `rate` for `seconds`; latency from each 202 to its final word at the receiver."""
    parts = urlsplit(url)
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
    pool = loadgen.KeepAlivePool(parts.hostname or "127.0.0.1", parts.port or 80, 16, headers)
    await pool.open()
    accepted: dict[str, float] = {}

    async def one(index: int) -> None:
        status, body = await pool.request(
            "POST", parts.path, json.dumps({**payload, "body": f"b{index}"}).encode()
        )
        if status == 202:
            accepted[json.loads(body)["data"]["id"]] = time.monotonic()

    started, tasks = time.monotonic(), []
    for index in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + index / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one(index)))
    await asyncio.gather(*tasks)
    await pool.close()
    deadline = time.monotonic() + 60
    while any(key not in receiver.final for key in accepted) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    latencies = sorted(receiver.final[key] - at for key, at in accepted.items() if key in receiver.final)
    span = max(receiver.final[key] for key in accepted if key in receiver.final) - min(accepted.values())
    return Run(
        name,
        len(tasks),
        len(latencies),
        len(latencies) / span,
        statistics.median(latencies) * 1000,
        latencies[int(len(latencies) * 0.99) - 1] * 1000,
    )


def cli(data_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "longcode", *args, "--data-dir", str(data_dir)],
        check=True,
        capture_output=True,
        env={**os.environ, **SERVE_ENV},
    )


def serve(data_dir: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    process = start(
        ["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir), *extra], SERVE_ENV
    )
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    return process


async def longcode_latency(
    scratch: Path, args: argparse.Namespace, receiver: Receiver, smsc_port: int
) -> list[Run]:
    data_dir, port = scratch / "longcode", free_port()
    process = serve(data_dir, port)
    try:
        demo = json.loads((data_dir / "demo.json").read_text())
        auth = (demo["access_key"], demo["secret_key"])
        url = f"http://127.0.0.1:{port}/v2.1/messages"
        async with httpx.AsyncClient() as http:
            for kind, path in (("sms_dlr_callback", "/dlr"),):
                await http.put(f"{url}/{kind}", json={"callback_url": receiver.url(path)}, auth=auth)
        sender = demo["numbers"][0]
        runs = []
        for name, to in (("on-net", demo["numbers"][1]), ("sandbox carrier", OUTSIDE)):
            payload = {"from": sender, "to": to}
            runs.append(await paced(name, url, auth, payload, args.rate, args.seconds, receiver))
        await asyncio.to_thread(use_simulator, data_dir, smsc_port)
        payload = {"from": sender, "to": OUTSIDE}
        await paced("bind probe", url, auth, payload, 1, 1, receiver)  # ends once the carrier is bound
        runs.append(await paced("SMPP (simulator)", url, auth, payload, args.rate, args.seconds, receiver))
        return runs
    finally:
        stop(process)


def use_simulator(data_dir: Path, smsc_port: int) -> None:
    """The demo account's messages leave by the simulator (`longcode carriers`, as an operator)."""
    demo = json.loads((data_dir / "demo.json").read_text())
    cli(
        data_dir, "carriers", "add", "sim", "--port", str(smsc_port), "--host", "127.0.0.1",
        "--system-id", "bench", "--password", "bench", "--window", "10", "--replace",
    )  # fmt: skip
    cli(data_dir, "carriers", "assign", "sim", "--account", str(demo["account_id"]))


async def longcode_throughput(data_dir: Path, backlog: int, smsc_port: int) -> float:
    """Queue `backlog` messages with the workers off, then time one process submitting them."""
    port = free_port()
    process = serve(data_dir, port, "--no-workers")
    try:
        demo = json.loads((data_dir / "demo.json").read_text())
        await asyncio.to_thread(use_simulator, data_dir, smsc_port)
        basic = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
        headers = {"Content-Type": "application/json", "Authorization": f"Basic {basic}"}
        pool = loadgen.KeepAlivePool("127.0.0.1", port, 16, headers)
        await pool.open()

        async def one(index: int) -> None:
            body = {"from": demo["numbers"][0], "to": OUTSIDE, "body": f"t{index}"}
            status, answer = await pool.request("POST", "/v2.1/messages", json.dumps(body).encode())
            assert status == 202, answer

        await asyncio.gather(*(one(index) for index in range(backlog)))
        await pool.close()
    finally:
        stop(process)
    database = sqlite3.connect(data_dir / "longcode.db")
    before = submitted(database)
    process = serve(data_dir, port)
    try:
        first, count, deadline = None, before, time.monotonic() + 300
        while count < before + backlog and time.monotonic() < deadline:
            count = submitted(database)
            if first is None and count > before:
                first = (time.monotonic(), count)
            await asyncio.sleep(0.1)
        assert first is not None, "nothing was submitted"
        return (count - first[1]) / (time.monotonic() - first[0])
    finally:
        stop(process)
        database.close()


def submitted(database: sqlite3.Connection) -> int:
    """Messages the SMSC has answered with a message id (counted where longcode records it)."""
    return int(
        database.execute("SELECT COUNT(*) FROM message WHERE carrier_message_id IS NOT NULL").fetchone()[0]
    )


async def bare_throughput(count: int, smsc_port: int) -> float:
    """The library's own pace: one bind, window 10, submits back to back, set up as longcode
    sets up its binds: Nagle's algorithm off (left on, 1 submit in 100 waits 40 ms for a delayed
    ACK) and room for 8,192 receipts (smpp34 ends a session whose queue of them fills)."""
    client = smpp34.Client(
        "127.0.0.1",
        smsc_port,
        "bare",
        "bare",
        bind_type="TRX",
        window_size=10,
        inbound_capacity=INBOUND_CAPACITY,
    )
    session = await client.connect()
    sockets.no_delay(peer_port=smsc_port)
    gate = asyncio.Semaphore(10)

    async def drain() -> None:  # take the receipts, as any ESME must, or the SMSC stalls
        while not isinstance(await session.next(), smpp34.Disconnected):
            pass

    receipts = asyncio.create_task(drain())

    async def one() -> None:
        async with gate:
            await session.submit_sm(OUTSIDE, b"bare", source_addr="12065550100", registered_delivery=1)

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(count)))
    elapsed = time.monotonic() - started
    receipts.cancel()
    await session.unbind()
    await client.stop()
    return count / elapsed


async def main(args: argparse.Namespace) -> None:
    receiver = Receiver()
    server = uvicorn.Server(uvicorn.Config(receiver, port=receiver.port, log_level="warning", lifespan="off"))
    receiver_task = asyncio.create_task(server.serve())
    # The SMSC in its own process, as a real one would be (`longcode smsc`, receipts at once).
    smsc_port = free_port()
    smsc = subprocess.Popen(
        [sys.executable, "-m", "longcode", "smsc", "--port", str(smsc_port), "--receipt-delay", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert smsc.stdout is not None and b"SMSC simulator on" in smsc.stdout.readline()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        base_port = free_port()
        baseline = start(
            [
                str(ROOT / "bench" / "baseline_delivery.py"),
                str(scratch / "base.db"),
                str(base_port),
                receiver.url("/base"),
            ]
        )
        try:
            wait_until_up(f"http://127.0.0.1:{base_port}/v2.1/messages", baseline)
            base = await paced(
                "bare pipeline",
                f"http://127.0.0.1:{base_port}/v2.1/messages",
                None,
                {},
                args.rate,
                args.seconds,
                receiver,
            )
        finally:
            stop(baseline)
        runs = await longcode_latency(scratch, args, receiver, smsc_port)
        with_dlrs = await longcode_throughput(scratch / "longcode", args.backlog, smsc_port)
        ours = await longcode_throughput(scratch / "no-callbacks", args.backlog, smsc_port)
        bare = await bare_throughput(args.backlog, smsc_port)
    stop(smsc)
    server.should_exit = True
    await receiver_task
    print(
        f"Delivery latency, 202 to final status at {args.rate:.0f} msg/s for {args.seconds:.0f} s"
        " (one process, SQLite)"
    )
    print(f"{'':<20}{'sent':>7}{'final':>7}{'msg/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for run in (base, *runs):
        print(
            f"{run.name:<20}{run.sent:>7}{run.arrived:>7}{run.per_second:>8.0f}{run.p50_ms:>9.1f}{run.p99_ms:>9.1f}"
        )
    onnet = runs[0]
    print(f"on-net p99 / bare pipeline p99: {onnet.p99_ms / base.p99_ms:.2f} (target: on-net p99 < 1000 ms)")
    print(f"SMPP submit throughput, backlog {args.backlog}, window 10, loopback:")
    print(f"  bare smpp34 client {bare:>8.0f} msg/s")
    print(f"  longcode worker    {ours:>8.0f} msg/s   ratio {ours / bare:.2f} (target: >= 1000 msg/s)")
    print(f"  the same with both DLRs of every message posted to a webhook: {with_dlrs:.0f} msg/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--backlog", type=int, default=5000)
    asyncio.run(main(parser.parse_args()))
