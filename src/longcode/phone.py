"""E.164 / NANP numbers: parsing what clients send, the North American rules, number types.

Flowroute stores and shows numbers as 11 digits without `+` (`12066418000`). Clients may send
`+12066418000`, `12066418000` or the 10-digit national form `2066418000`; all become 11 digits.
Anything outside the North American Numbering Plan is refused with a reason that names the rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from longcode.errors import Invalid
from longcode.types import E164

TOLL_FREE_NPAS = frozenset({"800", "833", "844", "855", "866", "877", "888"})
_FORMATTING = re.compile(r"[\s().\-]")
_DIGITS = re.compile(r"\+?\d+")


class InvalidNumber(Invalid):
    """A phone number that is not a North American number longcode can use."""

    code = "invalid_number"


def parse_nanp(raw: object, *, field: str) -> E164:
    """Normalise `raw` to an 11-digit NANP number or raise `InvalidNumber` naming `field`.

    Refused, each with its own `code`: non-strings and garbage (`malformed_number`), numbers of
    other countries (`international_number`), short codes (`short_code`), NPA or NXX starting
    with 0 or 1 (`invalid_area_code`, `invalid_exchange`), N11 service codes (`n11_code`) and
    area codes not in service in the plan (`unassigned_area_code`).
    """
    if not isinstance(raw, str) and not (isinstance(raw, int) and not isinstance(raw, bool)):
        raise InvalidNumber(
            f"'{field}' must be a phone number string such as 12065550100.",
            code="malformed_number",
            pointer=field,
        )
    return _parse(str(raw), field)


@lru_cache(maxsize=65536)
def _parse(text: str, field: str) -> E164:
    compact = _FORMATTING.sub("", text.strip())
    if not compact or not _DIGITS.fullmatch(compact):
        raise InvalidNumber(
            f"'{field}' must contain only digits, optionally with a leading '+': got {text!r}.",
            code="malformed_number",
            pointer=field,
        )
    digits = compact.lstrip("+")
    if compact.startswith("+") and not digits.startswith("1"):
        raise _international(field, text)
    if len(digits) <= 6 and not compact.startswith("+"):
        raise InvalidNumber(
            f"'{field}' {text!r} looks like a short code; only 10-digit long-code and toll-free "
            "numbers are supported.",
            code="short_code",
            pointer=field,
        )
    # Ten digits not starting with 1 are the national form; starting with 1 they are a
    # country code and nine digits, i.e. one digit short.
    if len(digits) == 10 and not compact.startswith("+") and not digits.startswith("1"):
        digits = "1" + digits
    if len(digits) != 11 or not digits.startswith("1"):
        if len(digits) > 11 or compact.startswith("+"):
            raise _international(field, text)
        raise InvalidNumber(
            f"'{field}' {text!r} is not an E.164 North American number: use 11 digits, 1NPANXXXXXX.",
            code="malformed_number",
            pointer=field,
        )
    _check_nanp_rules(digits, field)
    return digits


def _international(field: str, text: str) -> InvalidNumber:
    return InvalidNumber(
        f"'{field}' {text!r} is not a North American (+1) number; international destinations "
        "are not supported.",
        code="international_number",
        pointer=field,
    )


def _check_nanp_rules(digits: str, field: str) -> None:
    npa, nxx = digits[1:4], digits[4:7]
    if npa[0] in "01":
        raise InvalidNumber(
            f"'{field}' {digits}: area code {npa} is invalid (an area code cannot start with 0 or 1).",
            code="invalid_area_code",
            pointer=field,
        )
    if nxx[0] in "01":
        raise InvalidNumber(
            f"'{field}' {digits}: exchange {nxx} is invalid (an exchange cannot start with 0 or 1).",
            code="invalid_exchange",
            pointer=field,
        )
    for part, name in ((npa, "area code"), (nxx, "exchange")):
        if part[1:] == "11":
            raise InvalidNumber(
                f"'{field}' {digits}: {name} {part} is an N11 service code, not a dialable number.",
                code="n11_code",
                pointer=field,
            )
    parsed = phonenumbers.parse("+" + digits)
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(
            f"'{field}' {digits}: area code {npa} is not in service in the North American Numbering Plan.",
            code="unassigned_area_code",
            pointer=field,
        )


def is_toll_free(number: E164) -> bool:
    """Whether an 11-digit NANP number is toll-free (8XX codes in service)."""
    return number[1:4] in TOLL_FREE_NPAS


def message_type(number: E164) -> str:
    """Flowroute's `message_type` for a sending number: `toll-free` or `longcode`."""
    return "toll-free" if is_toll_free(number) else "longcode"
