"""Numbers held by accounts: assignment by the operator, ownership checks. No HTTP here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.errors import Conflict, NotFound
from longcode.numbers.models import TYPE_STANDARD, TYPE_TOLLFREE, Number
from longcode.phone import InvalidNumber, is_toll_free, parse_nanp
from longcode.types import E164


def number_type_of(value: E164) -> str:
    return TYPE_TOLLFREE if is_toll_free(value) else TYPE_STANDARD


async def assign_numbers(*, session: AsyncSession, account_id: int, numbers: Iterable[str]) -> list[Number]:
    """Give numbers to an account (operator provisioning), SMS- and MMS-enabled at once.

    Each must be a valid NANP number (`InvalidNumber` otherwise); a number another account
    holds is a `Conflict`; one the account already holds is left as it is.
    """
    assigned: list[Number] = []
    for raw in numbers:
        value = parse_nanp(raw, field="number")
        number = await session.get(Number, value)
        if number is None:
            number = Number(value=value, account_id=account_id, number_type=number_type_of(value))
            session.add(number)
        elif number.account_id not in (None, account_id):
            raise Conflict(f"Number {value} belongs to another account.", code="number_taken")
        else:
            number.account_id = account_id
        assigned.append(number)
    await session.flush()
    return assigned


async def list_account_numbers(*, session: AsyncSession, account_id: int) -> list[Number]:
    query = select(Number).where(Number.account_id == account_id).order_by(Number.value)
    return list(await session.scalars(query))


async def get_account_number(*, session: AsyncSession, account_id: int, number_id: str) -> Number:
    """The account's number `number_id` (any accepted form), or `NotFound`.

    A number of another account is not found either: accounts never learn of each other.
    """
    missing = NotFound(f"Number {number_id} is not on your account.", code="number_not_found", pointer="id")
    try:
        value = parse_nanp(number_id, field="id")
    except InvalidNumber:
        raise missing from None
    number = await session.get(Number, value)
    if number is None or number.account_id != account_id:
        raise missing
    return number


async def is_number_free(*, session: AsyncSession, value: E164) -> bool:
    number = await session.get(Number, value)
    return number is None or number.account_id is None
