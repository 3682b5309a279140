"""NANP rules: what becomes an 11-digit number and what is refused, with which reason."""

from __future__ import annotations

import pytest

from longcode.phone import InvalidNumber, message_type, parse_nanp


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12066418000", "12066418000"),
        ("+12066418000", "12066418000"),
        ("2066418000", "12066418000"),
        ("+1 (206) 641-8000", "12066418000"),
        (12066418000, "12066418000"),
        ("18005550100", "18005550100"),
        ("16135550100", "16135550100"),  # Canada
        ("18765550100", "18765550100"),  # Jamaica, in the plan
    ],
)
def test_parse_nanp_accepts_north_american_forms(raw, expected):
    assert parse_nanp(raw, field="to") == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("+442071838750", "international_number"),
        ("442071838750", "international_number"),
        ("+8613800138000", "international_number"),
        ("1234", "short_code"),
        ("555123", "short_code"),
        ("11065550100", "invalid_area_code"),
        ("10065550100", "invalid_area_code"),
        ("12061550100", "invalid_exchange"),
        ("12060550100", "invalid_exchange"),
        ("19115550100", "n11_code"),
        ("12064110100", "n11_code"),
        ("19995550100", "unassigned_area_code"),
        ("1206555010", "malformed_number"),
        ("", "malformed_number"),
        ("12O66418000", "malformed_number"),
        (None, "malformed_number"),
        (True, "malformed_number"),
        (["12066418000"], "malformed_number"),
    ],
)
def test_parse_nanp_refuses_with_reason(raw, code):
    with pytest.raises(InvalidNumber) as caught:
        parse_nanp(raw, field="to")
    assert caught.value.code == code
    assert caught.value.pointer == "to"
    assert "'to'" in caught.value.detail


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("18005550100", "toll-free"),
        ("18885550100", "toll-free"),
        ("18335550100", "toll-free"),
        ("12065550100", "longcode"),
    ],
)
def test_message_type_by_npa(number, kind):
    assert message_type(number) == kind
