"""Table: E911 addresses an account has validated and may assign to its numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow


class E911Address(Base):
    __tablename__ = "e911"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    label: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(64))
    last_name: Mapped[str] = mapped_column(String(64))
    street_number: Mapped[str] = mapped_column(String(16))
    street_name: Mapped[str] = mapped_column(String(128))
    address_type: Mapped[str | None] = mapped_column(String(16), default=None)
    address_type_number: Mapped[str | None] = mapped_column(String(16), default=None)
    city: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
