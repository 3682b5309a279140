"""`create_app(settings)`: the ASGI app with every API router, its guards and its lifespan."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from longcode import __version__
from longcode.accounts.credentials import load_pepper
from longcode.cnam import api as cnam_api
from longcode.config import Settings
from longcode.db import server_settings
from longcode.db.database import open_database, open_runner
from longcode.db.tx import TxRunner
from longcode.e911 import api as e911_api
from longcode.http.errors import install_error_handlers
from longcode.http.fastlane import Endpoint, FastLane
from longcode.http.guards import BodyLimit, ProxyAndHttps
from longcode.http.jsonapi import JsonApiResponse
from longcode.http.state import AppState
from longcode.messaging import api as messaging_api
from longcode.messaging import api_v2 as messaging_api_v2
from longcode.messaging import media as messaging_media
from longcode.numbers import api as numbers_api
from longcode.numbers import api_v1 as numbers_api_v1
from longcode.routes import api as routes_api
from longcode.sandbox import api as sandbox_api
from longcode.workers import run_workers

# Explicit, in one place: every router the API serves. Order matters where paths overlap:
# the fixed `/v2/numbers/available` before `/v2/numbers/{number_id}`.
ROUTERS = (
    messaging_api.router,
    messaging_api_v2.router,
    numbers_api.router,
    routes_api.router,
    e911_api.router,
    cnam_api.router,
    numbers_api_v1.router,
    messaging_media.router,
    sandbox_api.router,
)
# The hottest endpoints, also reached directly by the fast lane (see http/fastlane.py).
FAST_ROUTES: dict[tuple[str, str], Endpoint] = {
    ("POST", "/v2.1/messages"): messaging_api.send_message,
    ("GET", "/v2.1/messages"): messaging_api.list_messages,
    ("POST", "/v2/messages"): messaging_api_v2.send_message_v2,
}


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            database = await stack.enter_async_context(open_database(settings))
            async with database.sessions() as session:
                pepper = await load_pepper(session)
                admin_token = await operator_token(session, settings)
            runner = await open_runner(settings)
            stack.push_async_callback(runner.close)
            app.state.longcode = AppState(
                settings=settings,
                engine=database.engine,
                sessions=database.sessions,
                runner=runner,
                pepper=pepper,
                admin_token=admin_token,
            )
            if settings.workers:
                await stack.enter_async_context(_workers(runner, settings, pepper))
            # Start-up objects (routes, metadata, caches) live for ever: keep the cyclic GC
            # from re-walking them on every collection, which shows up as latency spikes.
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()  # an app embedded in a longer-lived process (tests) lets go again

    app = FastAPI(
        title="longcode",
        version=__version__,
        description="A self-hostable platform speaking the Flowroute REST API.",
        lifespan=lifespan,
        # OpenTelemetry is opt-in for operators; its per-request provider probe costs ~10%.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_api_route("/healthz", _health, methods=["GET"], include_in_schema=False)
    # Added last = outermost: proxies and HTTPS are settled before anything reads the body,
    # and the fast lane (innermost) sees only requests that passed every guard.
    app.add_middleware(FastLane, routes=FAST_ROUTES)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(ProxyAndHttps, settings=settings)
    return app


async def operator_token(session: AsyncSession, settings: Settings) -> str:
    """`LONGCODE_ADMIN_TOKEN`, else one made on the first start and kept in the database."""
    return settings.admin_token or await server_settings.get_or_create(session, "admin_token")


@asynccontextmanager
async def _workers(runner: TxRunner, settings: Settings, pepper: bytes) -> AsyncIterator[None]:
    """The delivery and webhook workers beside the API, stopped gracefully on the way out."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(runner, settings, pepper, stop), name="longcode workers")
    try:
        yield
    finally:
        stop.set()
        await task


async def _health() -> Response:
    return JsonApiResponse({"status": "ok", "version": __version__})
