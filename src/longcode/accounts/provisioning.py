"""Operator provisioning: an account with a key and numbers in one step, and the demo account."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from longcode.accounts import service as accounts_service
from longcode.accounts.credentials import load_pepper
from longcode.accounts.models import Account
from longcode.numbers import service as numbers_service

DEMO_FILE = "demo.json"
# 555-0100..0199 are reserved for fiction: they can never be someone's real number.
DEMO_LONG_CODES = [f"1206555{n:04d}" for n in range(100, 200)]
DEMO_TOLL_FREE = [f"1844555{n:04d}" for n in range(100, 200)]


@dataclass(frozen=True)
class Provisioned:
    """What the operator hands a customer; `secret_key` is shown this once."""

    account_id: int
    access_key: str
    secret_key: str
    numbers: list[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


async def provision_account(*, session: AsyncSession, name: str, numbers: list[str]) -> Provisioned:
    """Create an account with a fresh API key and `numbers` assigned; the caller commits."""
    account = await accounts_service.create_account(session=session, name=name)
    key = await accounts_service.create_key(
        session=session, account_id=account.id, pepper=await load_pepper(session), label="default"
    )
    assigned = await numbers_service.assign_numbers(session=session, account_id=account.id, numbers=numbers)
    return Provisioned(account.id, key.access_key, key.secret_key, [n.value for n in assigned])


async def ensure_demo(*, session: AsyncSession, data_dir: Path) -> tuple[Provisioned, bool]:
    """The demo account of this data dir: read from `demo.json`, or created on the first start.

    Returns it and whether it was created now. Commits when it creates.
    """
    path = data_dir / DEMO_FILE
    if path.exists():
        existing = Provisioned(**json.loads(path.read_text()))
        if await session.get(Account, existing.account_id) is not None:
            return existing, False
    numbers = [
        await _first_free(session, DEMO_LONG_CODES),
        await _first_free(session, DEMO_TOLL_FREE),
    ]
    demo = await provision_account(session=session, name="Demo account", numbers=numbers)
    await session.commit()
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_private(path, demo.to_json() + "\n")
    return demo, True


async def _first_free(session: AsyncSession, candidates: list[str]) -> str:
    for value in candidates:
        if await numbers_service.is_number_free(session=session, value=value):
            return value
    raise RuntimeError("every demo number is taken")


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read: it holds a secret key."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
