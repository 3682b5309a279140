"""The baseline of bench/delivery.py's latency runs: the simplest on-net pipeline one would write.

A bare Starlette app stores each POST as a row (aiosqlite, WAL) and answers 202; a loop in the
same process polls for undelivered rows every 50 ms (longcode's default poll), POSTs each to the
receiver and marks it done. No leases, receipts, billing or signing: the floor of the same work.

    python bench/baseline_delivery.py DB PORT RECEIVER_URL
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid
from contextlib import asynccontextmanager

import aiosqlite
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DB, PORT, RECEIVER = sys.argv[1], int(sys.argv[2]), sys.argv[3]
POLL_SECONDS = 0.05
state: dict[str, aiosqlite.Connection] = {}


async def deliver(stop: asyncio.Event) -> None:
    db = state["db"]
    async with httpx.AsyncClient(timeout=5) as http:
        while not stop.is_set():
            cursor = await db.execute("SELECT id, body FROM message WHERE done = 0 LIMIT 100")
            rows = list(await cursor.fetchall())
            if not rows:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), POLL_SECONDS)
                continue
            await asyncio.gather(
                *(http.post(RECEIVER, content=json.dumps({"data": {"id": row[0]}})) for row in rows)
            )
            await db.executemany("UPDATE message SET done = 1 WHERE id = ?", [(row[0],) for row in rows])
            await db.commit()


@asynccontextmanager
async def lifespan(_app):
    connection = await aiosqlite.connect(DB)
    await connection.execute("PRAGMA journal_mode=WAL")
    await connection.execute("PRAGMA synchronous=NORMAL")
    await connection.execute(
        "CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, body TEXT, done INTEGER DEFAULT 0)"
    )
    await connection.execute("CREATE INDEX IF NOT EXISTS pending ON message (done)")
    state["db"] = connection
    stop = asyncio.Event()
    worker = asyncio.create_task(deliver(stop))
    yield
    stop.set()
    await worker
    await connection.close()


async def send(request: Request) -> Response:
    document = json.loads(await request.body())
    message_id = "mdr2-" + uuid.uuid4().hex
    await state["db"].execute(
        "INSERT INTO message (id, body) VALUES (?, ?)", (message_id, json.dumps(document))
    )
    await state["db"].commit()
    return Response(json.dumps({"data": {"id": message_id}}), 202, media_type="application/json")


app = Starlette(routes=[Route("/v2.1/messages", send, methods=["POST"])], lifespan=lifespan)

if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=PORT,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
