"""Tables: messages (the row is also the delivery queue), receipts, callbacks, idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

STATUS_QUEUED = "queued"

STAGE_SUBMIT = "submit"
"""The worker has still to hand the message over (on-net, sandbox or SMPP)."""
STAGE_RECEIPT = "receipt"
"""Handed over; waiting for the carrier's final receipt (or the end of its validity)."""
STAGE_DONE = "done"


class Message(Base):
    __tablename__ = "message"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    """`mdr2-` (v2.1) or `mdr1-` (v2) followed by 32 hex digits."""
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    direction: Mapped[str] = mapped_column(String(8))
    from_number: Mapped[str] = mapped_column(String(11))
    to_number: Mapped[str] = mapped_column(String(11))
    body: Mapped[str | None] = mapped_column(Text)
    is_mms: Mapped[bool] = mapped_column(Boolean, default=False)
    media_urls: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of the URLs the sender gave."""
    dlr_callback: Mapped[str | None] = mapped_column(Text)
    message_encoding: Mapped[int] = mapped_column(Integer, default=0)
    segments: Mapped[int] = mapped_column(Integer, default=1)
    message_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), default=STATUS_QUEUED)
    amount_nanodollars: Mapped[int] = mapped_column(BigInteger, default=0)
    api_version: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the delivery worker may next take it; NULL once it needs no more work."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """How many times a worker has claimed it; also the lease token a worker's update must match."""
    stage: Mapped[str] = mapped_column(String(16), default=STAGE_SUBMIT, server_default=STAGE_SUBMIT)
    retries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Temporary failures so far (the backoff's exponent)."""
    paced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """The send slot the sending number's pace gave it (NULL until it needed one)."""
    carrier: Mapped[str | None] = mapped_column(String(64))
    carrier_message_id: Mapped[str | None] = mapped_column(String(80))
    origin_id: Mapped[str | None] = mapped_column(String(40))
    """For an inbound message made on-net: the outbound message it is (one inbound per origin)."""
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # The MDR list: one account, a time window, newest first.
        Index("ix_message_account_created", "account_id", "created_at", "id"),
        # The queue scan: only rows that still have work are in this index.
        Index(
            "ix_message_due",
            "next_attempt_at",
            sqlite_where=text("next_attempt_at IS NOT NULL"),
            postgresql_where=text("next_attempt_at IS NOT NULL"),
        ),
        Index("ix_message_carrier_id", "carrier", "carrier_message_id"),
        Index(
            "ix_message_origin",
            "origin_id",
            unique=True,
            sqlite_where=text("origin_id IS NOT NULL"),
            postgresql_where=text("origin_id IS NOT NULL"),
        ),
    )


class DeliveryReceipt(Base):
    __tablename__ = "delivery_receipt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("message.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    status_code: Mapped[int | None] = mapped_column(Integer)
    status_code_description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AccountCallback(Base):
    __tablename__ = "account_callback"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    callback_type: Mapped[str] = mapped_column(String(24), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NumberCallback(Base):
    __tablename__ = "number_callback"

    number: Mapped[str] = mapped_column(ForeignKey("number.value"), primary_key=True)
    callback_type: Mapped[str] = mapped_column(String(24), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(40))
    status_code: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MessageMedia(Base):
    """One media file of an MMS: where the sender said it is, and the copy longcode serves."""

    __tablename__ = "message_media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("message.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    """The unguessable part of the URL the copy is served at."""
    source_url: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(127))
    file_size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the content: the file's name in the data dir's `media/` (stored once)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OptOut(Base):
    """`sender` texted STOP to `number`: `number` may not message `sender` until START."""

    __tablename__ = "opt_out"

    number: Mapped[str] = mapped_column(String(11), primary_key=True)
    sender: Mapped[str] = mapped_column(String(11), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
