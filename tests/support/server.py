"""`longcode serve` as a real process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a `longcode` process on the test's database.

    A SQLite test database is left to the data dir's default file (the process creates its own
    `longcode.db` there); a PostgreSQL one is passed on.
    """
    env = {**os.environ, "LONGCODE_DATA_DIR": str(data_dir)}
    env.pop("LONGCODE_DATABASE_URL", None)
    # A small default inventory keeps each first start quick; its generation is the same code.
    env.setdefault("LONGCODE_INVENTORY_COUNT", "3000")
    if database_url and not database_url.startswith("sqlite"):
        env["LONGCODE_DATABASE_URL"] = database_url
    return env


class ServerProcess:
    def __init__(
        self,
        data_dir: Path,
        database_url: str | None,
        *extra: str,
        scheme: str = "http",
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        env = {**server_env(data_dir, database_url), **(env or {})}
        self.log = data_dir / f"server-{self.port}.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from longcode.cli import main; main()",
                "serve",
                "--port",
                str(self.port),
                *extra,
            ],
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                # verify=False: TLS tests use a self-signed certificate made for the test.
                if httpx.get(f"{self.url}/healthz", timeout=1.0, verify=False).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError(f"server not ready: {self.log.read_text()}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
        return self.log.read_text()


class WorkerProcess:
    """`longcode worker` as a real process (what `kill -9` is tried on)."""

    def __init__(self, data_dir: Path, database_url: str | None, env: dict[str, str] | None = None) -> None:
        self.log = data_dir / f"worker-{time.monotonic_ns()}.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from longcode.cli import main; main()", "worker"],
            env={**server_env(data_dir, database_url), **(env or {})},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no shutdown code runs, leases are left behind
        self.process.wait()
        self._log_file.close()

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
        return self.log.read_text()
