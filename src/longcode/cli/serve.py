"""`longcode serve`: the API, the delivery and webhook workers and the portal in one process."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from longcode.cli.common import DataDir, build_settings

if TYPE_CHECKING:
    from longcode.accounts.provisioning import Provisioned
    from longcode.config import Settings

log = logging.getLogger("longcode")


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8080).")] = None,
    data_dir: DataDir = None,
    tls_cert: Annotated[Path | None, typer.Option(help="TLS certificate (PEM).")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="TLS private key (PEM).")] = None,
    allow_http: Annotated[
        bool | None, typer.Option("--allow-http", help="Accept plain HTTP off loopback (unsafe).")
    ] = None,
    workers: Annotated[
        bool | None,
        typer.Option("--workers/--no-workers", help="Run the delivery and webhook workers here (default)."),
    ] = None,
) -> None:
    """Run the API server and its workers; on the first start, create and print a demo account."""
    settings = build_settings(
        data_dir,
        host=host,
        port=port,
        tls_cert=tls_cert,
        tls_key=tls_key,
        allow_http=allow_http,
        workers=workers,
    )
    if (settings.tls_cert is None) != (settings.tls_key is None):
        raise typer.BadParameter("--tls-cert and --tls-key go together.")
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if (
        settings.allow_http
        and settings.host not in ("127.0.0.1", "localhost", "::1")
        and not settings.tls_enabled
    ):
        log.warning("--allow-http: plain HTTP accepted on %s; credentials travel in clear", settings.host)
    if settings.demo:
        _print_demo(settings, *asyncio.run(_demo(settings)))
        asyncio.run(_seed_inventory(settings))
    _run(settings)


async def _seed_inventory(settings: Settings) -> None:
    """The first start fills an empty inventory with realistic numbers (a few seconds)."""
    import time

    from longcode.db.database import open_database
    from longcode.numbers import inventory

    if settings.inventory_count == 0:
        return
    async with open_database(settings) as database, database.sessions() as session:
        if await inventory.is_seeded(session):
            return
        started = time.monotonic()
        print(f"Generating the inventory: {settings.inventory_count:,} numbers to buy...", flush=True)
        rows = inventory.generate(settings.inventory_count, seed=settings.inventory_seed)
        added = await inventory.add(session, rows, skip_existing=True)
        await session.commit()
        print(f"  {added:,} numbers ready in {time.monotonic() - started:.1f} s", flush=True)


async def _demo(settings: Settings) -> tuple[Provisioned, bool, str]:
    from longcode.accounts.provisioning import ensure_demo
    from longcode.app import operator_token
    from longcode.db.database import open_database

    async with open_database(settings) as database, database.sessions() as session:
        demo, created = await ensure_demo(session=session, data_dir=settings.data_dir)
        return demo, created, await operator_token(session, settings)


def _print_demo(settings: Settings, demo: Provisioned, created: bool, admin_token: str) -> None:
    scheme = "https" if settings.tls_enabled else "http"
    url = f"{scheme}://{settings.host}:{settings.port}"
    state = "created" if created else "ready"
    print(f"Demo account {demo.account_id} {state} ({settings.data_dir / 'demo.json'}):")
    print(f"  access_key  {demo.access_key}")
    print(f"  secret_key  {demo.secret_key}")
    print(f"  numbers     {', '.join(demo.numbers)}")
    print("Try:")
    print(
        f"  curl -u {demo.access_key}:{demo.secret_key} -H 'Content-Type: application/vnd.api+json' "
        f'-d \'{{"to": "12065550199", "from": "{demo.numbers[0]}", "body": "hello"}}\' '
        f"{url}/v2.1/messages"
    )
    print(f"Sandbox control plane (LONGCODE_ADMIN_TOKEN): {admin_token}")
    print(f"  curl -H 'Authorization: Bearer {admin_token}' {url}/sandbox/outbox")


def _run(settings: Settings) -> None:
    import uvicorn

    from longcode.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ssl_certfile=str(settings.tls_cert) if settings.tls_cert else None,
        ssl_keyfile=str(settings.tls_key) if settings.tls_key else None,
        # Forwarded headers are honoured by longcode itself, only from LONGCODE_TRUSTED_PROXIES.
        proxy_headers=False,
        server_header=False,
        access_log=settings.access_log,
        log_level=settings.log_level,
        loop="uvloop",
        http="httptools",
    )
