"""Accounts and API keys: create, list, revoke, disable; no HTTP here.

The caller owns the transaction: every function flushes, none commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.accounts.credentials import NewKey, hash_secret, new_access_key, new_secret
from longcode.accounts.models import ACCOUNT_ACTIVE, ACCOUNT_DISABLED, Account, ApiKey
from longcode.accounts.sealing import seal
from longcode.db.base import utcnow
from longcode.errors import Conflict, NotFound

KEY_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What authentication needs to know about one access key."""

    key_id: int
    account_id: int
    secret_hash: str
    active: bool


async def create_account(*, session: AsyncSession, name: str) -> Account:
    account = Account(name=name, status=ACCOUNT_ACTIVE)
    session.add(account)
    await session.flush()
    return account


async def get_account(*, session: AsyncSession, account_id: int) -> Account:
    """The account, or `NotFound`."""
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"No account {account_id}.", code="account_not_found")
    return account


async def list_accounts(*, session: AsyncSession) -> list[Account]:
    return list(await session.scalars(select(Account).order_by(Account.id)))


async def set_account_status(*, session: AsyncSession, account_id: int, enabled: bool) -> Account:
    """Enable or disable an account; a disabled account's keys stop working at once."""
    account = await get_account(session=session, account_id=account_id)
    account.status = ACCOUNT_ACTIVE if enabled else ACCOUNT_DISABLED
    await session.flush()
    return account


async def create_key(*, session: AsyncSession, account_id: int, pepper: bytes, label: str = "") -> NewKey:
    """A fresh key for the account. The secret is returned once and stored only as a hash."""
    await get_account(session=session, account_id=account_id)
    for _ in range(KEY_ATTEMPTS):
        access_key, secret = new_access_key(), new_secret()
        row = ApiKey(
            account_id=account_id,
            access_key=access_key,
            secret_hash=hash_secret(pepper, secret),
            secret_hint=secret[-4:],
            secret_sealed=seal(pepper, access_key, secret),
            label=label,
        )
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:  # an access key already taken: draw again
            continue
        return NewKey(access_key=access_key, secret_key=secret)
    raise Conflict("Could not draw an unused access key; try again.", code="key_collision")


async def list_keys(*, session: AsyncSession, account_id: int | None = None) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.id)
    if account_id is not None:
        query = query.where(ApiKey.account_id == account_id)
    return list(await session.scalars(query))


async def revoke_key(*, session: AsyncSession, access_key: str) -> ApiKey:
    """Revoke a key: every request with it fails from the next one on. Idempotent."""
    key = await session.scalar(select(ApiKey).where(ApiKey.access_key == access_key))
    if key is None:
        raise NotFound(f"No API key with access key {access_key}.", code="key_not_found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key


async def find_sealed_secret(*, session: AsyncSession, access_key: str) -> tuple[KeyRow, str | None] | None:
    """The key row and its sealed secret, for v1's signature check."""
    row = await find_key(session=session, access_key=access_key)
    if row is None:
        return None
    sealed = await session.scalar(select(ApiKey.secret_sealed).where(ApiKey.id == row.key_id))
    return row, sealed


async def find_key(*, session: AsyncSession, access_key: str) -> KeyRow | None:
    """The key row with its account's state, for authentication."""
    row = (
        await session.execute(
            select(ApiKey.id, ApiKey.account_id, ApiKey.secret_hash, ApiKey.revoked_at, Account.status)
            .join(Account, Account.id == ApiKey.account_id)
            .where(ApiKey.access_key == access_key)
        )
    ).first()
    if row is None:
        return None
    key_id, account_id, secret_hash, revoked_at, status = row
    active = revoked_at is None and status == ACCOUNT_ACTIVE
    return KeyRow(key_id, account_id, secret_hash, active)
