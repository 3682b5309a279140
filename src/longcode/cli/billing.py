"""`longcode billing`: what an account owes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

app = typer.Typer(help="Billing statements.", no_args_is_help=True)


@app.command("statement")
def statement(
    account: Annotated[int, typer.Argument(help="The account id.")],
    month: Annotated[str, typer.Option("--month", help="YYYY-MM.")],
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Numbers (setup and monthly) and messages of one month, in dollars."""
    import json
    from dataclasses import asdict

    from longcode.accounts import service as accounts
    from longcode.billing.statements import statement as build
    from longcode.money import display

    async def work(session: AsyncSession) -> Any:
        await accounts.get_account(session=session, account_id=account)
        return await build(session, account_id=account, month=month)

    result = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps({**asdict(result), "total": result.total}))
        return
    print(f"Statement for account {account}, {month}")
    print(f"  number setup     {len(result.setup_numbers):>8} numbers   {display(result.setup):>12}")
    print(f"  number monthly   {len(result.monthly_numbers):>8} numbers   {display(result.monthly):>12}")
    for line in result.messages:
        label = f"{line.kind} {line.direction}"
        print(f"  {label:<16} {line.messages:>8} msgs {line.segments:>6} seg {display(line.amount):>12}")
    print(f"  total{'':>38}{display(result.total):>12}")
