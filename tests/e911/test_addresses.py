"""E911 address rules: every field checked, every failure named, the ZIP table consistent."""

from __future__ import annotations

import pytest

from longcode.e911.addresses import validate, zip3_states
from longcode.errors import InvalidFields

GOOD = {
    "label": "HQ",
    "first_name": "Chris",
    "last_name": "Smith",
    "street_number": "1182",
    "street_name": "3rd Ave",
    "city": "Seattle",
    "state": "WA",
    "country": "US",
    "zip": "98101",
    "address_type": "Suite",
    "address_type_number": "600",
}


def problems(**changes: object) -> dict[str, str]:
    with pytest.raises(InvalidFields) as raised:
        validate({**GOOD, **changes})
    return {p.pointer or "": p.code for p in raised.value.problems}


def test_a_good_address_is_cleaned():
    clean = validate({**GOOD, "state": "wa", "country": "USA", "address_type": "su", "street_number": 1182})
    assert clean["state"] == "WA" and clean["country"] == "US"
    assert clean["address_type"] == "Suite" and clean["street_number"] == "1182"


def test_canadian_addresses():
    clean = validate({**GOOD, "city": "Toronto", "state": "on", "country": "Canada", "zip": "m4c5k7"})
    assert clean["zip"] == "M4C 5K7" and clean["country"] == "CA"
    assert problems(state="ON", country="CA", zip="V6B 1A1") == {"zip": "invalid_zip"}
    assert problems(state="ON", country="CA", zip="12345") == {"zip": "invalid_zip"}


def test_every_missing_field_is_named_at_once():
    assert problems(first_name="", city=None, zip="") == {
        "first_name": "invalid_first_name",
        "city": "invalid_city",
        "zip": "invalid_zip",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"state": "ON"}, "state"),
        ({"country": "Mexico"}, "country"),
        ({"zip": "9810"}, "zip"),
        ({"zip": "10001"}, "zip"),
        ({"zip": "98101-12"}, "zip"),
        ({"address_type": "Castle"}, "address_type"),
        ({"address_type_number": None}, "address_type_number"),
        ({"label": "x" * 65}, "label"),
        ({"city": ["Seattle"]}, "city"),
    ],
)
def test_each_rule_names_its_field(changes, field):
    assert field in problems(**changes)


def test_zip_plus_four_and_the_prefix_table():
    validate({**GOOD, "zip": "98101-1234"})
    table = zip3_states()
    assert table["981"] == "WA" and table["100"] == "NY" and table["900"] == "CA" and table["733"] == "TX"
    assert "000" not in table and "999" in table
