"""Send throughput: `longcode serve` (SQLite, one process) against a bare Starlette app doing one
SQLite insert per POST, same load, same run. Target: ratio >= 0.5 and p99 < 50 ms.

    python bench/send.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import base64
import json
import tempfile
from pathlib import Path

from bench import loadgen
from bench.common import ROOT, free_port, start, stop, wait_until_up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    args = parser.parse_args()
    args.env = {"LONGCODE_SQLITE_SYNCHRONOUS": args.synchronous}
    with tempfile.TemporaryDirectory() as scratch:
        base = measure_baseline(Path(scratch), args)
        ours = measure_longcode(Path(scratch), args)
    print(
        f"{'':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
        f"   ({ours.tool}, {args.connections} connections, synchronous={args.synchronous})"
    )
    for name, result in (("bare Starlette+SQLite", base), ("longcode", ours)):
        print(
            f"{name:<22}{result.requests_per_second:>10.0f}{result.p50_ms:>10.1f}{result.p99_ms:>10.1f}{result.errors:>8}"
        )
    ratio = ours.requests_per_second / base.requests_per_second
    print(
        f"ratio longcode/baseline: {ratio:.2f} (target >= 0.5); "
        f"longcode p99 {ours.p99_ms:.1f} ms (target < 50)"
    )


def measure_baseline(scratch: Path, args: argparse.Namespace) -> loadgen.Result:
    port = free_port()
    process = start([str(ROOT / "bench" / "baseline_app.py"), str(scratch / "baseline.db"), str(port)])
    try:
        url = f"http://127.0.0.1:{port}/v2.1/messages"
        wait_until_up(url, process)
        body = json.dumps({"to": "12065550199", "from": "12065550100", "body": "benchmark"}).encode()
        return loadgen.run(
            url,
            method="POST",
            body=body,
            headers={"Content-Type": "application/json"},
            connections=args.connections,
            seconds=args.seconds,
        )
    finally:
        stop(process)


def measure_longcode(scratch: Path, args: argparse.Namespace) -> loadgen.Result:
    port = free_port()
    data_dir = scratch / "longcode"
    process = start(
        ["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env={"LONGCODE_LOG_LEVEL": "warning", **args.env},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        demo = json.loads((data_dir / "demo.json").read_text())
        token = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
        body = json.dumps(
            {
                "data": {
                    "type": "message",
                    "attributes": {"to": "12065550199", "from": demo["numbers"][0], "body": "benchmark"},
                }
            }
        ).encode()
        headers = {"Content-Type": "application/vnd.api+json", "Authorization": f"Basic {token}"}
        url = f"http://127.0.0.1:{port}/v2.1/messages"
        loadgen.run(url, method="POST", body=body, headers=headers, connections=args.connections, seconds=1.0)
        return loadgen.run(
            url, method="POST", body=body, headers=headers, connections=args.connections, seconds=args.seconds
        )
    finally:
        stop(process)


if __name__ == "__main__":
    main()
