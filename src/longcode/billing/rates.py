"""Message prices: per segment for SMS, per message for MMS (rates from Settings).

[RULE per-segment] An SMS costs its rate times its segment count; an MMS one flat rate.
[RULE no-charge-on-error] A price is only ever stored on an accepted message: a request answered
with an error writes no message row, so it is never charged.
"""

from __future__ import annotations

from longcode.config import Settings
from longcode.types import Nanodollars


def outbound_price(settings: Settings, *, is_mms: bool, segments: int) -> Nanodollars:
    if is_mms:
        return settings.mms_outbound_nanodollars
    return settings.sms_outbound_segment_nanodollars * segments


def inbound_price(settings: Settings, *, is_mms: bool, segments: int) -> Nanodollars:
    if is_mms:
        return settings.mms_inbound_nanodollars
    return settings.sms_inbound_segment_nanodollars * segments
