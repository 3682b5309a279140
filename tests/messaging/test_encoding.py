"""GSM 03.38 / UCS-2 detection and segment counting, with property-based cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longcode.messaging.encoding import (
    ENCODING_GSM7,
    ENCODING_UCS2,
    GSM_BASIC,
    GSM_EXTENSION,
    encode_info,
    split_segments,
)

BASIC = [ch for ch in GSM_BASIC if ch != "\x1b"]
gsm_basic_text = st.text(alphabet=BASIC, max_size=1200)
gsm_text = st.text(alphabet=BASIC + list(GSM_EXTENSION), max_size=1200)
any_text = st.text(max_size=800)


def units(part: str, encoding: int) -> int:
    if encoding == ENCODING_GSM7:
        return sum(2 if ch in GSM_EXTENSION else 1 for ch in part)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in part)


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", ENCODING_GSM7, 1),
        ("a" * 160, ENCODING_GSM7, 1),
        ("a" * 161, ENCODING_GSM7, 2),
        ("a" * 306, ENCODING_GSM7, 2),
        ("a" * 307, ENCODING_GSM7, 3),
        ("€" * 80, ENCODING_GSM7, 1),  # extension: two septets each
        ("€" * 81, ENCODING_GSM7, 2),
        ("a" * 152 + "€" + "a" * 10, ENCODING_GSM7, 2),
        ("é ñ ü Ä", ENCODING_GSM7, 1),  # in the GSM basic table
        ("a" * 69 + "ç", ENCODING_UCS2, 1),  # ç is not GSM (only Ç is)
        ("a" * 70 + "ç", ENCODING_UCS2, 2),
        ("😀" * 35, ENCODING_UCS2, 1),  # emoji: two UTF-16 units each
        ("😀" * 36, ENCODING_UCS2, 2),
        ("`", ENCODING_UCS2, 1),  # the backtick is not in GSM 03.38
    ],
)
def test_encode_info_known_cases(text, encoding, segments):
    info = encode_info(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_escape_pair_is_never_split_across_parts():
    text = "a" * 152 + "€" + "b" * 10  # 164 septets: two parts, the escape pair kept whole
    assert split_segments(text) == ["a" * 152, "€" + "b" * 10]


def test_surrogate_pair_is_never_split_across_parts():
    text = "a" * 66 + "😀" + "b" * 10
    assert split_segments(text) == ["a" * 66, "😀" + "b" * 10]


@given(gsm_basic_text)
def test_basic_gsm_segments_follow_160_153(text):
    info = encode_info(text)
    assert info.encoding == ENCODING_GSM7
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert info.segments == expected


@given(any_text)
def test_parts_reassemble_and_fit(text):
    info = encode_info(text)
    parts = split_segments(text)
    assert "".join(parts) == text
    assert len(parts) == info.segments
    single, part = (160, 153) if info.encoding == ENCODING_GSM7 else (70, 67)
    capacity = single if len(parts) == 1 else part
    assert all(units(p, info.encoding) <= capacity for p in parts)


@given(gsm_text)
def test_gsm_with_extension_counts_two_septets(text):
    info = encode_info(text)
    assert info.encoding == ENCODING_GSM7
    assert info.units == len(text) + sum(ch in GSM_EXTENSION for ch in text)
    assert info.segments >= math.ceil(info.units / 153) if info.units > 160 else info.segments == 1


@given(any_text, st.sampled_from(["😀", "中", "ç", "`"]))
def test_one_non_gsm_character_makes_the_whole_message_ucs2(text, odd):
    assert encode_info(text + odd).encoding == ENCODING_UCS2
