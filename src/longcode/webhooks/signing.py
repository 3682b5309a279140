"""`X-Longcode-Signature`: HMAC-SHA256 over a timestamp and the exact body, per-account secret.

Header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`. The timestamp is
signed with the body, so a receiver that refuses old timestamps (five minutes is the usual
tolerance) cannot be fed a recorded delivery again. docs/webhooks.md shows how to verify.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from longcode.db.tx import Sql, Tx

HEADER = "X-Longcode-Signature"
EVENT_HEADER = "X-Longcode-Event-Id"
DEFAULT_TOLERANCE_SECONDS = 300

READ_SECRET = Sql("SELECT signing_secret FROM account WHERE id = :account_id")
ROTATE_SECRET = Sql("UPDATE account SET signing_secret = :secret WHERE id = :account_id")
CREATE_SECRET = Sql(
    "UPDATE account SET signing_secret = :secret WHERE id = :account_id AND signing_secret IS NULL"
)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether `header` signs `body` with `secret` and is at most `tolerance` seconds old."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={fields.get('v1', '')}")


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


async def account_secret(tx: Tx, account_id: int, *, rotate: bool = False) -> str:
    """The account's signing secret, made on first use (race-free: only a NULL is replaced);
    `rotate` replaces it (workers sign with the new one within `SECRET_TTL_SECONDS`)."""
    await tx.execute(
        ROTATE_SECRET if rotate else CREATE_SECRET, {"secret": new_secret(), "account_id": account_id}
    )
    row = await tx.fetchone(READ_SECRET, {"account_id": account_id})
    if row is None:
        raise LookupError(f"no account {account_id}")
    return str(row[0])
