"""CNAM records: create (pending), decide (operator or sandbox timer), assign to numbers.

A value is stored upper-case and must be at most 15 characters of letters, digits, spaces and
`- _ . , @ + & ' / "`, with at least one letter, and must not look like a phone number (seven
or more digits). Flowroute also refuses profanity and misleading names; that judgement is the
operator's, at approval. Only approved records can be assigned to numbers.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.cnam.models import APPROVED, PENDING, REJECTED, CnamRecord
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.errors import Conflict, Invalid, NotFound
from longcode.numbers.models import Number

MAX_LENGTH = 15
_ALLOWED = re.compile(r"^[A-Za-z0-9 \-_.,@+&'/\"]+$")
_PHONE_LIKE = re.compile(r"\d{7,}")


def check_value(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid(
            "'value' is required: the caller name to show.", code="invalid_cnam_value", pointer="value"
        )
    value = " ".join(raw.split()).upper()
    problem = None
    if len(value) > MAX_LENGTH:
        problem = f"is at most {MAX_LENGTH} characters (got {len(value)})"
    elif not _ALLOWED.match(value):
        problem = "may hold only letters, digits, spaces and - _ . , @ + & ' / \""
    elif not any(ch.isalpha() for ch in value):
        problem = "needs at least one letter"
    elif _PHONE_LIKE.search(value.replace(" ", "").replace("-", "")):
        problem = "must not be a phone number"
    if problem:
        raise Invalid(f"'value' {problem}: got {raw!r}.", code="invalid_cnam_value", pointer="value")
    return value


async def settle(session: AsyncSession, now: datetime, account_id: int | None = None) -> None:
    """Approve the pending records whose sandbox timer has run out (approved as of that moment)."""
    statement = (
        update(CnamRecord)
        .where(CnamRecord.status == PENDING, CnamRecord.auto_approve_at <= now)
        .values(status=APPROVED, decided_at=CnamRecord.auto_approve_at)
        .execution_options(synchronize_session=False)
    )
    if account_id is not None:
        statement = statement.where(CnamRecord.account_id == account_id)
    await session.execute(statement)


async def create(*, session: AsyncSession, settings: Settings, account_id: int, value: object) -> CnamRecord:
    now = utcnow()
    delay = settings.cnam_auto_approve_seconds
    record = CnamRecord(
        account_id=account_id,
        value=check_value(value),
        status=PENDING,
        created_at=now,
        auto_approve_at=None if delay is None else now + timedelta(seconds=delay),
    )
    session.add(record)
    await session.flush()
    return record


async def get(*, session: AsyncSession, account_id: int | None, cnam_id: object) -> CnamRecord:
    """The record (the account's, or any for the operator with `account_id=None`)."""
    await settle(session, utcnow(), account_id)
    try:
        wanted = int(str(cnam_id))
    except ValueError:
        wanted = -1
    record = await session.get(CnamRecord, wanted, populate_existing=True) if wanted > 0 else None
    if record is None or (account_id is not None and record.account_id != account_id):
        raise NotFound(f"No CNAM record {cnam_id} on your account.", code="cnam_not_found", pointer="id")
    return record


async def list_records(
    *,
    session: AsyncSession,
    account_id: int | None,
    filters: dict[str, str],
    is_approved: bool | None,
    limit: int | None,
    offset: int,
) -> tuple[list[CnamRecord], bool]:
    """Filters on the value, any case: `starts_with`, `contains` (also `value`), `ends_with`."""
    await settle(session, utcnow(), account_id)
    query = select(CnamRecord)
    if account_id is not None:
        query = query.where(CnamRecord.account_id == account_id)
    if "starts_with" in filters:
        query = query.where(CnamRecord.value.startswith(filters["starts_with"].upper(), autoescape=True))
    for name in ("contains", "value"):
        if name in filters:
            query = query.where(CnamRecord.value.contains(filters[name].upper(), autoescape=True))
    if "ends_with" in filters:
        query = query.where(CnamRecord.value.endswith(filters["ends_with"].upper(), autoescape=True))
    if is_approved is not None:
        query = query.where(
            (CnamRecord.status == APPROVED) if is_approved else (CnamRecord.status != APPROVED)
        )
    query = query.order_by(CnamRecord.id).offset(offset)
    if limit is not None:
        query = query.limit(limit + 1)
    rows = list(await session.scalars(query.execution_options(populate_existing=True)))
    if limit is None:
        return rows, False
    return rows[:limit], len(rows) > limit


async def update_pending(
    *, session: AsyncSession, account_id: int, cnam_id: str, value: object
) -> CnamRecord:
    record = await get(session=session, account_id=account_id, cnam_id=cnam_id)
    if record.status != PENDING:
        raise Conflict(
            f"CNAM record {record.id} is {record.status}; only a pending record can be changed.",
            code="cnam_not_pending",
        )
    record.value = check_value(value)
    await session.flush()
    return record


async def delete(*, session: AsyncSession, account_id: int, cnam_id: str) -> None:
    """Delete the record; the numbers that showed it no longer do."""
    record = await get(session=session, account_id=account_id, cnam_id=cnam_id)
    await session.execute(
        update(Number)
        .where(Number.cnam_id == record.id)
        .values(cnam_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.delete(record)
    await session.flush()


async def numbers_showing(session: AsyncSession, record: CnamRecord) -> list[Number]:
    return list(
        await session.scalars(select(Number).where(Number.cnam_id == record.id).order_by(Number.value))
    )


async def count_numbers(session: AsyncSession, record: CnamRecord) -> int:
    return (
        await session.scalar(select(func.count()).select_from(Number).where(Number.cnam_id == record.id)) or 0
    )


def assign(number: Number, record: CnamRecord) -> None:
    if record.status != APPROVED:
        raise Invalid(
            f"CNAM record {record.id} is {record.status}; only an approved record can be assigned.",
            code="cnam_not_approved",
        )
    number.cnam_id = record.id


async def decide(
    *, session: AsyncSession, cnam_id: int, approve: bool, reason: str | None = None
) -> CnamRecord:
    """The operator's decision on a pending record (`longcode cnam approve|reject`)."""
    record = await get(session=session, account_id=None, cnam_id=cnam_id)
    if record.status != PENDING:
        raise Conflict(f"CNAM record {record.id} is already {record.status}.", code="cnam_decided")
    record.status = APPROVED if approve else REJECTED
    record.decided_at = utcnow()
    record.rejection_reason = None if approve else (reason or "Rejected by the operator.")
    await session.flush()
    return record
