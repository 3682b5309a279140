"""Table: inbound routes. Row 0 is the built-in `sip-reg` route every account shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

SIP_REG_ROUTE_ID = 0
ROUTE_TYPES = ("host", "number", "uri", "sip-reg")


class Route(Base):
    __tablename__ = "route"
    __table_args__ = (UniqueConstraint("account_id", "alias", name="uq_route_account_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    """NULL only for the built-in `sip-reg` route (id 0)."""
    alias: Mapped[str] = mapped_column(String(64))
    route_type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str | None] = mapped_column(String(255), default=None)
    edge_strategy_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
