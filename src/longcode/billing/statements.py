"""A month's statement for one account: numbers (setup and monthly) and messages.

- Setup: every setup charge made in the month.
- Monthly: each number the account held at any moment of the month is charged its monthly cost
  once for that month (a number released and bought again in one month counts once).
- Messages: the amounts stored on the account's messages created in the month, by direction
  and kind; a request answered with an error stored no message and costs nothing.
All sums are integer nanodollars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.billing.models import KIND_NUMBER_SETUP, Charge
from longcode.errors import Invalid
from longcode.messaging.models import Message
from longcode.numbers.models import NumberHolding
from longcode.types import Nanodollars


@dataclass(frozen=True, slots=True)
class MessageLine:
    direction: str
    kind: str
    messages: int
    segments: int
    amount: Nanodollars


@dataclass(frozen=True, slots=True)
class Statement:
    account_id: int
    month: str
    setup: Nanodollars
    setup_numbers: list[str]
    monthly: Nanodollars
    monthly_numbers: dict[str, Nanodollars]
    messages: list[MessageLine] = field(default_factory=list)

    @property
    def total(self) -> Nanodollars:
        return self.setup + self.monthly + sum(line.amount for line in self.messages)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise Invalid(f"--month is YYYY-MM, such as 2026-11: got {month!r}.", code="invalid_month") from None
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


async def statement(session: AsyncSession, *, account_id: int, month: str) -> Statement:
    start, end = month_bounds(month)
    setups = (
        await session.execute(
            select(Charge.number, Charge.amount_nanodollars).where(
                Charge.account_id == account_id,
                Charge.kind == KIND_NUMBER_SETUP,
                Charge.created_at >= start,
                Charge.created_at < end,
            )
        )
    ).all()
    holdings = (
        await session.execute(
            select(NumberHolding.number, NumberHolding.monthly_cost).where(
                NumberHolding.account_id == account_id,
                NumberHolding.start_at < end,
                or_(NumberHolding.end_at.is_(None), NumberHolding.end_at > start),
            )
        )
    ).all()
    monthly: dict[str, Nanodollars] = {}
    for number, cost in holdings:
        monthly[number] = max(monthly.get(number, 0), cost)
    kind = func.coalesce(Message.is_mms, False)
    lines = (
        await session.execute(
            select(
                Message.direction,
                kind,
                func.count(),
                func.coalesce(func.sum(Message.segments), 0),
                func.coalesce(func.sum(Message.amount_nanodollars), 0),
            )
            .where(
                and_(Message.account_id == account_id, Message.created_at >= start, Message.created_at < end)
            )
            .group_by(Message.direction, kind)
            .order_by(Message.direction, kind)
        )
    ).all()
    return Statement(
        account_id=account_id,
        month=month,
        setup=sum(amount for _, amount in setups),
        setup_numbers=sorted(str(number) for number, _ in setups),
        monthly=sum(monthly.values()),
        monthly_numbers=dict(sorted(monthly.items())),
        messages=[
            MessageLine(direction, "mms" if is_mms else "sms", int(count), int(segments), int(amount))
            for direction, is_mms, count, segments, amount in lines
        ],
    )
