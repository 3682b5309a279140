"""Tables: webhook events (the row is the queue, as for messages) and every delivery attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

EVENT_PENDING = "pending"
EVENT_DELIVERED = "delivered"
EVENT_FAILED = "failed"

KIND_INBOUND_SMS = "inbound_sms"
KIND_INBOUND_MMS = "inbound_mms"
KIND_DLR = "dlr"


class WebhookEvent(Base):
    __tablename__ = "webhook_event"
    __table_args__ = (
        Index(
            "ix_webhook_event_due",
            "next_attempt_at",
            sqlite_where=text("next_attempt_at IS NOT NULL"),
            postgresql_where=text("next_attempt_at IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    """`evt_` + 32 hex: the `X-Longcode-Event-Id`, the same on every retry."""
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    """What the event is about (`dlr:<message>:<level>:<status>`, `inbound:<message>`): a
    handler that runs twice makes the event once."""
    url: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=EVENT_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("webhook_event.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
