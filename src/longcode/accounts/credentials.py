"""API credentials: generating keys and hashing secrets with a fast keyed hash.

Secrets are 32 random characters (about 190 bits), so a slow password hash buys nothing; an
HMAC-SHA256 under a server-wide pepper (kept in the database, shared by every process) means a
stolen table alone does not reveal or verify secrets, and verification costs a microsecond.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from longcode.db import server_settings

PEPPER_SETTING = "credential_pepper"
ACCESS_KEY_DIGITS = 8
SECRET_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 32


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key as shown once, at creation: the only time the secret exists in clear."""

    access_key: str
    secret_key: str


def new_access_key() -> str:
    """An 8-digit access key, the shape Flowroute uses (its tech prefix)."""
    return str(secrets.randbelow(9 * 10 ** (ACCESS_KEY_DIGITS - 1)) + 10 ** (ACCESS_KEY_DIGITS - 1))


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def hash_secret(pepper: bytes, secret: str) -> str:
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def secret_matches(pepper: bytes, secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(pepper, secret), stored_hash)


async def load_pepper(session: AsyncSession) -> bytes:
    """The server-wide pepper, created on first use and shared by every process via the DB."""
    return bytes.fromhex(await server_settings.get_or_create(session, PEPPER_SETTING))
