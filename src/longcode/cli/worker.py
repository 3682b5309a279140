"""`longcode worker`: the delivery and webhook workers without the API, for N API processes and
M worker processes on one PostgreSQL (or a worker beside `serve --no-workers` on SQLite)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Annotated

import typer

from longcode.cli.common import DataDir, build_settings

if TYPE_CHECKING:
    from longcode.config import Settings

log = logging.getLogger("longcode")


def worker(
    role: Annotated[
        list[str] | None,
        typer.Option("--role", help="delivery or webhooks; repeat for both (the default)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Run the workers until SIGTERM or Ctrl-C; then in-flight work finishes or is released."""
    from longcode.workers import ROLES

    roles = tuple(role or ROLES)
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise typer.BadParameter(f"unknown role {', '.join(unknown)}; the roles are {', '.join(ROLES)}")
    settings = build_settings(data_dir)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    asyncio.run(_main(settings, roles))


async def _main(settings: Settings, roles: tuple[str, ...]) -> None:
    from longcode.accounts.credentials import load_pepper
    from longcode.db.database import open_database, open_runner
    from longcode.workers import run_workers

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with open_database(settings) as database:
        async with database.sessions() as session:
            pepper = await load_pepper(session)
        runner = await open_runner(settings)
        try:
            print(f"longcode worker running ({', '.join(roles)}); SIGTERM or Ctrl-C stops it", flush=True)
            await run_workers(runner, settings, pepper, stop, roles)
        finally:
            await runner.close()
    log.info("worker stopped")
