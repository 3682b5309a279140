"""`longcode accounts`: create, list, disable and enable accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_session

app = typer.Typer(help="Manage accounts.", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A name for the account.")],
    numbers: Annotated[
        str, typer.Option("--numbers", help="Comma-separated numbers to assign, e.g. 12065550123.")
    ] = "",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Create an account with a fresh API key and the given numbers."""
    from longcode.accounts.provisioning import provision_account

    wanted = [item.strip() for item in numbers.split(",") if item.strip()]

    async def work(session: AsyncSession) -> Any:
        result = await provision_account(session=session, name=name, numbers=wanted)
        await session.commit()
        return result

    created = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(created.to_json())
        return
    print(f"account_id  {created.account_id}")
    print(f"access_key  {created.access_key}")
    print(f"secret_key  {created.secret_key}   (shown once: keep it now)")
    print(f"numbers     {', '.join(created.numbers) or '-'}")


@app.command("list")
def list_(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """List accounts with their status and numbers."""
    import json

    from longcode.accounts import service
    from longcode.numbers import service as numbers_service

    async def work(session: AsyncSession) -> Any:
        rows = []
        for account in await service.list_accounts(session=session):
            numbers = await numbers_service.list_account_numbers(session=session, account_id=account.id)
            rows.append(
                {
                    "account_id": account.id,
                    "name": account.name,
                    "status": account.status,
                    "numbers": [n.value for n in numbers],
                }
            )
        return rows

    rows = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print(f"{row['account_id']:>6}  {row['status']:<8}  {row['name']}  {' '.join(row['numbers'])}")


def _set_status(account_id: int, enabled: bool, data_dir: DataDir) -> None:
    from longcode.accounts import service

    async def work(session: AsyncSession) -> Any:
        account = await service.set_account_status(session=session, account_id=account_id, enabled=enabled)
        await session.commit()
        return account.status

    status = run_with_session(build_settings(data_dir), work)
    print(f"account {account_id} is {status}")


@app.command("disable")
def disable(account_id: int, data_dir: DataDir = None) -> None:
    """Disable an account: its keys stop working at once."""
    _set_status(account_id, False, data_dir)


@app.command("enable")
def enable(account_id: int, data_dir: DataDir = None) -> None:
    """Enable a disabled account again."""
    _set_status(account_id, True, data_dir)


@app.command("help-reply")
def help_reply(
    account_id: Annotated[int, typer.Argument(help="The account id.")],
    text: Annotated[
        str | None, typer.Argument(help="The new reply; leave out to show it.", show_default=False)
    ] = None,
    default: Annotated[bool, typer.Option("--default", help="Go back to longcode's default reply.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show or set the auto-reply an inbound HELP gets from this account's numbers."""
    from longcode.accounts import service
    from longcode.messaging.optout import DEFAULT_HELP_REPLY, MAX_HELP_REPLY

    if text is not None and len(text) > MAX_HELP_REPLY:
        raise typer.BadParameter(f"a HELP reply is at most {MAX_HELP_REPLY} characters")

    async def work(session: AsyncSession) -> str:
        account = await service.get_account(session=session, account_id=account_id)
        if default or text is not None:
            account.help_reply = None if default else text
            await session.commit()
        return account.help_reply or DEFAULT_HELP_REPLY

    print(run_with_session(build_settings(data_dir), work))
