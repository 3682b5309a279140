"""A short-lived cache of access-key rows for the send path.

Only the row (key id, account, secret hash) is cached; the secret is checked against the hash on
every request, and the send transaction re-reads the key and account state, so a revoked key or
a disabled account is refused from the very next send, cache or not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from longcode.accounts.service import KeyRow

TTL_SECONDS = 30.0
MAX_ENTRIES = 10_000


@dataclass(slots=True)
class _Entry:
    row: KeyRow
    expires: float


class CredentialCache:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self._ttl = ttl
        self._entries: dict[str, _Entry] = {}

    def get(self, access_key: str) -> KeyRow | None:
        entry = self._entries.get(access_key)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            del self._entries[access_key]
            return None
        return entry.row

    def put(self, access_key: str, row: KeyRow) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[access_key] = _Entry(row, time.monotonic() + self._ttl)

    def forget(self, access_key: str) -> None:
        self._entries.pop(access_key, None)
