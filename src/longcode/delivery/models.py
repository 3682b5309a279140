"""Tables: SMPP carriers, sending numbers' pace, and carrier traffic waiting to be matched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

LONG_UDH = "udh"
LONG_PAYLOAD = "payload"


class Carrier(Base):
    """An SMPP 3.4 carrier (SMSC) messages can leave by. The sandbox carrier is built in."""

    __tablename__ = "carrier"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    system_id: Mapped[str] = mapped_column(String(16))
    password_sealed: Mapped[str] = mapped_column(String(128))
    """The bind password, AES-GCM sealed under the pepper (see `accounts/sealing.py`)."""
    system_type: Mapped[str] = mapped_column(String(13), default="")
    binds: Mapped[int] = mapped_column(Integer, default=1)
    window_size: Mapped[int] = mapped_column(Integer, default=10)
    tls: Mapped[bool] = mapped_column(Boolean, default=False)
    long_messages: Mapped[str] = mapped_column(String(8), default=LONG_UDH)
    """How a message over one part travels: `udh` (concatenated parts) or `payload` (one PDU)."""
    gsm_packed: Mapped[bool] = mapped_column(Boolean, default=False)
    """GSM 03.38 text as packed septets (some SMSCs) instead of one septet per octet (most)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NumberPace(Base):
    """The next free send slot of a sending number: its rate, shared by every worker process."""

    __tablename__ = "number_pace"

    number: Mapped[str] = mapped_column(String(11), primary_key=True)
    next_slot_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PendingReceipt(Base):
    """A carrier receipt that arrived before the `submit_sm_resp` naming its message id."""

    __tablename__ = "pending_receipt"
    __table_args__ = (Index("ix_pending_receipt_carrier_id", "carrier", "carrier_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    carrier: Mapped[str] = mapped_column(String(64))
    carrier_message_id: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MoPart(Base):
    """One part of a concatenated mobile-originated message, kept until all parts are in."""

    __tablename__ = "mo_part"

    carrier: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(21), primary_key=True)
    destination: Mapped[str] = mapped_column(String(21), primary_key=True)
    reference: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
