"""Integer nanodollar amounts and their Flowroute display form."""

from __future__ import annotations

from longcode.types import Nanodollars

NANODOLLARS_PER_DOLLAR = 1_000_000_000


def display(amount: Nanodollars) -> str:
    """Format as Flowroute's `amount_display`: dollars with four decimals, `$0.0040`.

    Sub-cent-hundredths are rounded half up, which only matters for rates not in 1/10,000 dollars.
    """
    sign = "-" if amount < 0 else ""
    tenths_of_mills, rest = divmod(abs(amount), 100_000)
    if rest * 2 >= 100_000:
        tenths_of_mills += 1
    dollars, fraction = divmod(tenths_of_mills, 10_000)
    return f"{sign}${dollars}.{fraction:04d}"


def parse_dollars(text: str) -> Nanodollars:
    """Read a dollar amount such as `0.0040` or `$0.0195` exactly (no float rounding)."""
    cleaned = text.strip().removeprefix("$")
    whole, _, fraction = cleaned.partition(".")
    if not (whole or fraction) or not (whole or "0").isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"not a dollar amount: {text!r}")
    if len(fraction) > 9:
        raise ValueError(f"more precision than a nanodollar: {text!r}")
    return int(whole or "0") * NANODOLLARS_PER_DOLLAR + int(fraction.ljust(9, "0") or "0")
