"""Keeping API secrets recoverable for the v1 API, and only for it.

v1 signs each request with HMAC-SHA1 keyed by the secret itself, so to verify it the server
needs the secret, not a hash. longcode seals each new secret with AES-256-GCM under a key
derived from the server's pepper (HMAC-SHA256 with a purpose label), bound to its access key.
Honest limits: the pepper lives in the same database, so someone holding a full copy of the
database can unseal the secrets; the sealing keeps them out of logs, dumps of single tables and
casual reads. The v2 APIs never use the sealed copy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PURPOSE = b"longcode v1 secret sealing"
_NONCE = 12


def _key(pepper: bytes) -> bytes:
    return hmac.new(pepper, _PURPOSE, hashlib.sha256).digest()


def seal(pepper: bytes, access_key: str, secret: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(_key(pepper)).encrypt(nonce, secret.encode(), access_key.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(pepper: bytes, access_key: str, sealed: str) -> str | None:
    """The secret, or None if the sealed text is not this key's (tampered, other pepper)."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        return AESGCM(_key(pepper)).decrypt(raw[:_NONCE], raw[_NONCE:], access_key.encode()).decode()
    except (InvalidTag, ValueError):
        return None
