"""MDR list query: 1,000,000 stored MDRs for one account, `GET /v2.1/messages` for a one-day
window with limit 100. Target: p99 under 50 ms. Baseline alongside: a bare Starlette app running
the same window query on the same database file and returning its rows as JSON.

Both servers stay up and are measured in alternating rounds (medians reported).

    python -m bench.mdr_query [--rows 1000000] [--seconds 8] [--rounds 3] [--connections 4]
"""

from __future__ import annotations

import argparse
import base64
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import loadgen
from bench.common import ROOT, free_port, report, start, stop, wait_until_up

DAYS = 100
FIRST_DAY = datetime(2026, 1, 1, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "longcode"
        demo = prepare(data_dir)
        fill(data_dir / "longcode.db", demo, args.rows)
        day = FIRST_DAY + timedelta(days=DAYS // 2)
        with longcode(data_dir, demo, day) as ours, baseline(data_dir / "longcode.db", demo, day) as base:
            get(ours, args.connections, 1.0)  # warm-up
            rounds = [
                (get(base, args.connections, args.seconds), get(ours, args.connections, args.seconds))
                for _ in range(args.rounds)
            ]
    report(
        f"{args.rows:,} MDRs, one-day window (~{args.rows // DAYS:,} rows), limit 100, "
        f"{args.connections} connections, {args.seconds:.0f} s a round",
        rounds,
        ("bare Starlette+SQL", "longcode"),
        "p99 < 50 ms",
    )


def get(target: tuple[str, dict[str, str]], connections: int, seconds: float) -> loadgen.Result:
    url, headers = target
    return loadgen.run(url, method="GET", body=b"", headers=headers, connections=connections, seconds=seconds)


def prepare(data_dir: Path) -> dict:
    """Run longcode once so it migrates the database and creates the demo account."""
    port = free_port()
    process = start(["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)])
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        stop(process)
    return json.loads((data_dir / "demo.json").read_text())


def fill(path: Path, demo: dict, rows: int) -> None:
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    step = timedelta(days=DAYS) / rows
    sender = demo["numbers"][0]

    def generate():
        for index in range(rows):
            moment = (FIRST_DAY + step * index).strftime("%Y-%m-%d %H:%M:%S.%f")
            yield (
                "mdr2-" + uuid.uuid4().hex,
                demo["account_id"],
                "outbound",
                sender,
                "12065550199",
                f"message {index}",
                0,
                "[]",
                None,
                0,
                1,
                "longcode",
                "delivered",
                4_000_000,
                "v2.1",
                moment,
                moment,
                None,
                1,
            )

    connection.executemany(
        "INSERT INTO message (id, account_id, direction, from_number, to_number, body, is_mms, media_urls,"
        " dlr_callback, message_encoding, segments, message_type, status, amount_nanodollars, api_version,"
        " created_at, updated_at, next_attempt_at, attempts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        generate(),
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    print(f"filled {rows:,} MDRs in {time.perf_counter() - started:.1f} s")


@contextmanager
def longcode(data_dir: Path, demo: dict, day: datetime) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    process = start(
        ["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env={"LONGCODE_LOG_LEVEL": "warning"},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        token = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
        url = (
            f"http://127.0.0.1:{port}/v2.1/messages?start_date={day:%Y-%m-%d}"
            f"&end_date={day + timedelta(days=1):%Y-%m-%d}&limit=100"
        )
        yield url, {"Authorization": f"Basic {token}"}
    finally:
        stop(process)


@contextmanager
def baseline(db: Path, demo: dict, day: datetime) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    process = start([str(ROOT / "bench" / "baseline_app.py"), str(db), str(port), "read"])
    try:
        start_text = day.strftime("%Y-%m-%d %H:%M:%S.%f").replace(" ", "%20")
        end_text = (day + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f").replace(" ", "%20")
        url = (
            f"http://127.0.0.1:{port}/window?account_id={demo['account_id']}&limit=100"
            f"&start={start_text}&end={end_text}"
        )
        wait_until_up(url, process)
        yield url, {}
    finally:
        stop(process)


if __name__ == "__main__":
    main()
