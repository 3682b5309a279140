"""Configuring SMPP carriers and which account or number sends through which (no HTTP here).

`longcode carriers` calls these; running workers pick the change up within
`carrier_refresh_seconds` (see `registry.py`). The caller owns the transaction.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.accounts import sealing
from longcode.accounts.models import Account
from longcode.delivery.carriers.registry import password_label
from longcode.delivery.carriers.sandbox import NAME as SANDBOX
from longcode.delivery.carriers.smpp.client import CarrierConfig
from longcode.delivery.models import LONG_PAYLOAD, LONG_UDH, Carrier
from longcode.errors import Conflict, Invalid, NotFound
from longcode.numbers.models import Number

MAX_BINDS = 32
MAX_WINDOW = 1000


def check(spec: CarrierConfig) -> None:
    """SMPP 3.4's field limits, said before a bind fails on them at 3 a.m."""
    if not spec.name or spec.name == SANDBOX or not spec.name.replace("-", "").replace("_", "").isalnum():
        raise Invalid(f"A carrier name is letters, digits, '-' and '_', and not {SANDBOX!r}.")
    if not 0 < spec.port < 65536:
        raise Invalid(f"Port {spec.port} is not a TCP port.")
    if not 0 < len(spec.system_id) <= 15:
        raise Invalid("system_id is 1 to 15 characters (SMPP 3.4, 5.2.1).")
    if len(spec.password) > 8:
        raise Invalid("An SMPP 3.4 password is at most 8 characters (5.2.2).")
    if len(spec.system_type) > 12:
        raise Invalid("system_type is at most 12 characters (SMPP 3.4, 5.2.3).")
    if not 1 <= spec.binds <= MAX_BINDS:
        raise Invalid(f"binds is 1 to {MAX_BINDS}.")
    if not 1 <= spec.window <= MAX_WINDOW:
        raise Invalid(f"window is 1 to {MAX_WINDOW}.")
    if spec.long_messages not in (LONG_UDH, LONG_PAYLOAD):
        raise Invalid(f"long_messages is {LONG_UDH!r} or {LONG_PAYLOAD!r}.")


async def add_carrier(*, session: AsyncSession, pepper: bytes, spec: CarrierConfig, replace: bool) -> Carrier:
    check(spec)
    carrier = await session.get(Carrier, spec.name)
    if carrier is not None and not replace:
        raise Conflict(f"Carrier {spec.name} exists (--replace changes it).", code="carrier_exists")
    if carrier is None:
        carrier = Carrier(name=spec.name)
        session.add(carrier)
    carrier.host, carrier.port, carrier.system_id = spec.host, spec.port, spec.system_id
    carrier.password_sealed = sealing.seal(pepper, password_label(spec.name), spec.password)
    carrier.system_type, carrier.binds, carrier.window_size = spec.system_type, spec.binds, spec.window
    carrier.tls, carrier.long_messages, carrier.gsm_packed = spec.tls, spec.long_messages, spec.gsm_packed
    await session.flush()
    return carrier


async def list_carriers(*, session: AsyncSession) -> list[tuple[Carrier, int, int]]:
    """Every carrier with how many accounts and numbers send through it."""
    accounts = select(func.count()).where(Account.carrier == Carrier.name).scalar_subquery()
    numbers = select(func.count()).where(Number.carrier == Carrier.name).scalar_subquery()
    rows = await session.execute(select(Carrier, accounts, numbers).order_by(Carrier.name))
    return [(row[0], int(row[1]), int(row[2])) for row in rows]


async def remove_carrier(*, session: AsyncSession, name: str) -> None:
    """Remove a carrier nothing sends through any more (move accounts and numbers first)."""
    carrier = await _get(session, name)
    for carrier_, accounts, numbers in await list_carriers(session=session):
        if carrier_.name == name and (accounts or numbers):
            raise Conflict(
                f"Carrier {name} still carries {accounts} account(s) and {numbers} number(s);"
                " assign them elsewhere first.",
                code="carrier_in_use",
            )
    await session.delete(carrier)
    await session.flush()


async def assign(*, session: AsyncSession, carrier: str, account_id: int | None, number: str | None) -> None:
    """Send an account's (or one number's) messages through `carrier`; `sandbox` is the default."""
    value = None if carrier == SANDBOX else (await _get(session, carrier)).name
    if (account_id is None) == (number is None):
        raise Invalid("Assign either an account or a number.")
    if account_id is not None:
        changed = await session.execute(update(Account).where(Account.id == account_id).values(carrier=value))
        what = f"account {account_id}"
    else:
        changed = await session.execute(
            update(Number).where(Number.value == number, Number.account_id.is_not(None)).values(carrier=value)
        )
        what = f"number {number} (held by an account)"
    if changed.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(f"No {what}.")


async def _get(session: AsyncSession, name: str) -> Carrier:
    carrier = await session.get(Carrier, name)
    if carrier is None:
        raise NotFound(f"No carrier {name} (longcode carriers list).", code="carrier_not_found")
    return carrier
