"""The baseline of bench/send.py: a bare Starlette app doing one SQLite insert per POST.

Run as `python bench/baseline_app.py DB PORT [read]`. aiosqlite, WAL, synchronous=NORMAL, one
connection: the setup NOTES.md measured at ~4,700 req/s under FastAPI.
"""

from __future__ import annotations

import json
import sys
import uuid
from contextlib import asynccontextmanager

import aiosqlite
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DB, PORT = sys.argv[1], int(sys.argv[2])
state: dict[str, aiosqlite.Connection] = {}


@asynccontextmanager
async def lifespan(_app):
    connection = await aiosqlite.connect(DB)
    await connection.execute("PRAGMA journal_mode=WAL")
    await connection.execute("PRAGMA synchronous=NORMAL")
    if len(sys.argv) < 4:  # the send baseline owns its table; the MDR baseline reads longcode's
        await connection.execute("CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, body TEXT)")
    state["db"] = connection
    yield
    await connection.close()


async def send(request: Request) -> Response:
    document = json.loads(await request.body())
    message_id = "mdr2-" + uuid.uuid4().hex
    await state["db"].execute("INSERT INTO message VALUES (?, ?)", (message_id, json.dumps(document)))
    await state["db"].commit()
    return Response(json.dumps({"data": {"id": message_id}}), 202, media_type="application/json")


async def list_window(request: Request) -> Response:
    """The MDR window query of bench/mdr_query.py, straight from SQL to JSON."""
    params = request.query_params
    cursor = await state["db"].execute(
        "SELECT id, from_number, to_number, body, status, created_at FROM message"
        " WHERE account_id = ? AND created_at >= ? AND created_at < ?"
        " ORDER BY created_at DESC, id DESC LIMIT ?",
        (int(params["account_id"]), params["start"], params["end"], int(params["limit"]) + 1),
    )
    rows = await cursor.fetchall()
    data = [dict(zip(("id", "from", "to", "body", "status", "timestamp"), row, strict=True)) for row in rows]
    return Response(json.dumps({"data": data[:-1]}), 200, media_type="application/json")


# bench/number_search.py's baseline: each search as the plain query one would write first, over
# the same table (LIKE patterns, DISTINCT), straight from SQL to JSON.
PLAIN_SEARCHES = {
    "starts_with": "value LIKE ? || '%'",
    "contains": "value LIKE '%' || ? || '%'",
    "ends_with": "value LIKE '%' || ?",
    "state": "state = ?",
}
COLUMNS = ("value", "number_type", "rate_center", "state", "setup_cost", "monthly_cost")


async def search(request: Request) -> Response:
    params = request.query_params
    if params["kind"] == "areacodes":
        sql = "SELECT DISTINCT substr(value, 2, 3) FROM number WHERE account_id IS NULL ORDER BY 1 LIMIT 10"
        cursor = await state["db"].execute(sql)
        return Response(
            json.dumps({"data": [row[0] for row in await cursor.fetchall()]}), media_type="application/json"
        )
    if params["kind"] == "rate_center":
        where, args = "state = ? AND rate_center = ?", (params["state"], params["q"])
    else:
        where, args = PLAIN_SEARCHES[params["kind"]], (params["q"],)
    cursor = await state["db"].execute(
        f"SELECT {', '.join(COLUMNS)} FROM number"
        f" WHERE account_id IS NULL AND {where} ORDER BY value LIMIT 10",
        args,
    )
    data = [dict(zip(COLUMNS, row, strict=True)) for row in await cursor.fetchall()]
    return Response(json.dumps({"data": data}), media_type="application/json")


app = Starlette(
    routes=[
        Route("/v2.1/messages", send, methods=["POST"]),
        Route("/window", list_window),
        Route("/search", search),
    ],
    lifespan=lifespan,
)

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
