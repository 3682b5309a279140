"""`longcode inventory`: the numbers accounts can buy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

app = typer.Typer(help="Manage the inventory of purchasable numbers.", no_args_is_help=True)


def _progress(total: int) -> Any:
    def report(done: int) -> None:
        print(f"\r  {done:,} / {total:,}", end="", flush=True)

    return report


@app.command("generate")
def generate(
    count: Annotated[int, typer.Option("--count", help="How many numbers to generate.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same numbers.")] = 2026,
    data_dir: DataDir = None,
) -> None:
    """Add realistic numbers: real US and Canadian exchanges with their places, and toll-free."""
    import time

    from longcode.numbers import inventory

    async def work(session: AsyncSession) -> int:
        added = await inventory.add(
            session, inventory.generate(count, seed=seed), skip_existing=True, progress=_progress(count)
        )
        await session.commit()
        return added

    started = time.monotonic()
    added = run_with_session(build_settings(data_dir), work)
    print(
        f"\nadded {added:,} numbers ({count - added:,} already known) in {time.monotonic() - started:.1f} s"
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV file (see the README for its columns).", exists=True)],
    data_dir: DataDir = None,
) -> None:
    """Add the numbers of a CSV file: all of them, or none if any row is bad."""
    from longcode.numbers import inventory

    rows = _read(file)

    async def work(session: AsyncSession) -> int:
        added = await inventory.add(session, rows, skip_existing=False, progress=_progress(len(rows)))
        await session.commit()
        return added

    added = run_with_session(build_settings(data_dir), work)
    print(f"\nimported {added:,} numbers from {file}")


def _read(file: Path) -> Any:
    from longcode.numbers import inventory

    try:
        return inventory.read_csv(file)
    except inventory.CsvError as exc:
        typer.secho(f"error: {exc.detail}\nnothing was imported.", fg="red", err=True)
        raise typer.Exit(1) from None


@app.command("stats")
def stats(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """How many numbers are available, aging and held."""
    import json
    from dataclasses import asdict

    from longcode.numbers import inventory

    result = run_with_session(build_settings(data_dir), inventory.stats)
    if as_json:
        print(json.dumps(asdict(result)))
        return
    print(f"available   {result.available:,}")
    print(f"aging       {result.aging:,}")
    print(f"held        {result.held:,}")
    for kind, count in sorted(result.by_type.items()):
        print(f"  {kind:<10}{count:,} unheld")
    print(f"area codes  {result.area_codes:,}")
