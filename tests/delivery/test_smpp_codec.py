"""The tricky SMPP pieces on their own: GSM 03.38 septets (plain and packed), concatenation
headers, receipt text and TLVs, message-id forms, command_status classes, backoff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longcode.delivery import statuses
from longcode.delivery.carriers.smpp import codec, errors, receipts
from longcode.delivery.retry import backoff
from longcode.messaging.encoding import ENCODING_GSM7, ENCODING_UCS2, GSM_BASIC, GSM_EXTENSION

GSM_TEXT = st.text(alphabet=[ch for ch in GSM_BASIC if ch != "\x1b"] + list(GSM_EXTENSION), max_size=400)


def test_gsm_septets_use_the_escape_for_the_extension_table():
    assert codec.gsm_septets("@A€") == bytes((0x00, 0x41, 0x1B, 0x65))
    assert codec.gsm_text(bytes((0x00, 0x41, 0x1B, 0x65))) == "@A€"


def test_packing_matches_the_3gpp_example():
    # TS 23.038's "hellohello": ten septets in nine octets.
    assert codec.pack_septets(codec.gsm_septets("hellohello")).hex() == "e8329bfd4697d9ec37"


@given(GSM_TEXT)
def test_gsm_text_round_trips_plain_and_packed(text):
    septets = codec.gsm_septets(text)
    assert codec.gsm_text(septets) == text
    packed = codec.pack_septets(septets, fill_bits=1)
    assert codec.unpack_septets(packed, len(septets), fill_bits=1) == septets


def test_decode_text_reads_ucs2_latin1_and_gsm():
    assert codec.decode_text("Grüße 🎉".encode("utf-16-be"), ENCODING_UCS2) == "Grüße 🎉"
    assert codec.decode_text("café".encode("latin-1"), 3) == "café"
    assert codec.decode_text(codec.gsm_septets("a_b"), ENCODING_GSM7) == "a_b"


@pytest.mark.parametrize(
    ("text", "coding", "count"), [("x" * 160, 0, 1), ("x" * 161, 0, 2), ("ж" * 71, 8, 2)]
)
def test_parts_carry_a_udh_only_when_split(text, coding, count):
    parts = codec.parts(text, coding, reference=7)
    assert len(parts) == count
    for position, part in enumerate(parts, start=1):
        if count == 1:
            assert part.esm_class == 0 and part.short_message[:1] != b"\x05"
            continue
        header, body = codec.split_udh(part.short_message, part.esm_class)
        assert header == codec.Concatenation(7, count, position) and body
        assert part.esm_class == codec.UDH_INDICATOR


def test_split_udh_reads_16_bit_references_and_skips_other_elements():
    # A port-addressing element (IEI 0x05) first, then a 16-bit concatenation element.
    udh = bytes((12, 0x05, 0x04, 0, 0, 0, 0, 0x08, 0x04, 0x12, 0x34, 3, 2))
    header, body = codec.split_udh(udh + b"hi", codec.UDH_INDICATOR)
    assert header == codec.Concatenation(0x1234, 3, 2) and body == b"hi"
    assert codec.split_udh(b"plain", 0) == (None, b"plain")
    # A header that claims more than it holds is not a concatenation.
    assert codec.split_udh(bytes((4, 0x08, 0x04, 0x12)) + b"x", codec.UDH_INDICATOR)[0] is None


def test_receipt_text_is_parsed():
    text = (
        b"id:0A1B sub:001 dlvrd:001 submit date:2611230800 done date:2611230801 stat:DELIVRD err:000 text:hi"
    )
    assert receipts.parse(text, {}) == receipts.CarrierReceipt("0A1B", "DELIVRD", 0)


def test_tlvs_win_over_the_text():
    text = b"id:1 stat:ENROUTE err:000"
    tlvs = {receipts.TLV_RECEIPTED_MESSAGE_ID: b"abc\x00", receipts.TLV_MESSAGE_STATE: bytes((5,))}
    assert receipts.parse(text, tlvs) == receipts.CarrierReceipt("abc", "UNDELIV", 0)


def test_a_receipt_naming_no_message_is_dropped():
    assert receipts.parse(b"stat:DELIVRD", {}) is None


@given(st.binary(max_size=200), st.binary(max_size=20), st.binary(max_size=3))
def test_no_receipt_an_smsc_sends_makes_parsing_raise(text, receipted_id, state):
    # Taken straight off the link: a raise there would end the session.
    tlvs = {receipts.TLV_RECEIPTED_MESSAGE_ID: receipted_id, receipts.TLV_MESSAGE_STATE: state}
    for given_tlvs in ({}, tlvs):
        parsed = receipts.parse(text, given_tlvs)
        assert parsed is None or isinstance(parsed, receipts.CarrierReceipt)


def test_an_error_code_in_other_digits_is_no_error_code():
    assert receipts.parse("id:1 stat:UNDELIV err:\u00b2".encode("latin-1"), {}) == receipts.CarrierReceipt(
        "1", "UNDELIV", None
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("DELIVRD", statuses.DELIVERED),
        ("ENROUTE", statuses.BUFFERED),
        ("EXPIRED", statuses.EXPIRED),
        ("UNDELIV", statuses.UNDELIVERABLE),
        ("REJECTD", statuses.SPAM),
        ("DELETED", statuses.DELETED),
        ("whatever", statuses.UNKNOWN),
    ],
)
def test_smsc_states_map_to_receipts(state, expected):
    receipt = receipts.receipt_for(state, None)
    assert (receipt.status, receipt.status_code, receipt.final) == (
        expected.status,
        expected.status_code,
        expected.final,
    )


def test_a_failure_keeps_the_carrier_error_code():
    assert "(carrier error 011)" in receipts.receipt_for("UNDELIV", 11).description
    assert receipts.receipt_for("DELIVRD", 0).description == statuses.DELIVERED.description


def test_message_id_forms_cover_hex_decimal_case_and_zeros():
    assert {"1A2B", "1a2b", "6699"} <= set(receipts.id_forms("1A2B"))
    assert {"6699", "1a2b", "1A2B"} <= set(receipts.id_forms("6699"))
    assert "7" in receipts.id_forms("0007")


def test_command_status_classes():
    assert errors.is_temporary(0x58) and errors.is_temporary(0x14)
    assert not errors.is_temporary(0x0B)
    assert errors.describe(0x0B) == "ESME_RINVDSTADR (0x0000000B)"
    assert errors.name(0x400) == "0x00000400"


@given(st.integers(min_value=0, max_value=100))
def test_backoff_grows_to_its_cap_and_keeps_half_of_it(retries):
    delay = backoff(retries, base=1.0, cap=60.0)
    ceiling = min(60.0, 2.0**retries)
    assert ceiling / 2 <= delay <= ceiling
