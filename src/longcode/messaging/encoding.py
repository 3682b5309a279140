"""Message encoding and segmentation: GSM 03.38 7-bit when every character fits, else UCS-2.

Rules (3GPP TS 23.038 and 23.040):
- GSM 7-bit: the basic table costs one septet a character; the extension table (`^ { } \\ [ ~ ]
  | €` and form feed) costs two (escape + character). One message holds 160 septets; a
  concatenated part holds 153 (7 octets of the 140 go to the UDH).
- UCS-2: 70 UTF-16 code units in one message, 67 per concatenated part. A character outside the
  Basic Multilingual Plane (most emoji) is a surrogate pair: two units.
- Parts never split an escape sequence or a surrogate pair, so a boundary character moves whole
  to the next part; that can add a part compared with the naive ceil(n / 153).

Flowroute documents 140 characters per part for long ASCII messages; longcode follows the
standard (153) and the README says so. `message_encoding` is Flowroute's: 0 for GSM/ASCII, 8 for
UCS-2 (the SMPP `data_coding` values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"

ENCODING_GSM7 = 0
ENCODING_UCS2 = 8

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# The escape character itself is not text a sender can use.
_SEPTETS: dict[str, int] = {ch: 1 for ch in GSM_BASIC if ch != "\x1b"}
_SEPTETS.update(dict.fromkeys(GSM_EXTENSION, 2))


@dataclass(frozen=True, slots=True)
class Encoded:
    """How a body travels: its `message_encoding`, its length in units, and its parts."""

    encoding: int
    units: int
    """Septets for GSM 7-bit, UTF-16 code units for UCS-2."""
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether every character of `text` is in the GSM 03.38 basic or extension table."""
    return all(ch in _SEPTETS for ch in text)


def _gsm_cost(ch: str) -> int:
    return _SEPTETS[ch]


def _ucs2_cost(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def encode_info(text: str) -> Encoded:
    """The encoding, length and segment count of `text` (empty text is one empty segment)."""
    cost: Callable[[str], int]
    if is_gsm7(text):
        encoding, single, part, cost = ENCODING_GSM7, GSM_SINGLE, GSM_PART, _gsm_cost
    else:
        encoding, single, part, cost = ENCODING_UCS2, UCS2_SINGLE, UCS2_PART, _ucs2_cost
    units = sum(cost(ch) for ch in text)
    if units <= single:
        return Encoded(encoding, units, 1)
    return Encoded(encoding, units, len(_split(text, part, cost)))


def split_segments(text: str) -> list[str]:
    """The parts `text` travels in: one if it fits a single message, else concatenated parts."""
    info = encode_info(text)
    if info.segments == 1:
        return [text]
    if info.encoding == ENCODING_GSM7:
        return _split(text, GSM_PART, _gsm_cost)
    return _split(text, UCS2_PART, _ucs2_cost)


def _split(text: str, capacity: int, cost: Callable[[str], int]) -> list[str]:
    parts: list[str] = []
    start, used = 0, 0
    for index, ch in enumerate(text):
        size = cost(ch)
        if used + size > capacity:
            parts.append(text[start:index])
            start, used = index, 0
        used += size
    parts.append(text[start:])
    return parts
