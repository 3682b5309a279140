"""A real HTTP receiver for webhooks, served by uvicorn on a loopback port in the test's loop.

It records every request (path, headers, raw body) and answers each path as told: a status to
give for the next N requests, or a delay (a slow receiver).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import Response

from tests.support.server import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookSink:
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    """path -> statuses to answer before answering 200."""
    delays: dict[str, float] = field(default_factory=dict)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """GET path -> (content type, bytes): files to serve as MMS media."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = request.url.path
        if request.method == "GET" and path in self.media:
            content_type, content = self.media[path]
            await Response(content, media_type=content_type)(scope, receive, send)
            return
        body = await request.body()
        self.received.append(Received(path, {k.lower(): v for k, v in request.headers.items()}, body))
        if path in self.delays:
            await asyncio.sleep(self.delays[path])
        planned = self.failures.get(path)
        status = planned.pop(0) if planned else 200
        await Response(status_code=status)(scope, receive, send)

    def at(self, path: str) -> list[Received]:
        return [item for item in self.received if item.path == path]

    async def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.at(path)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{path}: {len(self.at(path))} of {count} requests after {timeout} s")
            await asyncio.sleep(0.02)
        return self.at(path)


@contextlib.asynccontextmanager
async def running_sink() -> AsyncIterator[WebhookSink]:
    sink = WebhookSink()
    config = uvicorn.Config(sink, host="127.0.0.1", port=sink.port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield sink
    finally:
        server.should_exit = True
        await task
