"""What an SMPP `command_status` means for the message: try again later, or never.

The table is data (Jasmin's `submit_error_retrial` idea): temporary statuses retry with the
worker's backoff; every other non-zero status ends the message `failed`, naming the error.
"""

from __future__ import annotations

NAMES = {
    0x00: "ESME_ROK",
    0x01: "ESME_RINVMSGLEN",
    0x02: "ESME_RINVCMDLEN",
    0x03: "ESME_RINVCMDID",
    0x04: "ESME_RINVBNDSTS",
    0x05: "ESME_RALYBND",
    0x08: "ESME_RSYSERR",
    0x0A: "ESME_RINVSRCADR",
    0x0B: "ESME_RINVDSTADR",
    0x0C: "ESME_RINVMSGID",
    0x0D: "ESME_RBINDFAIL",
    0x0E: "ESME_RINVPASWD",
    0x0F: "ESME_RINVSYSID",
    0x14: "ESME_RMSGQFUL",
    0x15: "ESME_RINVSERTYP",
    0x45: "ESME_RSUBMITFAIL",
    0x48: "ESME_RINVSRCTON",
    0x49: "ESME_RINVSRCNPI",
    0x50: "ESME_RINVDSTTON",
    0x51: "ESME_RINVDSTNPI",
    0x58: "ESME_RTHROTTLED",
    0x61: "ESME_RINVSCHED",
    0x62: "ESME_RINVEXPIRY",
    0x64: "ESME_RX_T_APPN",
    0x65: "ESME_RX_P_APPN",
    0x66: "ESME_RX_R_APPN",
    0xC0: "ESME_RINVOPTPARSTREAM",
    0xC1: "ESME_ROPTPARNOTALLWD",
    0xC2: "ESME_RINVPARLEN",
    0xFE: "ESME_RDELIVERYFAILURE",
    0xFF: "ESME_RUNKNOWNERR",
}
TEMPORARY = frozenset({0x08, 0x14, 0x58, 0x64, 0xFE})
"""System error, queue full, throttled, temporary application error, delivery failure."""


def name(command_status: int) -> str:
    return NAMES.get(command_status, f"0x{command_status:08X}")


def describe(command_status: int) -> str:
    return f"{name(command_status)} (0x{command_status:08X})"


def is_temporary(command_status: int) -> bool:
    return command_status in TEMPORARY
