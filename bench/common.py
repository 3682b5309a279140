"""Starting servers for benchmarks and waiting for them."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench import loadgen

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "server exited")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(url)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def report(
    title: str, rounds: list[tuple[loadgen.Result, loadgen.Result]], names: tuple[str, str], target: str
) -> None:
    """Print each round of (baseline, longcode) and the medians of their ratio and p99."""
    print(f"{title} ({rounds[0][1].tool})")
    print(f"{'round':<7}{'':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for index, pair in enumerate(rounds, 1):
        for name, result in zip(names, pair, strict=True):
            print(
                f"{index:<7}{name:<24}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}"
                f"{result.p99_ms:>9.1f}{result.errors:>8}"
            )
    ratios = [ours.requests_per_second / base.requests_per_second for base, ours in rounds]
    p99 = statistics.median(ours.p99_ms for _, ours in rounds)
    print(f"ratio longcode/baseline per round: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(
        f"median ratio {statistics.median(ratios):.2f}; median longcode p99 {p99:.1f} ms (target: {target})"
    )
