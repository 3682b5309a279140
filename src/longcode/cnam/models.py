"""Table: CNAM records, pending until the operator (or the sandbox's timer) decides."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class CnamRecord(Base):
    __tablename__ = "cnam"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    value: Mapped[str] = mapped_column(String(15))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    rejection_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    auto_approve_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    """The sandbox approves a pending record by itself at this moment (NULL: the operator decides)."""
