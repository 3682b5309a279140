"""Messaging callback URLs, per account and per number. No HTTP here.

Callback types, as the Flowroute docs and SDKs name them: `sms_callback` and `mms_callback`
(inbound messages), `sms_dlr_callback` and `mms_dlr_callback` (delivery receipts), and the older
`dlr_callback`, which Flowroute keeps as the SMS DLR callback: longcode stores it as
`sms_dlr_callback`, so either name sets and reads the same URL.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from longcode.db.base import utcnow
from longcode.errors import NotFound
from longcode.messaging.models import AccountCallback, NumberCallback
from longcode.urls import require_http_url

CANONICAL_TYPES = {
    "sms_callback": "sms_callback",
    "mms_callback": "mms_callback",
    "sms_dlr_callback": "sms_dlr_callback",
    "mms_dlr_callback": "mms_dlr_callback",
    "dlr_callback": "sms_dlr_callback",
}


def is_callback_type(name: str) -> bool:
    return name in CANONICAL_TYPES


def canonical_type(name: str) -> str:
    """The stored name of callback type `name`, or `NotFound` listing the valid ones."""
    try:
        return CANONICAL_TYPES[name]
    except KeyError:
        valid = ", ".join(CANONICAL_TYPES)
        raise NotFound(
            f"Unknown callback type {name!r}; use one of: {valid}.",
            code="unknown_callback_type",
            pointer="callback_type",
        ) from None


def product_of(name: str) -> str:
    """Flowroute's `product` attribute: the type without `_callback` (`dlr` for `dlr_callback`)."""
    return name.removesuffix("_callback")


# One callback row is addressed by its owner (an account id or a number) and its stored type.
CallbackModel = type[AccountCallback] | type[NumberCallback]


def _owner(model: CallbackModel, owner: int | str) -> dict[str, int | str]:
    return {"account_id": owner} if model is AccountCallback else {"number": owner}


async def _set(
    session: AsyncSession, model: CallbackModel, owner: int | str, callback_type: str, url: object
) -> str:
    stored_type = canonical_type(callback_type)
    clean = require_http_url(url, field="callback_url")
    row: AccountCallback | NumberCallback | None = await session.get(model, (owner, stored_type))
    if row is None:
        session.add(model(**_owner(model, owner), callback_type=stored_type, url=clean))
    else:
        row.url, row.updated_at = clean, utcnow()
    await session.flush()
    return clean


async def _get(
    session: AsyncSession, model: CallbackModel, owner: int | str, callback_type: str, whose: str
) -> str:
    row: AccountCallback | NumberCallback | None = await session.get(
        model, (owner, canonical_type(callback_type))
    )
    if row is None:
        raise NotFound(f"No {callback_type} is set for {whose}.", code="callback_not_set")
    return row.url


async def _delete(session: AsyncSession, model: CallbackModel, owner: int | str, callback_type: str) -> None:
    row = await session.get(model, (owner, canonical_type(callback_type)))
    if row is not None:
        await session.delete(row)
        await session.flush()


async def set_account_callback(
    *, session: AsyncSession, account_id: int, callback_type: str, url: object
) -> str:
    """Set (or replace) an account-level callback URL; `Invalid` unless absolute http(s)."""
    return await _set(session, AccountCallback, account_id, callback_type, url)


async def get_account_callback(*, session: AsyncSession, account_id: int, callback_type: str) -> str:
    """The account's URL of this type; `NotFound` if none is set."""
    return await _get(session, AccountCallback, account_id, callback_type, "your account")


async def delete_account_callback(*, session: AsyncSession, account_id: int, callback_type: str) -> None:
    """Remove the URL; removing one that is not set is not an error (DELETE is idempotent)."""
    await _delete(session, AccountCallback, account_id, callback_type)


async def set_number_callback(*, session: AsyncSession, number: str, callback_type: str, url: object) -> str:
    """Set a number-level URL; the caller has checked the number is the account's."""
    return await _set(session, NumberCallback, number, callback_type, url)


async def get_number_callback(*, session: AsyncSession, number: str, callback_type: str) -> str:
    return await _get(session, NumberCallback, number, callback_type, f"number {number}")


async def delete_number_callback(*, session: AsyncSession, number: str, callback_type: str) -> None:
    await _delete(session, NumberCallback, number, callback_type)
