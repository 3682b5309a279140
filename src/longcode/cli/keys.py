"""`longcode keys`: create, list and revoke API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from longcode.db.tx import TxRunner

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_runner, run_with_session

app = typer.Typer(help="Manage API keys and webhook signing secrets.", no_args_is_help=True)


@app.command("create")
def create(
    account: Annotated[int, typer.Option("--account", help="The account id.")],
    label: Annotated[str, typer.Option("--label", help="A note to tell keys apart.")] = "",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Create a key; its secret is printed this once and stored only as a hash."""
    import json

    from longcode.accounts import service
    from longcode.accounts.credentials import load_pepper

    async def work(session: AsyncSession) -> Any:
        key = await service.create_key(
            session=session, account_id=account, pepper=await load_pepper(session), label=label
        )
        await session.commit()
        return key

    key = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps({"account_id": account, "access_key": key.access_key, "secret_key": key.secret_key}))
        return
    print(f"access_key  {key.access_key}")
    print(f"secret_key  {key.secret_key}   (shown once: keep it now)")


@app.command("list")
def list_(
    account: Annotated[int | None, typer.Option("--account", help="Only this account's keys.")] = None,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """List keys (never their secrets: only the last four characters)."""
    import json

    from longcode.accounts import service

    async def work(session: AsyncSession) -> Any:
        keys = await service.list_keys(session=session, account_id=account)
        return [
            {
                "account_id": key.account_id,
                "access_key": key.access_key,
                "secret_hint": "…" + key.secret_hint,
                "label": key.label,
                "created_at": key.created_at.isoformat(),
                "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
            }
            for key in keys
        ]

    rows = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        print(f"{row['account_id']:>6}  {row['access_key']}  {row['secret_hint']}  {state}  {row['label']}")


@app.command("revoke")
def revoke(
    access_key: Annotated[str, typer.Argument(help="The access key to revoke.")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a key: the next request with it is refused, running server or not."""
    from longcode.accounts import service

    async def work(session: AsyncSession) -> Any:
        await service.revoke_key(session=session, access_key=access_key)
        await session.commit()

    run_with_session(build_settings(data_dir), work)
    print(f"revoked {access_key}")


@app.command("signing-secret")
def signing_secret(
    account: Annotated[int, typer.Argument(help="The account id.")],
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Replace it (workers sign with the new one within 30 s).")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """The secret that signs this account's webhooks (X-Longcode-Signature); see docs/webhooks.md."""
    from longcode.errors import NotFound
    from longcode.webhooks.signing import account_secret

    async def work(runner: TxRunner) -> str:
        try:
            return await runner.transaction(lambda tx: account_secret(tx, account, rotate=rotate))
        except LookupError:
            raise NotFound(f"No account {account}.") from None

    print(run_with_runner(build_settings(data_dir), work))
