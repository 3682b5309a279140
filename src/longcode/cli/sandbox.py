"""`longcode sandbox`: the sandbox control plane from the shell (the same operations as `/sandbox/`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_runner

if TYPE_CHECKING:
    from longcode.db.tx import TxRunner

app = typer.Typer(
    help="Drive the sandbox carrier: its outbox, a handset's replies, delays, resets.", no_args_is_help=True
)

When = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], help="UTC.", show_default=False)
]


@app.command("outbox")
def outbox(
    account: Annotated[int | None, typer.Option("--account", help="Only this account's messages.")] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="Only messages from or to this number.")
    ] = None,
    start: When = None,
    end: When = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """What was sent to the sandbox carrier, newest first, with its outcome and status now."""
    import json

    from longcode.phone import parse_nanp
    from longcode.sandbox import service

    settings = build_settings(data_dir)

    async def work(runner: TxRunner) -> list[dict[str, Any]]:
        return await service.list_outbox(
            runner=runner,
            account_id=account,
            number=None if number is None else parse_nanp(number, field="number"),
            start=_utc(start) or datetime(1970, 1, 1, tzinfo=UTC),
            end=_utc(end) or datetime.now(UTC),
            limit=limit,
        )

    rows = run_with_runner(settings, work)
    if as_json:
        print(
            json.dumps([{**row, "submitted_at": row["submitted_at"].isoformat()} for row in rows], indent=2)
        )
        return
    if not rows:
        print("the sandbox outbox is empty")
    for row in rows:
        kind = "MMS" if row["is_mms"] else "SMS"
        print(
            f"{row['submitted_at']:%Y-%m-%d %H:%M:%S}  {row['message_id']}  {row['from']} -> {row['to']}"
            f"  {kind}  {row['outcome']}/{row['status']}  {row['body']!r}"
        )


@app.command("inbound")
def inbound(
    from_: Annotated[str, typer.Option("--from", help="The outside number that sends.")],
    to: Annotated[str, typer.Option("--to", help="The platform number that receives.")],
    body: Annotated[str, typer.Option("--body", help="The text.")],
    data_dir: DataDir = None,
) -> None:
    """A handset's message to a platform number, through the same path as a carrier's inbound."""
    from longcode.sandbox import service

    settings = build_settings(data_dir)

    async def work(runner: TxRunner) -> str:
        return await service.inject_inbound(runner=runner, settings=settings, from_=from_, to=to, body=body)

    print(run_with_runner(settings, work))


@app.command("carrier")
def carrier(
    receipt_delay: Annotated[
        float | None, typer.Option("--receipt-delay", help="Seconds between a submit and its receipt.")
    ] = None,
    delayed_receipt: Annotated[
        float | None, typer.Option("--delayed-receipt", help="The delayed-receipt magic number's delay.")
    ] = None,
    failure_ratio: Annotated[
        float | None, typer.Option("--failure-ratio", help="Share (0-1) of ordinary messages that fail.")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Show the sandbox carrier's delays and failure ratio, or change them (running workers too)."""
    from dataclasses import asdict

    from longcode.sandbox import service

    settings = build_settings(data_dir)
    changes = {
        name: value
        for name, value in (
            ("receipt_delay_seconds", receipt_delay),
            ("delayed_receipt_seconds", delayed_receipt),
            ("failure_ratio", failure_ratio),
        )
        if value is not None
    }

    async def work(runner: TxRunner) -> Any:
        if changes:
            return await service.set_knobs(runner=runner, settings=settings, changes=changes)
        return await service.get_knobs(runner=runner, settings=settings)

    for name, value in asdict(run_with_runner(settings, work)).items():
        print(f"{name:<24} {value:g}")


@app.command("reset")
def reset(
    account: Annotated[int, typer.Argument(help="The account to reset.")],
    data_dir: DataDir = None,
) -> None:
    """Delete one account's messages, callbacks and webhook attempts; its numbers and keys stay."""
    from longcode.sandbox import service

    async def work(runner: TxRunner) -> dict[str, int]:
        return await service.reset_account(runner=runner, account_id=account)

    deleted = run_with_runner(build_settings(data_dir), work)
    print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in deleted.items()))


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)
