"""Where a North American exchange is: rate center, state and country, from `phonenumbers`.

`phonenumbers` ships the geography of about 31,000 NPA-NXX exchanges (`"Seattle, WA"`).
longcode turns the place name into the short lower-case rate-center abbreviation Flowroute shows
(`seattle`, `jerseycity`: letters only, at most 10, as in the LERG) and the state into lower
case (`wa`). Real LERG abbreviations differ in places (`nwyrcyzn01` for New York), which only
matters to someone comparing with Flowroute's inventory.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

RATE_CENTER_MAX = 10
CANADIAN_PROVINCES = frozenset({"ab", "bc", "mb", "nb", "nl", "ns", "nt", "nu", "on", "pe", "qc", "sk", "yt"})


@dataclass(frozen=True, slots=True)
class Exchange:
    npa: str
    nxx: str
    rate_center: str
    state: str
    iso_country: str


def rate_center_of(place: str) -> str:
    """`"Jersey City"` -> `"jerseycity"`."""
    return "".join(ch for ch in place.lower() if "a" <= ch <= "z")[:RATE_CENTER_MAX]


def country_of(state: str) -> str:
    return "CA" if state in CANADIAN_PROVINCES else "US"


def _exchange(prefix: str, description: str) -> Exchange | None:
    place, sep, state = description.rpartition(", ")
    rate_center = rate_center_of(place)
    if not sep or len(state) != 2 or not state.isalpha() or not rate_center:
        return None
    state = state.lower()
    return Exchange(prefix[1:4], prefix[4:7], rate_center, state, country_of(state))


@cache
def exchanges() -> dict[str, Exchange]:
    """Every exchange with a known place, keyed by NPA+NXX (`"206215"`). Loads in ~0.5 s."""
    from phonenumbers.geodata import GEOCODE_DATA

    found: dict[str, Exchange] = {}
    for prefix, names in GEOCODE_DATA.items():
        if len(prefix) != 7 or not prefix.startswith("1") or "en" not in names:
            continue
        exchange = _exchange(prefix, names["en"])
        if exchange is not None:
            found[prefix[1:]] = exchange
    return found


def exchange_of(value: str) -> Exchange | None:
    """The exchange of an 11-digit number, if its place is known."""
    return exchanges().get(value[1:7])
