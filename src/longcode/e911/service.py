"""E911 records of an account: validate, create, update, delete, assign to numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.db.base import utcnow
from longcode.e911.addresses import FIELDS, validate
from longcode.e911.models import E911Address
from longcode.errors import Conflict, Invalid, NotFound
from longcode.numbers.models import TYPE_TOLLFREE, Number


async def create(*, session: AsyncSession, account_id: int, attributes: dict[str, Any]) -> E911Address:
    record = E911Address(account_id=account_id, **validate(attributes))
    session.add(record)
    await session.flush()
    return record


async def get(*, session: AsyncSession, account_id: int, e911_id: object) -> E911Address:
    try:
        wanted = int(str(e911_id))
    except ValueError:
        wanted = -1
    record = await session.get(E911Address, wanted) if wanted > 0 else None
    if record is None or record.account_id != account_id:
        raise NotFound(f"No E911 record {e911_id} on your account.", code="e911_not_found", pointer="id")
    return record


async def update(
    *, session: AsyncSession, account_id: int, e911_id: str, attributes: dict[str, Any]
) -> E911Address:
    """Change any fields; the whole address is validated again. Unknown keys (`id`, `links`,
    `zip_code`, ... which the Python SDK sends back) are ignored, `null` clears an optional."""
    record = await get(session=session, account_id=account_id, e911_id=e911_id)
    merged = {field: getattr(record, field) for field in FIELDS}
    merged.update({key: value for key, value in attributes.items() if key in FIELDS})
    for field, value in validate(merged).items():
        setattr(record, field, value)
    record.updated_at = utcnow()
    await session.flush()
    return record


async def numbers_using(session: AsyncSession, record: E911Address) -> list[Number]:
    query = select(Number).where(Number.e911_id == record.id).order_by(Number.value)
    return list(await session.scalars(query))


async def delete(*, session: AsyncSession, account_id: int, e911_id: str) -> None:
    record = await get(session=session, account_id=account_id, e911_id=e911_id)
    count = await session.scalar(select(func.count()).select_from(Number).where(Number.e911_id == record.id))
    if count:
        raise Conflict(
            f"E911 record {record.id} is assigned to {count} number{'s' if count != 1 else ''}; "
            "remove it from them first (DELETE /v2/numbers/{number}/relationships/e911s).",
            code="e911_in_use",
        )
    await session.delete(record)
    await session.flush()


async def list_records(
    *, session: AsyncSession, account_id: int, filters: dict[str, str], limit: int, offset: int
) -> tuple[list[E911Address], bool]:
    """Filters: `state` (exact, any case); `label`, `street_name`, `city` (contains, any case)."""
    query = select(E911Address).where(E911Address.account_id == account_id)
    if "state" in filters:
        query = query.where(E911Address.state == filters["state"].upper())
    for name in ("label", "street_name", "city"):
        if name in filters:
            column = getattr(E911Address, name)
            query = query.where(func.lower(column).contains(filters[name].lower(), autoescape=True))
    rows = list(await session.scalars(query.order_by(E911Address.id).limit(limit + 1).offset(offset)))
    return rows[:limit], len(rows) > limit


def assign(number: Number, record: E911Address) -> None:
    """Give the number this address; toll-free numbers carry no emergency service."""
    if number.number_type == TYPE_TOLLFREE:
        raise Invalid(
            "Cannot assign an E911 record to a number that does not support emergency services.",
            code="e911_not_supported",
        )
    number.e911_id = record.id
