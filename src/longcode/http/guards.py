"""Request guards as plain ASGI middleware: trusted proxies, HTTPS required, body size cap.

Plain ASGI (not `BaseHTTPMiddleware`) because they sit on the hot path of every request.
"""

from __future__ import annotations

import ipaddress
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longcode.config import Settings
from longcode.errors import Forbidden, LongcodeError, PayloadTooLarge
from longcode.http.errors import error_response

log = logging.getLogger("longcode.http")


async def _send_error(error: LongcodeError, scope: Scope, receive: Receive, send: Send) -> None:
    await error_response(error)(scope, receive, send)


class ProxyAndHttps:
    """Believe `X-Forwarded-Proto`/`-For` only from trusted proxies; refuse plain HTTP where due.

    The real API refuses HTTP; longcode does the same unless it listens on loopback, serves TLS
    itself, or the operator passed `--allow-http`.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.networks = settings.trusted_proxy_networks
        self.requires_https = settings.requires_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.networks and self._from_trusted_proxy(scope):
            scope = self._apply_forwarded(scope)
        if self.requires_https and scope.get("scheme") != "https":
            error = Forbidden(
                "HTTPS required: this server does not accept plain HTTP.", code="https_required"
            )
            await _send_error(error, scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _from_trusted_proxy(self, scope: Scope) -> bool:
        client = scope.get("client")
        if not client:
            return False
        try:
            address = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    @staticmethod
    def _apply_forwarded(scope: Scope) -> Scope:
        headers = dict(scope["headers"])
        scope = dict(scope)
        proto = headers.get(b"x-forwarded-proto")
        if proto:
            scope["scheme"] = proto.decode("latin-1").split(",")[0].strip().lower()
        forwarded_for = headers.get(b"x-forwarded-for")
        if forwarded_for:
            # The nearest hop is the last address; earlier ones are whatever the client claimed.
            host = forwarded_for.decode("latin-1").split(",")[-1].strip()
            scope["client"] = (host, 0)
        return scope


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLarge(
            f"The request body is larger than the {self.max_bytes} bytes this server accepts.",
            code="body_too_large",
        )
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _send_error(too_large, scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except PayloadTooLarge as error:
            # Raised while a route read its body; routes normally answer it themselves.
            if started:
                raise
            await _send_error(error, scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
