"""`longcode webhooks`: what was posted to customers' callback URLs, attempt by attempt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_runner

if TYPE_CHECKING:
    from longcode.db.tx import TxRunner

app = typer.Typer(
    help="Inspect webhook deliveries (inbound messages and delivery receipts).", no_args_is_help=True
)


@app.command("list")
def list_(
    message: Annotated[str | None, typer.Option("--message", help="Only this message's events.")] = None,
    account: Annotated[int | None, typer.Option("--account", help="Only this account's events.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="At most this many events.")] = 50,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Newest events first, each with every attempt: when, HTTP status, latency, error."""
    import json

    from longcode.webhooks.history import list_events

    async def work(runner: TxRunner) -> list[dict[str, Any]]:
        events = await runner.read(
            lambda tx: list_events(tx, message_id=message, account_id=account, limit=limit)
        )
        return [event.as_dict() for event in events]

    events = run_with_runner(build_settings(data_dir), work)
    if as_json:
        print(json.dumps(events, indent=2))
        return
    if not events:
        print("no webhook events")
    for event in events:
        retry = f"  next attempt {event['next_attempt_at']}" if event["next_attempt_at"] else ""
        print(
            f"{event['id']}  {event['kind']:<11} {event['status']:<9} account {event['account_id']}"
            f"  message {event['message_id']}{retry}"
        )
        print(f"    {event['url']}")
        for attempt in event["attempts"]:
            code = attempt["status_code"] if attempt["status_code"] is not None else "---"
            error = f"  {attempt['error']}" if attempt["error"] else ""
            print(f"    {attempt['at']}  {code}  {attempt['latency_ms']} ms{error}")
