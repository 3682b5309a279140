"""Running the `longcode` command from async tests (it runs its own event loop, so in a thread)."""

from __future__ import annotations

import asyncio

from click.testing import Result
from typer.testing import CliRunner

from longcode.cli import app
from longcode.config import Settings


async def run_cli(settings: Settings, *args: str) -> Result:
    def invoke() -> Result:
        return CliRunner().invoke(
            app,
            [*args, "--data-dir", str(settings.data_dir)],
            env={"LONGCODE_DATABASE_URL": settings.effective_database_url},
        )

    return await asyncio.to_thread(invoke)
