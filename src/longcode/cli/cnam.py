"""`longcode cnam`: review the caller names accounts ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from longcode.cli.common import AsJson, DataDir, build_settings, run_with_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

app = typer.Typer(help="Review CNAM records.", no_args_is_help=True)


@app.command("list")
def list_(
    pending: Annotated[bool, typer.Option("--pending", help="Only records awaiting a decision.")] = False,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Every account's CNAM records (or the pending ones)."""
    import json

    from longcode.cnam import service
    from longcode.cnam.models import PENDING

    async def work(session: AsyncSession) -> Any:
        records, _ = await service.list_records(
            session=session, account_id=None, filters={}, is_approved=None, limit=None, offset=0
        )
        await session.commit()
        return [
            {"id": r.id, "account_id": r.account_id, "value": r.value, "status": r.status}
            for r in records
            if not pending or r.status == PENDING
        ]

    rows = run_with_session(build_settings(data_dir), work)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print(f"{row['id']:>6}  account {row['account_id']:<6} {row['status']:<9} {row['value']}")


def _decide(cnam_id: int, approve: bool, reason: str | None, data_dir: Any) -> None:
    from longcode.cnam import service

    async def work(session: AsyncSession) -> Any:
        record = await service.decide(session=session, cnam_id=cnam_id, approve=approve, reason=reason)
        await session.commit()
        return record.status

    print(f"CNAM record {cnam_id} {run_with_session(build_settings(data_dir), work)}")


@app.command("approve")
def approve(
    cnam_id: Annotated[int, typer.Argument(help="The record's id.")], data_dir: DataDir = None
) -> None:
    """Approve a pending record: the account can now assign it to numbers."""
    _decide(cnam_id, True, None, data_dir)


@app.command("reject")
def reject(
    cnam_id: Annotated[int, typer.Argument(help="The record's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Shown to the account as rejection_reason.")] = (
        "Rejected by the operator."
    ),
    data_dir: DataDir = None,
) -> None:
    """Reject a pending record, with the reason the account will see."""
    _decide(cnam_id, False, reason, data_dir)
