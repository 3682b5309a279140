"""A short-lived cache of verified credentials for the hot paths.

Two maps: access key -> key row (so a new header needs no database read), and an exact
`Authorization` header already verified -> its principal (so a repeated header needs neither
base64 nor HMAC). Either way the request's own read or write step re-checks the key and its
account in the database (`accounts.queries`), so revoking a key or disabling an account takes
effect from the very next request, cache or not. Entries live `TTL_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from longcode.accounts.service import KeyRow

TTL_SECONDS = 30.0
MAX_ENTRIES = 10_000

V = TypeVar("V")


class TtlMap(Generic[V]):
    """A dict whose entries expire; cleared whole if it ever grows past `MAX_ENTRIES`."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self._ttl = ttl
        self._entries: dict[str, tuple[V, float]] = {}

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    def put(self, key: str, value: V) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = (value, time.monotonic() + self._ttl)

    def drop(self, key: str) -> None:
        self._entries.pop(key, None)

    def drop_where(self, predicate: Callable[[V], bool]) -> None:
        for key in [key for key, (value, _) in self._entries.items() if predicate(value)]:
            self._entries.pop(key, None)


class CredentialCache:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.rows: TtlMap[KeyRow] = TtlMap(ttl)
        self.headers: TtlMap[tuple[str, KeyRow]] = TtlMap(ttl)
        """`Authorization` header -> (access key, key row), for headers that verified."""

    def forget(self, access_key: str) -> None:
        """Drop everything about a key (it was found revoked or disabled)."""
        self.rows.drop(access_key)
        self.headers.drop_where(lambda value: value[0] == access_key)
