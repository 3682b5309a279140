"""Checking an E911 address before anyone relies on it. Each failure names its field.

Rules (all checked at once, so a client sees every problem in one answer):
- required: `label`, `first_name`, `last_name`, `street_number`, `street_name`, `city`,
  `state`, `country`, `zip`; each a non-empty string (numbers are accepted and kept as text).
- `country`: `US` or `CA` (`USA`, `Canada` accepted and stored as `US`, `CA`).
- `state`: a two-letter code that exists in that country (US states, DC and territories;
  Canadian provinces and territories), stored upper-case.
- `zip`: in the US five digits or ZIP+4 (`98101`, `98101-1234`) whose first three digits the
  USPS assigned to that state (`data/zip3_states.csv`); in Canada `A1A 1A1` whose first letter
  belongs to that province.
- `address_type`: one of Flowroute's types, by name or abbreviation, any case (`Suite`, `SU`);
  then `address_type_number` is required.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Any

from longcode.errors import Invalid, InvalidFields

REQUIRED = (
    "label",
    "first_name",
    "last_name",
    "street_number",
    "street_name",
    "city",
    "state",
    "country",
    "zip",
)
OPTIONAL = ("address_type", "address_type_number")
FIELDS = REQUIRED + OPTIONAL
MAX_LENGTHS = {"street_number": 16, "street_name": 128, "zip": 10, "address_type_number": 16}
DEFAULT_MAX = 64

ADDRESS_TYPES = {
    "A": "Apartment", "BM": "Basement", "B": "Building", "D": "Department", "F": "Floor",
    "FR": "Front", "K": "Key", "L": "Lobby", "LT": "Lot", "LO": "Lower", "O": "Office",
    "P": "Penthouse", "PI": "Pier", "RE": "Rear", "R": "Room", "S": "Side", "SL": "Slip",
    "SC": "Space", "SP": "Stop", "SU": "Suite", "T": "Trailer", "U": "Unit", "UP": "Upper",
}  # fmt: skip
COUNTRIES = {"US": "US", "USA": "US", "CA": "CA", "CAN": "CA", "CANADA": "CA"}
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split()
)
# The first letter of a Canadian postal code is its province's (X is shared by NT and NU).
CA_POSTAL_LETTERS = {
    "NL": "A", "NS": "B", "PE": "C", "NB": "E", "QC": "GHJ", "ON": "KLMNP", "MB": "R",
    "SK": "S", "AB": "T", "BC": "V", "NT": "X", "NU": "X", "YT": "Y",
}  # fmt: skip
US_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
CA_POSTAL = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")


@cache
def zip3_states() -> dict[str, str]:
    """ZIP prefix (`'981'`) -> state (`'WA'`), from the table shipped with longcode."""
    path = Path(__file__).with_name("data") / "zip3_states.csv"
    table: dict[str, str] = {}
    with path.open(newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            for prefix in range(int(row["start"]), int(row["end"]) + 1):
                table[f"{prefix:03d}"] = row["state"]
    return table


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def validate(attributes: dict[str, Any]) -> dict[str, str | None]:
    """The clean address, or `InvalidFields` listing every field that is wrong."""
    problems: list[Invalid] = []

    def fail(field: str, detail: str) -> None:
        problems.append(Invalid(f"'{field}': {detail}", code=f"invalid_{field}", pointer=field))

    clean: dict[str, str | None] = {}
    for field in FIELDS:
        raw = attributes.get(field)
        text = _text(raw)
        if text is None:
            if field in REQUIRED:
                fail(field, "is required." if raw in (None, "") else "must be text.")
            clean[field] = None
            continue
        if len(text) > MAX_LENGTHS.get(field, DEFAULT_MAX):
            fail(field, f"must be at most {MAX_LENGTHS.get(field, DEFAULT_MAX)} characters.")
        clean[field] = text
    _check_place(clean, fail)
    _check_address_type(clean, fail)
    if problems:
        raise InvalidFields(problems)
    return clean


def _check_place(clean: dict[str, str | None], fail: Any) -> None:
    country = COUNTRIES.get((clean["country"] or "").upper())
    if clean["country"] is not None and country is None:
        fail("country", f"must be US or CA: got {clean['country']!r}.")
    clean["country"] = country
    state = (clean["state"] or "").upper()
    if clean["state"] is not None:
        valid = US_STATES if country == "US" else set(CA_POSTAL_LETTERS) if country == "CA" else set()
        if country is not None and state not in valid:
            fail("state", f"{clean['state']!r} is not a two-letter state or province code of {country}.")
        clean["state"] = state
    code = clean["zip"]
    if code is None or country is None:
        return
    if country == "US":
        if not US_ZIP.match(code):
            fail("zip", f"a US ZIP code is five digits (or ZIP+4, 12345-6789): got {code!r}.")
        elif state in US_STATES and zip3_states().get(code[:3]) != state:
            owner = zip3_states().get(code[:3])
            where = f"is in {owner}" if owner else "is not assigned to any state"
            fail("zip", f"ZIP code {code} {where}, not {state}.")
        return
    postal = code.upper()
    if not CA_POSTAL.match(postal):
        fail("zip", f"a Canadian postal code looks like A1A 1A1: got {code!r}.")
    elif state in CA_POSTAL_LETTERS and postal[0] not in CA_POSTAL_LETTERS[state]:
        fail("zip", f"postal code {code} is not in {state}.")
    else:
        clean["zip"] = f"{postal[:3]} {postal[-3:]}"


def _check_address_type(clean: dict[str, str | None], fail: Any) -> None:
    kind = clean["address_type"]
    if kind is None:
        return
    by_name = {name.lower(): name for name in ADDRESS_TYPES.values()}
    canonical = ADDRESS_TYPES.get(kind.upper()) or by_name.get(kind.lower())
    if canonical is None:
        fail(
            "address_type",
            f"{kind!r} is not an address type; use one of {', '.join(ADDRESS_TYPES.values())}.",
        )
        return
    clean["address_type"] = canonical
    if clean["address_type_number"] is None:
        fail("address_type_number", f"is required with address_type {canonical} (such as 600 or A-1).")
