"""Load for the benchmarks: wrk when installed (Debian's package), else a small asyncio client.

Both keep N HTTP/1.1 connections busy with the same request for a fixed time and report
requests/s and latency percentiles, so two servers measured in one run are compared fairly.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def run(
    url: str, *, method: str, body: bytes, headers: dict[str, str], connections: int, seconds: float
) -> Result:
    if shutil.which("wrk"):
        return _wrk(url, method, body, headers, connections, seconds)
    return asyncio.run(_python(url, method, body, headers, connections, seconds))


def _wrk(url, method, body, headers, connections, seconds) -> Result:
    script = (
        f"wrk.method = {json.dumps(method)}\n"
        f"wrk.body = {json.dumps(body.decode())}\n"
        + "".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in headers.items())
        + "done = function(summary, latency, requests)\n"
        "  io.write(string.format('P50 %f\\nP99 %f\\n',\n"
        "    latency:percentile(50) / 1000, latency:percentile(99) / 1000))\n"
        "  local e = summary.errors\n"
        "  io.write(string.format('NON2XX %d\\n', e.status + e.connect + e.read + e.write + e.timeout))\n"
        "end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s", "-s", handle.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(handle.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = float(re.search(r"P50 ([\d.]+)", output).group(1))
    p99 = float(re.search(r"P99 ([\d.]+)", output).group(1))
    errors = int(re.search(r"NON2XX (\d+)", output).group(1))
    return Result(rps, p50, p99, errors, "wrk")


async def _python(url, method, body, headers, connections, seconds) -> Result:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (
        f"{method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\nHost: {host}\r\n"
    )
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def one_connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_line.split()[1].startswith(b"2"):
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*[one_connection() for _ in range(connections)])
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Result(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors, "python")


class KeepAlivePool:
    """A few HTTP/1.1 keep-alive connections for paced load: far cheaper per request than a
    general client (httpx tops out near 200 req/s here, below the rates being measured)."""

    def __init__(self, host: str, port: int, connections: int, headers: dict[str, str]) -> None:
        self._host, self._port, self._size = host, port, connections
        self._head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": host, **headers}.items())
        self._free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self._size):
            self._free.put_nowait(await asyncio.open_connection(self._host, self._port))

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        reader, writer = await self._free.get()
        try:
            head = f"{method} {path} HTTP/1.1\r\n{self._head}Content-Length: {len(body)}\r\n\r\n"
            writer.write(head.encode() + body)
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            return status, await reader.readexactly(length)
        finally:
            self._free.put_nowait((reader, writer))

    async def close(self) -> None:
        while not self._free.empty():
            _, writer = self._free.get_nowait()
            writer.close()
