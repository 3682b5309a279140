"""Numbers held by accounts: purchase, release, details, updates, operator assignment and
port-in. No HTTP here; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.billing.models import KIND_NUMBER_SETUP, Charge
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.errors import Conflict, Invalid, NotFound
from longcode.messaging.models import NumberCallback
from longcode.numbers import inventory
from longcode.numbers.models import (
    BILLING_METERED,
    BILLING_METHODS,
    ORIGIN_ASSIGNED,
    ORIGIN_PORTED,
    TYPE_STANDARD,
    TYPE_TOLLFREE,
    Number,
    NumberHolding,
)
from longcode.numbers.portability import check_portable
from longcode.phone import InvalidNumber, is_toll_free, parse_nanp
from longcode.routes.models import SIP_REG_ROUTE_ID
from longcode.types import E164

MAX_ALIAS = 64


def number_type_of(value: E164) -> str:
    return TYPE_TOLLFREE if is_toll_free(value) else TYPE_STANDARD


async def _take(
    session: AsyncSession, number: Number, account_id: int, *, origin: str, now: datetime
) -> None:
    """Hand an unheld `number` row to the account: defaults as a new number, held from now."""
    number.account_id = account_id
    number.origin = origin
    number.purchased_at = now
    number.primary_route_id = SIP_REG_ROUTE_ID
    number.sms_enabled = number.mms_enabled = True
    session.add(NumberHolding(number=number.value, account_id=account_id, monthly_cost=number.monthly_cost))


async def assign_numbers(*, session: AsyncSession, account_id: int, numbers: Iterable[str]) -> list[Number]:
    """Give numbers to an account (operator provisioning), SMS- and MMS-enabled at once.

    Each must be a valid NANP number (`InvalidNumber` otherwise); a number another account
    holds is a `Conflict`; one the account already holds is left as it is. A number from the
    inventory keeps its place and costs; any other gets its place from the geography.
    """
    assigned: list[Number] = []
    now = utcnow()
    for raw in numbers:
        value = parse_nanp(raw, field="number")
        number = await session.get(Number, value)
        if number is None:
            row = inventory.row_for(value)
            number = Number(
                value=value,
                number_type=row.number_type,
                rate_center=row.rate_center,
                state=row.state,
                iso_country=row.iso_country,
                setup_cost=0,
                monthly_cost=0,
                available_at=now,
            )
            session.add(number)
            await _take(session, number, account_id, origin=ORIGIN_ASSIGNED, now=now)
        elif number.account_id not in (None, account_id):
            raise Conflict(f"Number {value} belongs to another account.", code="number_taken")
        elif number.account_id is None:
            await _take(session, number, account_id, origin=ORIGIN_ASSIGNED, now=now)
        assigned.append(number)
    await session.flush()
    return assigned


async def port_in(
    *, session: AsyncSession, settings: Settings, account_id: int, numbers: Iterable[str]
) -> list[Number]:
    """Bring numbers from another carrier onto the account (the operator's step once a port
    completes). Each must pass the portability rules; it can send only after
    `port_in_messaging_delay_seconds`, as carriers take days to update their routing."""
    now = utcnow()
    ported: list[Number] = []
    for raw in numbers:
        verdict = await check_portable(session, raw)
        if not verdict.portable or verdict.value is None:
            raise Invalid(f"{raw} cannot be ported in: {verdict.reason}", code="not_portable")
        row = inventory.row_for(verdict.value)
        number = Number(
            value=verdict.value,
            number_type=row.number_type,
            rate_center=row.rate_center,
            state=row.state,
            iso_country=row.iso_country,
            setup_cost=0,
            monthly_cost=row.monthly_cost,
            available_at=now,
        )
        session.add(number)
        await _take(session, number, account_id, origin=ORIGIN_PORTED, now=now)
        number.messaging_enabled_at = now + timedelta(seconds=settings.port_in_messaging_delay_seconds)
        ported.append(number)
    await session.flush()
    return ported


def _missing(number_id: str) -> NotFound:
    return NotFound(f"Number {number_id} is not on your account.", code="number_not_found", pointer="id")


async def get_account_number(*, session: AsyncSession, account_id: int, number_id: str) -> Number:
    """The account's number `number_id` (any accepted form), or `NotFound`.

    A number of another account is not found either: accounts never learn of each other.
    """
    try:
        value = parse_nanp(number_id, field="id")
    except InvalidNumber:
        raise _missing(number_id) from None
    number = await session.get(Number, value)
    if number is None or number.account_id != account_id:
        raise _missing(number_id)
    return number


async def is_number_free(*, session: AsyncSession, value: E164) -> bool:
    number = await session.get(Number, value)
    return number is None or number.account_id is None


@dataclass(frozen=True, slots=True)
class AccountNumberFilters:
    starts_with: str | None = None
    contains: str | None = None
    ends_with: str | None = None
    alias: str | None = None


async def list_account_numbers(
    *,
    session: AsyncSession,
    account_id: int,
    filters: AccountNumberFilters | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Number]:
    query = select(Number).where(Number.account_id == account_id)
    if filters is not None:
        if filters.starts_with:
            query = query.where(Number.value.startswith(filters.starts_with, autoescape=True))
        if filters.contains:
            query = query.where(Number.value.contains(filters.contains, autoescape=True))
        if filters.ends_with:
            query = query.where(Number.value.endswith(filters.ends_with, autoescape=True))
        if filters.alias is not None:
            query = query.where(Number.alias == filters.alias)
    query = query.order_by(Number.value).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query))


async def purchase(
    *, session: AsyncSession, account_id: int, number_id: str, billing_method: str = BILLING_METERED
) -> Number:
    """Buy a number from the inventory: atomic, so of two accounts buying one number at the
    same moment exactly one gets it. Charges its setup cost; it can message at once."""
    if billing_method not in BILLING_METHODS:
        raise Invalid(
            f"'billing_method' must be one of {', '.join(BILLING_METHODS)}: got {billing_method!r}.",
            code="invalid_billing_method",
            pointer="billing_method",
        )
    try:
        value = parse_nanp(number_id, field="id")
    except InvalidNumber as exc:
        raise NotFound(
            f"{number_id} is not a number that can be bought: {exc.detail}", code=exc.code
        ) from None
    now = utcnow()
    # The claim is one conditional UPDATE: the database serialises concurrent buyers.
    claimed = await session.execute(
        update(Number)
        .where(Number.value == value, Number.account_id.is_(None), Number.available_at <= now)
        .values(account_id=account_id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise await _why_not_for_sale(session, value, account_id)
    number = await session.get(Number, value, populate_existing=True)
    assert number is not None
    await _take(session, number, account_id, origin=number.origin, now=now)
    number.billing_method = billing_method
    number.alias = None
    number.cnam_lookups_enabled = False
    session.add(
        Charge(
            account_id=account_id, kind=KIND_NUMBER_SETUP, number=value, amount_nanodollars=number.setup_cost
        )
    )
    await session.flush()
    return number


async def _why_not_for_sale(session: AsyncSession, value: E164, account_id: int) -> Exception:
    number = await session.get(Number, value, populate_existing=True)
    if number is None:
        return NotFound(
            f"{value} is not in the inventory; search /v2/numbers/available for numbers to buy.",
            code="number_not_available",
            pointer="id",
        )
    if number.account_id == account_id:
        return Conflict(f"{value} is already on your account.", code="number_already_yours")
    return Conflict(
        f"{value} is no longer available: another account holds it, or it was released recently "
        "and is aging before it can be sold again.",
        code="number_not_available",
    )


async def update_number(
    *, session: AsyncSession, account_id: int, number_id: str, attributes: dict[str, object]
) -> Number:
    """PATCH: `alias` (string up to 64, or null), `cnam_lookups_enabled`, `messaging_enabled`;
    other keys (`type`, `id`, ...) are ignored, as Flowroute does."""
    number = await get_account_number(session=session, account_id=account_id, number_id=number_id)
    if "alias" in attributes:
        alias = attributes["alias"]
        if alias is not None and (not isinstance(alias, str) or len(alias) > MAX_ALIAS):
            raise Invalid(
                f"'alias' must be a string of at most {MAX_ALIAS} characters, or null.",
                code="invalid_alias",
                pointer="alias",
            )
        number.alias = alias or None
    if "cnam_lookups_enabled" in attributes:
        number.cnam_lookups_enabled = parse_flag(attributes["cnam_lookups_enabled"], "cnam_lookups_enabled")
    if "messaging_enabled" in attributes:
        enabled = parse_flag(attributes["messaging_enabled"], "messaging_enabled")
        number.sms_enabled = number.mms_enabled = enabled
    await session.flush()
    return number


def parse_flag(raw: object, field: str) -> bool:
    """A boolean as clients send it: `true`/`false`, or the strings (any case)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise Invalid(f"'{field}' must be true or false: got {raw!r}.", code=f"invalid_{field}", pointer=field)


async def release(*, session: AsyncSession, settings: Settings, account_id: int, number_id: str) -> E164:
    """Give a number up: it leaves the account with its callbacks and its route, CNAM and E911
    links; its messages stay in the account's records; billing stops; it rests for
    `number_aging_seconds` before anyone can buy it again."""
    number = await get_account_number(session=session, account_id=account_id, number_id=number_id)
    now = utcnow()
    await session.execute(delete(NumberCallback).where(NumberCallback.number == number.value))
    await session.execute(
        update(NumberHolding)
        .where(NumberHolding.number == number.value, NumberHolding.end_at.is_(None))
        .values(end_at=now)
        .execution_options(synchronize_session=False)
    )
    number.account_id = None
    number.alias = None
    number.primary_route_id = number.failover_route_id = None
    number.cnam_id = number.e911_id = None
    number.cnam_lookups_enabled = False
    number.purchased_at = None
    number.messaging_enabled_at = None
    number.billing_method = BILLING_METERED
    number.available_at = now + timedelta(seconds=settings.number_aging_seconds)
    await session.flush()
    return number.value
