"""Portability: can a number be brought onto this platform from another carrier?

The rules, in order, each with its reason:
1. It is a valid North American number (the same checks as sending: not international, not a
   short code, a real area code, no N11) - else the parse error says why.
2. It is not already on the platform: not held by an account, and not in the inventory (an
   inventory number is bought, not ported).
3. Its rate center is known: the exchange is in the geography data (toll-free numbers have no
   rate center and port by RespOrg change, so they pass).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from longcode.numbers.geography import exchange_of
from longcode.numbers.models import Number
from longcode.phone import InvalidNumber, is_toll_free, parse_nanp
from longcode.types import E164


@dataclass(frozen=True, slots=True)
class Verdict:
    raw: str
    value: E164 | None
    portable: bool
    reason: str | None


async def check_portable(session: AsyncSession, raw: object) -> Verdict:
    text = str(raw)
    try:
        value = parse_nanp(raw, field="numbers")
    except InvalidNumber as exc:
        return Verdict(text, None, False, exc.detail)
    number = await session.get(Number, value)
    if number is not None and number.account_id is not None:
        return Verdict(text, value, False, "already on this platform, held by an account")
    if number is not None:
        return Verdict(text, value, False, "already in this platform's inventory: purchase it instead")
    if not is_toll_free(value) and exchange_of(value) is None:
        return Verdict(
            text, value, False, f"the rate center of exchange {value[1:4]}-{value[4:7]} is unknown"
        )
    return Verdict(text, value, True, None)
