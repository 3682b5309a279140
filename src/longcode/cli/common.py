"""What every command shares: the `--data-dir` option, settings, an open database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from longcode.config import Settings
    from longcode.db.tx import TxRunner

T = TypeVar("T")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="LONGCODE_DATA_DIR",
        help="Where longcode keeps its data (default ./var).",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def build_settings(data_dir: Path | None, **overrides: Any) -> Settings:
    """Settings from the environment and the command's flags; a bad value is a clean exit."""
    from pydantic import ValidationError

    from longcode.config import Settings

    values = {name: value for name, value in overrides.items() if value is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    try:
        return Settings(**values)
    except ValidationError as exc:
        for error in exc.errors():
            name = "LONGCODE_" + "_".join(str(part) for part in error["loc"]).upper()
            typer.secho(f"error: {name}: {error['msg']}", fg="red", err=True)
        raise typer.Exit(2) from None


def run_with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in a session on the migrated database; errors become a clean exit."""
    from longcode.db.database import open_database

    async def main() -> T:
        async with open_database(settings) as database, database.sessions() as session:
            return await work(session)

    return _run(main())


def run_with_runner(settings: Settings, work: Callable[[TxRunner], Awaitable[T]]) -> T:
    """Run `work` with the hot-path transaction runner (what the workers and the API use)."""
    from longcode.db.database import open_database, open_runner

    async def main() -> T:
        async with open_database(settings):  # migrated first
            runner = await open_runner(settings)
            try:
                return await work(runner)
            finally:
                await runner.close()

    return _run(main())


def _run(main: Coroutine[Any, Any, T]) -> T:
    from longcode.errors import LongcodeError

    try:
        return asyncio.run(main)
    except LongcodeError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        raise typer.Exit(1) from None
