"""Text on the SMPP wire: GSM 03.38 (one septet an octet, or packed) and UCS-2, concatenation
headers (UDH), and decoding what carriers send back.

`data_coding` 0 is the SMSC's default alphabet, GSM 03.38 here; 8 is UCS-2 (big-endian UTF-16).
Long messages travel as parts with a UDH (IEI 0x00: 8-bit reference, total, position), or whole
in the `message_payload` TLV when the carrier asks for that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from longcode.messaging.encoding import ENCODING_GSM7, ENCODING_UCS2, GSM_BASIC, GSM_EXTENSION, split_segments

ESCAPE = 0x1B
_GSM_CODES = {ch: code for code, ch in enumerate(GSM_BASIC) if ch != "\x1b"}
_GSM_EXTENSION_CODES = dict(
    zip(GSM_EXTENSION, (0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65), strict=True)
)
_GSM_CHARS = {code: ch for ch, code in _GSM_CODES.items()}
_GSM_EXTENSION_CHARS = {code: ch for ch, code in _GSM_EXTENSION_CODES.items()}

UDH_INDICATOR = 0x40
"""esm_class bit: short_message starts with a user data header."""
DATA_CODING_LATIN1 = 3


def gsm_septets(text: str) -> bytes:
    """GSM 03.38 septets of `text`, one an octet (escape + code for the extension table)."""
    out = bytearray()
    for ch in text:
        if ch in _GSM_CODES:
            out.append(_GSM_CODES[ch])
        else:
            out += bytes((ESCAPE, _GSM_EXTENSION_CODES[ch]))
    return bytes(out)


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack 7-bit values into octets, least significant bit first (3GPP TS 23.038 6.1.2.1.1),
    after `fill_bits` zero bits (to align text after a UDH)."""
    value, bits, out = 0, fill_bits, bytearray()
    for septet in septets:
        value |= (septet & 0x7F) << bits
        bits += 7
        while bits >= 8:
            out.append(value & 0xFF)
            value >>= 8
            bits -= 8
    if bits:
        out.append(value & 0xFF)
    return bytes(out)


def unpack_septets(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    value = int.from_bytes(data, "little") >> fill_bits
    return bytes((value >> (7 * index)) & 0x7F for index in range(count))


def gsm_text(septets: bytes) -> str:
    out, escaped = [], False
    for code in septets:
        if escaped:
            out.append(_GSM_EXTENSION_CHARS.get(code, " "))
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            out.append(_GSM_CHARS.get(code, "?"))
    return "".join(out)


def encode_text(text: str, data_coding: int, *, packed: bool = False, fill_bits: int = 0) -> bytes:
    if data_coding == ENCODING_UCS2:
        return text.encode("utf-16-be")
    septets = gsm_septets(text)
    return pack_septets(septets, fill_bits) if packed else septets


def decode_text(data: bytes, data_coding: int) -> str:
    """What a carrier sent, as text: UCS-2, Latin-1, or the default alphabet (GSM 03.38 one
    septet an octet; octets beyond 7 bits are read as Latin-1, which some SMSCs send)."""
    if data_coding == ENCODING_UCS2:
        return data.decode("utf-16-be", errors="replace")
    if data_coding == DATA_CODING_LATIN1 or any(octet > 0x7F for octet in data):
        return data.decode("latin-1")
    return gsm_text(data)


@dataclass(frozen=True, slots=True)
class Part:
    short_message: bytes
    esm_class: int


def parts(text: str, data_coding: int, *, packed: bool = False, reference: int | None = None) -> list[Part]:
    """The submit_sm payloads of `text`: one, or concatenated parts each with a UDH."""
    pieces = split_segments(text)
    if len(pieces) == 1:
        return [Part(encode_text(text, data_coding, packed=packed), 0)]
    ref = random.randrange(256) if reference is None else reference
    out = []
    for position, piece in enumerate(pieces, start=1):
        udh = bytes((0x05, 0x00, 0x03, ref, len(pieces), position))
        # Packed GSM text starts on a septet boundary after the 6-octet UDH: one fill bit.
        body = encode_text(piece, data_coding, packed=packed, fill_bits=1 if packed else 0)
        out.append(Part(udh + body, UDH_INDICATOR))
    return out


@dataclass(frozen=True, slots=True)
class Concatenation:
    reference: int
    total: int
    position: int


def split_udh(short_message: bytes, esm_class: int) -> tuple[Concatenation | None, bytes]:
    """The concatenation header of a received part (8- or 16-bit reference), and the text bytes."""
    if not esm_class & UDH_INDICATOR or not short_message:
        return None, short_message
    length = short_message[0]
    header, rest = short_message[1 : 1 + length], short_message[1 + length :]
    index = 0
    while index + 1 < len(header):
        iei, size = header[index], header[index + 1]
        value = header[index + 2 : index + 2 + size]
        if len(value) < size:  # a header cut short: read the rest as text, do not guess
            break
        if iei == 0x00 and size == 3:
            return Concatenation(value[0], value[1], value[2]), rest
        if iei == 0x08 and size == 4:
            return Concatenation(int.from_bytes(value[:2], "big"), value[2], value[3]), rest
        index += 2 + size
    return None, rest


def data_coding_for(encoding: int) -> int:
    """The submit's `data_coding` for a message's `message_encoding` (they share the values)."""
    return ENCODING_UCS2 if encoding == ENCODING_UCS2 else ENCODING_GSM7
