"""SMSC delivery receipts: the `id: sub: dlvrd: submit date: done date: stat: err: text:` text
(SMPP 3.4 appendix B) and the `receipted_message_id` / `message_state` TLVs, mapped to
longcode's receipts (docs/delivery.md has the table)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from longcode.delivery import statuses
from longcode.delivery.statuses import Receipt

RECEIPT_TYPE_MASK = 0x3C
RECEIPT_TYPE = 0x04
"""esm_class message type "SMSC delivery receipt"."""
TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427

_FIELD = re.compile(r"(id|sub|dlvrd|submit date|done date|stat|err):\s*(\S*)", re.IGNORECASE)

# SMPP 3.4 5.2.28 message_state values, and the `stat:` words of appendix B.
STATE_NAMES = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}
_BY_STATE = {
    "ENROUTE": statuses.BUFFERED,
    "ACCEPTD": statuses.BUFFERED,
    "DELIVRD": statuses.DELIVERED,
    "DELIVERED": statuses.DELIVERED,
    "EXPIRED": statuses.EXPIRED.because("Expired at the carrier"),
    "DELETED": statuses.DELETED,
    "UNDELIV": statuses.UNDELIVERABLE.because("Undeliverable (carrier)"),
    "REJECTD": statuses.SPAM.because("Rejected by the carrier"),
    "UNKNOWN": statuses.UNKNOWN,
}


@dataclass(frozen=True, slots=True)
class CarrierReceipt:
    carrier_message_id: str
    state: str
    error_code: int | None


def is_receipt(esm_class: int) -> bool:
    return esm_class & RECEIPT_TYPE_MASK == RECEIPT_TYPE


def parse(short_message: bytes, tlvs: dict[int, bytes]) -> CarrierReceipt | None:
    """The receipt in a deliver_sm; TLVs win over the text where both are present. None if it
    names no message."""
    fields = {name.lower(): value for name, value in _FIELD.findall(short_message.decode("latin-1"))}
    message_id = fields.get("id", "")
    if TLV_RECEIPTED_MESSAGE_ID in tlvs:
        message_id = tlvs[TLV_RECEIPTED_MESSAGE_ID].rstrip(b"\x00").decode("latin-1")
    state = fields.get("stat", "").upper()
    if TLV_MESSAGE_STATE in tlvs and tlvs[TLV_MESSAGE_STATE]:
        state = STATE_NAMES.get(tlvs[TLV_MESSAGE_STATE][0], state or "UNKNOWN")
    if not message_id:
        return None
    error = fields.get("err", "")
    # isascii: "²" is a digit to str.isdigit, and int() refuses it.
    return CarrierReceipt(
        message_id, state or "UNKNOWN", int(error) if error.isascii() and error.isdigit() else None
    )


def receipt_for(state: str, error_code: int | None) -> Receipt:
    """longcode's receipt for an SMSC state (and its `err:` code, kept in the description)."""
    receipt = _BY_STATE.get(state.upper(), statuses.UNKNOWN)
    if error_code and receipt.final == statuses.MESSAGE_FAILED:
        return receipt.because(f"{receipt.description} (carrier error {error_code:03d})")
    return receipt


def id_forms(carrier_message_id: str) -> list[str]:
    """The forms an SMSC may give one message id in: its receipts can name in decimal what its
    `submit_sm_resp` gave in hex, or the other way round (and with or without leading zeros)."""
    given = carrier_message_id.strip()
    forms = {given, given.lower(), given.upper()}
    if given and all(ch in string.hexdigits for ch in given):
        forms.add(str(int(given, 16)))
    if given.isdigit():
        number = int(given)
        forms.update({format(number, "x"), format(number, "X"), str(number)})
    forms.update({form.lstrip("0") or "0" for form in list(forms)})
    return sorted(forms)
