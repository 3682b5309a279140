"""Send throughput: `longcode serve` (SQLite, one process) against a bare Starlette app doing one
SQLite insert per POST, under the same load, in the same run. Target: ratio >= 0.5, p99 < 50 ms.

Both servers stay up and are measured in alternating rounds, so a slow moment of the (shared,
noisy) machine hits both; the ratio reported is the median of the per-round ratios.

    python -m bench.send [--seconds 8] [--rounds 3] [--connections 32] [--synchronous FULL]
"""

from __future__ import annotations

import argparse
import base64
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import loadgen
from bench.common import ROOT, free_port, report, start, stop, wait_until_up

Target = tuple[str, bytes, dict[str, str]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as scratch,
        baseline(Path(scratch)) as base,
        longcode(Path(scratch), args.synchronous) as ours,
    ):
        load(ours, args.connections, 1.0)  # warm-up: credential cache, first pages of the file
        rounds = []
        for _ in range(args.rounds):
            rounds.append(
                (load(base, args.connections, args.seconds), load(ours, args.connections, args.seconds))
            )
    report(
        f"POST /v2.1/messages, {args.connections} connections, {args.seconds:.0f} s a round",
        rounds,
        ("bare Starlette+SQLite", f"longcode ({args.synchronous})"),
        "ratio >= 0.5, p99 < 50 ms",
    )


def load(target: Target, connections: int, seconds: float) -> loadgen.Result:
    url, body, headers = target
    return loadgen.run(
        url, method="POST", body=body, headers=headers, connections=connections, seconds=seconds
    )


@contextmanager
def baseline(scratch: Path) -> Iterator[Target]:
    port = free_port()
    process = start([str(ROOT / "bench" / "baseline_app.py"), str(scratch / "baseline.db"), str(port)])
    try:
        url = f"http://127.0.0.1:{port}/v2.1/messages"
        wait_until_up(url, process)
        body = json.dumps({"to": "12065550199", "from": "12065550100", "body": "benchmark"}).encode()
        yield url, body, {"Content-Type": "application/json"}
    finally:
        stop(process)


@contextmanager
def longcode(scratch: Path, synchronous: str) -> Iterator[Target]:
    port = free_port()
    data_dir = scratch / "longcode"
    env = {"LONGCODE_LOG_LEVEL": "warning", "LONGCODE_SQLITE_SYNCHRONOUS": synchronous}
    process = start(["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)], env=env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        demo = json.loads((data_dir / "demo.json").read_text())
        token = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
        attributes = {"to": "12065550199", "from": demo["numbers"][0], "body": "benchmark"}
        body = json.dumps({"data": {"type": "message", "attributes": attributes}}).encode()
        headers = {"Content-Type": "application/vnd.api+json", "Authorization": f"Basic {token}"}
        yield f"http://127.0.0.1:{port}/v2.1/messages", body, headers
    finally:
        stop(process)


if __name__ == "__main__":
    main()
