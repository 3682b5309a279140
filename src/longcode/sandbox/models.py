"""Tables: what the sandbox carrier was given (its outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow


class SandboxOutbox(Base):
    __tablename__ = "sandbox_outbox"
    __table_args__ = (Index("ix_sandbox_outbox_account_time", "account_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("message.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    from_number: Mapped[str] = mapped_column(String(11))
    to_number: Mapped[str] = mapped_column(String(11))
    body: Mapped[str | None] = mapped_column(Text)
    is_mms: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(32))
    """The behaviour the destination asked for (`delivered`, `undeliverable`, ...)."""
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
