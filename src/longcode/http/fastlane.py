"""A fast lane for the hottest endpoints: the same handler functions, fewer layers.

`POST /v2.1/messages` is the product's hot path. FastAPI's router, dependency machinery and
exception middleware cost about half of a request there (NOTES.md: FastAPI ~7,400 req/s vs
Starlette ~17,400). Handlers registered here are plain `async (Request) -> Response` functions that
are *also* registered as ordinary FastAPI routes (so OpenAPI documents them and nothing else
changes); this middleware just reaches them first. It sits inside the request guards (HTTPS,
proxies, body cap), so every rule still applies, and answers errors with the same translator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from longcode.errors import LongcodeError
from longcode.http.errors import error_response, internal_error_response

Endpoint = Callable[[Request], Awaitable[Response]]


class FastLane:
    def __init__(self, app: ASGIApp, routes: dict[tuple[str, str], Endpoint]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = (
            self.routes.get((scope.get("method", ""), scope.get("path", "")))
            if scope["type"] == "http"
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await endpoint(Request(scope, receive))
        except LongcodeError as exc:
            response = error_response(exc)
        except Exception as exc:
            response = internal_error_response(exc)
        await response(scope, receive, send)
