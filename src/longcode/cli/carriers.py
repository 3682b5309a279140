"""`longcode carriers`: SMPP 3.4 carriers (SMSCs) and which accounts and numbers use them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

app = typer.Typer(
    help="Configure SMPP carriers; messages leave by the sandbox carrier unless assigned one.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name for the carrier, e.g. 'acme-smsc'.")],
    host: Annotated[str, typer.Option("--host", help="The SMSC's host.")],
    system_id: Annotated[str, typer.Option("--system-id", help="The bind's system_id.")],
    password: Annotated[
        str, typer.Option("--password", prompt=True, hide_input=True, envvar="LONGCODE_SMPP_PASSWORD")
    ],
    port: Annotated[int, typer.Option("--port", help="The SMSC's port.")] = 2775,
    system_type: Annotated[str, typer.Option("--system-type")] = "",
    binds: Annotated[int, typer.Option("--binds", help="Transceiver sessions per worker.")] = 1,
    window: Annotated[int, typer.Option("--window", help="Unacknowledged PDUs per bind.")] = 10,
    tls: Annotated[bool, typer.Option("--tls", help="SMPP over TLS.")] = False,
    long_messages: Annotated[
        str, typer.Option("--long-messages", help="'udh' (concatenated parts) or 'payload' (one PDU).")
    ] = "udh",
    gsm_packed: Annotated[bool, typer.Option("--gsm-packed", help="GSM text as packed septets.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Change an existing carrier.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Add (or with --replace, change) a carrier; running workers bind to it within seconds."""
    from longcode.accounts.credentials import load_pepper
    from longcode.delivery.carriers.admin import add_carrier
    from longcode.delivery.carriers.smpp.client import CarrierConfig

    spec = CarrierConfig(
        name, host, port, system_id, password, system_type, binds, window, tls, long_messages, gsm_packed
    )

    async def work(session: AsyncSession) -> None:
        await add_carrier(session=session, pepper=await load_pepper(session), spec=spec, replace=replace)
        await session.commit()

    run_with_session(build_settings(data_dir), work)
    print(
        f"carrier {name} {'saved' if replace else 'added'};"
        f" assign it: longcode carriers assign {name} --account ID"
    )


@app.command("list")
def list_(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """The carriers (never their passwords) and how many accounts and numbers use each."""
    import json

    from longcode.delivery.carriers.admin import list_carriers

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [
            {
                "name": carrier.name,
                "host": carrier.host,
                "port": carrier.port,
                "system_id": carrier.system_id,
                "system_type": carrier.system_type,
                "binds": carrier.binds,
                "window": carrier.window_size,
                "tls": carrier.tls,
                "long_messages": carrier.long_messages,
                "gsm_packed": carrier.gsm_packed,
                "accounts": accounts,
                "numbers": numbers,
            }
            for carrier, accounts, numbers in await list_carriers(session=session)
        ]

    rows = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    print("sandbox     built in (the default)")
    for row in rows:
        tls = " tls" if row["tls"] else ""
        print(
            f"{row['name']:<11} {row['host']}:{row['port']}{tls}  system_id {row['system_id']}"
            f"  {row['binds']} bind(s) x window {row['window']}  long messages {row['long_messages']}"
            f"  used by {row['accounts']} account(s), {row['numbers']} number(s)"
        )


@app.command("remove")
def remove(name: Annotated[str, typer.Argument()], data_dir: DataDir = None) -> None:
    """Remove a carrier no account or number uses; workers unbind from it."""
    from longcode.delivery.carriers.admin import remove_carrier

    async def work(session: AsyncSession) -> None:
        await remove_carrier(session=session, name=name)
        await session.commit()

    run_with_session(build_settings(data_dir), work)
    print(f"carrier {name} removed")


@app.command("assign")
def assign(
    name: Annotated[str, typer.Argument(help="The carrier, or 'sandbox' for the default.")],
    account: Annotated[int | None, typer.Option("--account", help="Every number of this account.")] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="Only this number (over its account).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Send an account's or a number's off-net messages through this carrier."""
    from longcode.delivery.carriers.admin import assign as assign_carrier

    async def work(session: AsyncSession) -> None:
        await assign_carrier(session=session, carrier=name, account_id=account, number=number)
        await session.commit()

    run_with_session(build_settings(data_dir), work)
    print(f"{'account ' + str(account) if account is not None else number} now sends through {name}")
