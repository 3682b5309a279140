"""Tables: every number the platform knows (inventory and held), and who held which when.

One `number` row per number for its whole life: in inventory (`account_id` NULL, purchasable
once `available_at` has passed), held by an account, released (back to NULL with an aging
`available_at` in the future). Search runs over the available rows through partial indexes
(see the migration), so held numbers never slow it down.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

TYPE_STANDARD = "standard"
TYPE_TOLLFREE = "tollfree"

ORIGIN_INVENTORY = "inventory"
"""Bought from the inventory through the API."""
ORIGIN_ASSIGNED = "assigned"
"""Given to an account by the operator (`longcode accounts create --numbers`, the demo)."""
ORIGIN_PORTED = "ported"
"""Ported in from another carrier (`longcode numbers port-in`)."""

BILLING_METERED = "METERED"
BILLING_VPRI = "VPRI"
BILLING_METHODS = (BILLING_VPRI, BILLING_METERED)


AVAILABLE = text("account_id IS NULL")
"""The partial-index condition: only numbers nobody holds are searched."""


def _available_index(name: str, *columns: str) -> Index:
    return Index(name, *columns, sqlite_where=AVAILABLE, postgresql_where=AVAILABLE)


class Number(Base):
    __tablename__ = "number"
    __table_args__ = (
        _available_index("ix_number_available", "value"),
        _available_index("ix_number_available_state", "state", "value"),
        _available_index("ix_number_available_rate_center", "state", "rate_center", "value"),
        _available_index("ix_number_available_type", "number_type", "value"),
    )

    value: Mapped[str] = mapped_column(String(11), primary_key=True)
    """11-digit E.164 without `+`, the number's id in the API."""
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    number_type: Mapped[str] = mapped_column(String(16), default=TYPE_STANDARD)
    sms_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    mms_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    alias: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    rate_center: Mapped[str | None] = mapped_column(String(32), default=None)
    """Lower-case abbreviation (`seattle`), as Flowroute shows it; NULL for toll-free."""
    state: Mapped[str | None] = mapped_column(String(2), default=None)
    """Lower-case two-letter state or province (`wa`); NULL for toll-free."""
    iso_country: Mapped[str] = mapped_column(String(2), default="US")
    setup_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    """Nanodollars charged once at purchase."""
    monthly_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    """Nanodollars charged for every month (or part of one) the number is held."""
    available_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    """When an unheld number may be bought: in the future while a released number ages."""
    origin: Mapped[str] = mapped_column(String(16), default=ORIGIN_INVENTORY)
    purchased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    messaging_enabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    """Until this moment the number cannot send (a ported-in number waits for the carriers)."""
    cnam_lookups_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    billing_method: Mapped[str] = mapped_column(String(16), default=BILLING_METERED)
    primary_route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id"), default=None)
    failover_route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id"), default=None)
    cnam_id: Mapped[int | None] = mapped_column(ForeignKey("cnam.id"), default=None)
    e911_id: Mapped[int | None] = mapped_column(ForeignKey("e911.id"), default=None)
    carrier: Mapped[str | None] = mapped_column(String(64), default=None)
    """The carrier this number's off-net messages leave by, over its account's choice."""


class NumberHolding(Base):
    """One account holding one number from `start_at` to `end_at` (NULL while held): what the
    monthly charges of a statement are computed from."""

    __tablename__ = "number_holding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(11), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    monthly_cost: Mapped[int] = mapped_column(BigInteger)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    end_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
