"""The send path's one transaction: re-check the caller, check the sender, claim the
idempotency key, insert the message. Written once over `Tx`; runs on the SQLite writer or asyncpg.

The message row is also the delivery queue: it is inserted `queued` with `next_attempt_at` set,
and the 202 goes out only after this transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from longcode.accounts.models import ACCOUNT_ACTIVE
from longcode.accounts.queries import KEY_ACTIVE
from longcode.db.base import as_utc
from longcode.db.tx import Sql, Tx
from longcode.errors import Forbidden, Invalid, Unauthorized
from longcode.messaging.rows import MESSAGE_COLUMNS, MESSAGE_VALUES, MessageRow

# One round trip: is the caller's key still good, and may it send from this number?
CALLER_AND_SENDER = Sql(
    f"SELECT EXISTS ({KEY_ACTIVE.text}),"
    " (SELECT sms_enabled FROM number WHERE value = :value AND account_id = :account_id),"
    " (SELECT mms_enabled FROM number WHERE value = :value AND account_id = :account_id),"
    " (SELECT messaging_enabled_at FROM number WHERE value = :value AND account_id = :account_id),"
    " EXISTS (SELECT 1 FROM opt_out WHERE number = :value AND sender = :to)"
)
IDEMPOTENCY_EXPIRE = Sql(
    "DELETE FROM idempotency_key WHERE account_id = :account_id AND key = :key AND created_at < :cutoff"
)
IDEMPOTENCY_CLAIM = Sql(
    "INSERT INTO idempotency_key (account_id, key, request_hash, message_id, status_code, created_at)"
    " VALUES (:account_id, :key, :request_hash, :message_id, :status_code, :created_at)"
    " ON CONFLICT DO NOTHING"
)
IDEMPOTENCY_PRIOR = Sql(
    "SELECT request_hash, message_id, status_code FROM idempotency_key"
    " WHERE account_id = :account_id AND key = :key"
)
INSERT_MESSAGE = Sql(
    f"INSERT INTO message ({MESSAGE_COLUMNS}, updated_at, next_attempt_at, attempts)"
    f" VALUES ({MESSAGE_VALUES}, :created_at, :created_at, 0)"
)


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    key: str
    request_hash: str
    status_code: int
    cutoff: datetime


@dataclass(frozen=True, slots=True)
class Stored:
    """The stored message's id, and whether it was stored by an earlier request (a replay)."""

    message_id: str
    replayed: bool


async def store_outbound(
    tx: Tx, message: MessageRow, *, key_id: int, idempotency: IdempotencyClaim | None
) -> Stored:
    """Insert `message` for the caller holding `key_id`, or raise why not (nothing is written)."""
    await _check_caller_and_sender(tx, message, key_id)
    if idempotency is not None:
        prior = await _claim(tx, message, idempotency)
        if prior is not None:
            return prior
    await tx.execute(INSERT_MESSAGE, message._asdict())
    return Stored(message.id, replayed=False)


async def _check_caller_and_sender(tx: Tx, message: MessageRow, key_id: int) -> None:
    params = {
        "key_id": key_id,
        "active": ACCOUNT_ACTIVE,
        "value": message.from_number,
        "account_id": message.account_id,
        "to": message.to_number,
    }
    row = await tx.fetchone(CALLER_AND_SENDER, params)
    assert row is not None  # a SELECT without FROM always yields one row
    key_active, sms_enabled, mms_enabled, enabled_at, opted_out = row
    if not key_active:
        # Revoked or disabled since the (cached) authentication: refused from this request on.
        raise Unauthorized("Authentication failed.", code="authentication_failed")
    if sms_enabled is None:
        raise Forbidden(
            f"'from' {message.from_number} is not a number on your account; you can only send "
            "from your own numbers.",
            code="number_not_owned",
            pointer="from",
        )
    if enabled_at is not None and as_utc(enabled_at) > message.created_at:
        raise Forbidden(
            f"'from' {message.from_number} was ported in and can send from "
            f"{as_utc(enabled_at).isoformat(timespec='seconds')}, once the carriers have it.",
            code="number_not_sms_enabled",
            pointer="from",
        )
    if not sms_enabled:
        raise Forbidden(
            f"'from' {message.from_number} is not enabled for messaging yet.",
            code="number_not_sms_enabled",
            pointer="from",
        )
    if opted_out:
        raise Forbidden(
            f"{message.to_number} replied STOP to {message.from_number}: it cannot be messaged from "
            "this number until it texts START.",
            code="recipient_opted_out",
            pointer="to",
        )
    if message.is_mms and not mms_enabled:
        raise Forbidden(
            f"'from' {message.from_number} is not enabled for MMS.",
            code="number_not_mms_enabled",
            pointer="from",
        )


async def _claim(tx: Tx, message: MessageRow, claim: IdempotencyClaim) -> Stored | None:
    """Take the key for this message, or the earlier answer if another request holds it."""
    params = {"account_id": message.account_id, "key": claim.key}
    await tx.execute(IDEMPOTENCY_EXPIRE, {**params, "cutoff": claim.cutoff})
    claimed = await tx.execute(
        IDEMPOTENCY_CLAIM,
        {
            **params,
            "request_hash": claim.request_hash,
            "message_id": message.id,
            "status_code": claim.status_code,
            "created_at": message.created_at,
        },
    )
    if claimed:
        return None
    prior = await tx.fetchone(IDEMPOTENCY_PRIOR, params)
    if prior is None:  # pragma: no cover - the row that blocked the claim was just read
        raise RuntimeError("idempotency key vanished inside a transaction")
    request_hash, message_id, _status_code = prior
    if request_hash != claim.request_hash:
        raise Invalid(
            f"Idempotency-Key {claim.key!r} was already used with a different request body.",
            code="idempotency_key_reused",
            pointer="Idempotency-Key",
        )
    return Stored(str(message_id), replayed=True)
