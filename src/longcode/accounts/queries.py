"""Hot-path SQL about API keys, run inside read and write steps (see `db/tx.py`)."""

from __future__ import annotations

from longcode.accounts.models import ACCOUNT_ACTIVE
from longcode.db.tx import Sql, Tx
from longcode.errors import Unauthorized

KEY_ACTIVE = Sql(
    "SELECT 1 FROM api_key k JOIN account a ON a.id = k.account_id"
    " WHERE k.id = :key_id AND k.revoked_at IS NULL AND a.status = :active"
)


async def require_active_key(tx: Tx, key_id: int) -> None:
    """Re-check, in the caller's transaction, that the key and its account are still good.

    Authentication may have used a cached key row; this makes revoking a key or disabling an
    account take effect from the very next request.
    """
    if await tx.fetchone(KEY_ACTIVE, {"key_id": key_id, "active": ACCOUNT_ACTIVE}) is None:
        raise Unauthorized("Authentication failed.", code="authentication_failed")
