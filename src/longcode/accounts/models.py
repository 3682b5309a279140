"""Tables: accounts and their API keys (secrets stored only as keyed hashes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcode.db.base import Base, UtcDateTime, utcnow

ACCOUNT_ACTIVE = "active"
ACCOUNT_DISABLED = "disabled"


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=ACCOUNT_ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    signing_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    """Key of the `X-Longcode-Signature` HMAC on this account's webhooks (made on first use)."""
    help_reply: Mapped[str | None] = mapped_column(Text, default=None)
    """The auto-reply to HELP; NULL: the default text (see `messaging/optout.py`)."""
    carrier: Mapped[str | None] = mapped_column(String(64), default=None)
    """The carrier this account's off-net messages leave by; NULL: the sandbox carrier."""


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    access_key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    """HMAC-SHA256 of the secret under the server's pepper, hex."""
    secret_hint: Mapped[str] = mapped_column(String(8))
    """The secret's last four characters, so a person can tell keys apart."""
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    secret_sealed: Mapped[str | None] = mapped_column(String(128), default=None)
    """The secret, AES-GCM sealed under a key derived from the pepper: only the v1 API's
    HMAC-SHA1 signatures need it (see `accounts/sealing.py`). NULL for keys made before."""
