"""Number search: 1,000,000 purchasable numbers (the inventory generator's, as `longcode
inventory generate` makes them), `GET /v2/numbers/available` with limit 10 for `starts_with`,
`contains`, `ends_with`, `state` and `rate_center` queries, and the area-code list. Target: p99
under 30 ms for each on SQLite.

Baseline alongside, per query: a bare Starlette app running the plain query one would write
first (`LIKE` patterns, `SELECT DISTINCT`) on the same database file. Alternating rounds,
medians reported; the space the trigram index costs is printed too.

    python -m bench.number_search [--numbers 1000000] [--seconds 5] [--rounds 2] [--connections 4]
"""

from __future__ import annotations

import argparse
import base64
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import loadgen
from bench.common import ROOT, free_port, report, start, stop, wait_until_up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "longcode"
        demo = prepare(data_dir)
        fill(data_dir, args.numbers)
        db = data_dir / "longcode.db"
        state, rate_center = common_place(db)
        queries = {
            "starts_with=1206": ("starts_with=1206", "kind=starts_with&q=1206"),
            "contains=4321": ("contains=4321", "kind=contains&q=4321"),
            "contains=77": ("contains=77", "kind=contains&q=77"),
            "ends_with=0607": ("ends_with=0607", "kind=ends_with&q=0607"),
            f"state={state}": (f"state={state}", f"kind=state&q={state}"),
            f"rate_center={rate_center}": (
                f"state={state}&rate_center={rate_center}",
                f"kind=rate_center&state={state}&q={rate_center}",
            ),
        }
        port, base_port = free_port(), free_port()
        ours = start(
            ["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)],
            env={"LONGCODE_LOG_LEVEL": "warning", "LONGCODE_INVENTORY_COUNT": "0"},
        )
        base = start([str(ROOT / "bench" / "baseline_app.py"), str(db), str(base_port), "read"])
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", ours)
            wait_until_up(f"http://127.0.0.1:{base_port}/search?kind=areacodes", base)
            token = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
            auth = {"Authorization": f"Basic {token}"}
            targets = {
                name: (
                    (f"http://127.0.0.1:{base_port}/search?{plain}", {}),
                    (f"http://127.0.0.1:{port}/v2/numbers/available?{query}&limit=10", auth),
                )
                for name, (query, plain) in queries.items()
            }
            targets["areacodes"] = (
                (f"http://127.0.0.1:{base_port}/search?kind=areacodes", {}),
                (f"http://127.0.0.1:{port}/v2/numbers/available/areacodes", auth),
            )
            for name, (plain, longcode) in targets.items():
                get(longcode, args.connections, 1.0)  # warm-up
                rounds = [
                    (
                        get(plain, args.connections, args.seconds),
                        get(longcode, args.connections, args.seconds),
                    )
                    for _ in range(args.rounds)
                ]
                report(
                    f"\n{name}: {args.numbers:,} numbers, limit 10, {args.connections} connections",
                    rounds,
                    ("bare Starlette+plain SQL", "longcode"),
                    "p99 < 30 ms",
                )
        finally:
            stop(ours)
            stop(base)
        space(db)


def get(target: tuple[str, dict[str, str]], connections: int, seconds: float) -> loadgen.Result:
    url, headers = target
    return loadgen.run(url, method="GET", body=b"", headers=headers, connections=connections, seconds=seconds)


def prepare(data_dir: Path) -> dict:
    """Run longcode once (no inventory) so it migrates the database and creates the demo account."""
    port = free_port()
    process = start(
        ["-m", "longcode", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env={"LONGCODE_INVENTORY_COUNT": "0"},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        stop(process)
    return json.loads((data_dir / "demo.json").read_text())


def fill(data_dir: Path, count: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "longcode",
            "inventory",
            "generate",
            "--count",
            str(count),
            "--data-dir",
            str(data_dir),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    connection = sqlite3.connect(data_dir / "longcode.db")
    connection.execute("ANALYZE")
    connection.close()
    print(f"longcode inventory generate --count {count:,}: {time.perf_counter() - started:.1f} s")


def common_place(db: Path) -> tuple[str, str]:
    connection = sqlite3.connect(db)
    state, rate_center = connection.execute(
        "SELECT state, rate_center FROM number WHERE rate_center IS NOT NULL"
        " GROUP BY state, rate_center ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    connection.close()
    return state, rate_center


def space(db: Path) -> None:
    """What the trigram index and the search indexes cost on disk."""
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'number%' OR name LIKE 'ix_number%'"
            " OR name LIKE 'sqlite_autoindex_number%' GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat: the FTS data alone
        rows = [
            (
                "number_fts_data",
                connection.execute("SELECT sum(length(block)) FROM number_fts_data").fetchone()[0],
            )
        ]
    connection.close()
    print(f"\nspace on disk ({db.stat().st_size / 1e6:.0f} MB database):")
    for name, size in rows:
        print(f"  {name:<36}{size / 1e6:>8.1f} MB")


if __name__ == "__main__":
    main()
