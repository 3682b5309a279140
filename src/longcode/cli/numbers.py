"""`longcode numbers`: operator actions on numbers (porting in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import DataDir, build_settings, run_with_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

app = typer.Typer(help="Operator actions on numbers.", no_args_is_help=True)


@app.command("port-in")
def port_in(
    account: Annotated[int, typer.Option("--account", help="The account receiving the numbers.")],
    numbers: Annotated[list[str], typer.Argument(help="Numbers whose port has completed.")],
    data_dir: DataDir = None,
) -> None:
    """Put ported numbers on an account; they can send after LONGCODE_PORT_IN_MESSAGING_DELAY_SECONDS."""
    from longcode.numbers import service

    settings = build_settings(data_dir)

    async def work(session: AsyncSession) -> Any:
        ported = await service.port_in(
            session=session, settings=settings, account_id=account, numbers=numbers
        )
        await session.commit()
        return [(n.value, n.messaging_enabled_at) for n in ported]

    for value, enabled_at in run_with_session(settings, work):
        print(f"{value}  ported; messaging from {enabled_at.isoformat(timespec='seconds')}")
