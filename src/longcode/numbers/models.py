"""Tables: the numbers accounts hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

TYPE_STANDARD = "standard"
TYPE_TOLLFREE = "tollfree"


class Number(Base):
    __tablename__ = "number"

    value: Mapped[str] = mapped_column(String(11), primary_key=True)
    """11-digit E.164 without `+`, the number's id in the API."""
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    number_type: Mapped[str] = mapped_column(String(16), default=TYPE_STANDARD)
    sms_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    mms_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    alias: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
