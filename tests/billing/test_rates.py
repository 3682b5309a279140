"""Prices: per segment for SMS, flat per MMS, from the settings' rates."""

from __future__ import annotations

from pathlib import Path

from longcode.billing.rates import inbound_price, outbound_price
from longcode.config import ExplicitSettings

SETTINGS = ExplicitSettings(
    data_dir=Path("unused"),
    sms_outbound_segment_nanodollars=5_000_000,
    sms_inbound_segment_nanodollars=1_000_000,
    mms_outbound_nanodollars=20_000_000,
    mms_inbound_nanodollars=10_000_000,
)


def test_outbound_sms_is_priced_per_segment():
    assert outbound_price(SETTINGS, is_mms=False, segments=3) == 15_000_000


def test_outbound_mms_is_one_flat_price_whatever_its_length():
    assert outbound_price(SETTINGS, is_mms=True, segments=4) == 20_000_000


def test_inbound_prices_use_the_inbound_rates():
    assert inbound_price(SETTINGS, is_mms=False, segments=2) == 2_000_000
    assert inbound_price(SETTINGS, is_mms=True, segments=1) == 10_000_000
