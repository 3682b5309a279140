"""Nanodollar amounts and Flowroute's `amount_display`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longcode.money import display, parse_dollars


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (4_000_000, "$0.0040"),
        (19_500_000, "$0.0195"),
        (0, "$0.0000"),
        (1_234_567_890, "$1.2346"),
        (-4_000_000, "-$0.0040"),
    ],
)
def test_display(amount, shown):
    assert display(amount) == shown


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_dollars_round_trips_display_precision(tenths_of_mills):
    amount = tenths_of_mills * 100_000
    assert parse_dollars(display(amount)) == amount


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "0.0000000001"])
def test_parse_dollars_refuses_junk(text):
    with pytest.raises(ValueError):
        parse_dollars(text)
