"""Typed factories: make what a test needs through the same services the product uses."""

from __future__ import annotations

import base64
from itertools import count

from fastapi import FastAPI

from longcode.accounts import service as accounts_service
from longcode.accounts.provisioning import Provisioned, provision_account
from longcode.http.state import AppState

_numbers = count(1)


def state_of(app: FastAPI) -> AppState:
    state: AppState = app.state.longcode
    return state


def next_number(npa: str = "206") -> str:
    """A fresh valid long code in the 555-01XX fiction range, or beyond it deterministically."""
    n = next(_numbers)
    return f"1{npa}55{(100 + n) // 10000 % 10}{(100 + n) % 10000:04d}"


async def make_account(app: FastAPI, *, name: str = "acme", numbers: list[str] | None = None) -> Provisioned:
    async with state_of(app).sessions() as session:
        made = await provision_account(
            session=session, name=name, numbers=numbers if numbers is not None else [next_number()]
        )
        await session.commit()
    return made


async def revoke(app: FastAPI, access_key: str) -> None:
    async with state_of(app).sessions() as session:
        await accounts_service.revoke_key(session=session, access_key=access_key)
        await session.commit()


async def set_enabled(app: FastAPI, account_id: int, enabled: bool) -> None:
    async with state_of(app).sessions() as session:
        await accounts_service.set_account_status(session=session, account_id=account_id, enabled=enabled)
        await session.commit()


def basic(made: Provisioned) -> dict[str, str]:
    token = base64.b64encode(f"{made.access_key}:{made.secret_key}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def stock(app: FastAPI, values: list[str], **overrides: object) -> list[str]:
    """Put numbers in the inventory (place and costs from the geography, or `overrides`)."""
    from dataclasses import replace

    from longcode.numbers import inventory

    rows = [replace(inventory.row_for(value), **overrides) for value in values]  # type: ignore[arg-type]
    async with state_of(app).sessions() as session:
        await inventory.add(session, rows, skip_existing=False)
        await session.commit()
    return values
