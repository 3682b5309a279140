"""HTTP Basic authentication with `access_key:secret_key`, as every v2/v2.1 Flowroute API uses."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.accounts import service as accounts_service
from longcode.accounts.credentials import secret_matches
from longcode.accounts.service import KeyRow
from longcode.errors import Unauthorized
from longcode.http.state import AppState, SessionDep, StateDep

MAX_ACCESS_KEY = 64


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the account, and the key it used."""

    account_id: int
    key_id: int
    access_key: str


def parse_basic(header: str | None) -> tuple[str, str]:
    """`(access_key, secret)` from an `Authorization: Basic ...` header, or `Unauthorized`."""
    if not header:
        raise Unauthorized(
            "Authentication required: use HTTP Basic with your access key and secret key.",
            code="credentials_missing",
        )
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise Unauthorized(
            "Only HTTP Basic authentication is accepted (access key : secret key).",
            code="credentials_malformed",
        )
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized(
            "The Basic credentials are not valid base64 of 'access_key:secret_key'.",
            code="credentials_malformed",
        ) from None
    access_key, sep, secret = decoded.partition(":")
    if not sep or not access_key or len(access_key) > MAX_ACCESS_KEY or not access_key.isprintable():
        raise Unauthorized(
            "The Basic credentials must be 'access_key:secret_key'.", code="credentials_malformed"
        )
    return access_key, secret


def _failed() -> Unauthorized:
    # One message for every failure, so a caller cannot probe which keys exist.
    return Unauthorized("Authentication failed.", code="authentication_failed")


def check(row: KeyRow | None, pepper: bytes, access_key: str, secret: str) -> Principal:
    if row is None or not row.active or not secret_matches(pepper, secret, row.secret_hash):
        raise _failed()
    return Principal(account_id=row.account_id, key_id=row.key_id, access_key=access_key)


async def authenticate(session: AsyncSession, state: AppState, header: str | None) -> Principal:
    """Verify against the database now: revocation and disabling take effect at once."""
    access_key, secret = parse_basic(header)
    row = await accounts_service.find_key(session=session, access_key=access_key)
    return check(row, state.pepper, access_key, secret)


async def authenticate_cached(state: AppState, header: str | None) -> Principal:
    """Verify with cached credentials, for handlers whose step re-checks the key.

    The read or write step of the request re-checks the key and account inside its own
    transaction, so the cache never lets a revoked key or a disabled account through.
    """
    if header is not None:
        known = state.credentials.headers.get(header)
        if known is not None:
            return Principal(account_id=known[1].account_id, key_id=known[1].key_id, access_key=known[0])
    access_key, secret = parse_basic(header)
    row = state.credentials.rows.get(access_key)
    if row is None:
        async with state.sessions() as session:
            row = await accounts_service.find_key(session=session, access_key=access_key)
        if row is not None and row.active:
            state.credentials.rows.put(access_key, row)
    principal = check(row, state.pepper, access_key, secret)
    assert header is not None and row is not None  # check() raised otherwise
    state.credentials.headers.put(header, (access_key, row))
    return principal


async def current_principal(request: Request, session: SessionDep, state: StateDep) -> Principal:
    return await authenticate(session, state, request.headers.get("authorization"))


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""Verified against the database now; for handlers that work through a session."""


async def cached_principal(request: Request, state: StateDep) -> Principal:
    return await authenticate_cached(state, request.headers.get("authorization"))


CachedPrincipal = Annotated[Principal, Depends(cached_principal)]
"""Verified against a cached key row; only for handlers whose read or write step re-checks the
key inside its own transaction (`accounts.queries.require_active_key`)."""
