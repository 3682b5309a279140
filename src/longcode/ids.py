"""Random identifiers, cheaply: one `os.urandom` call serves 256 ids.

`uuid.uuid4()` makes a system call per id, about 6% of a send on the event loop. The bytes are
the same kind (the OS CSPRNG); they are only fetched in bulk. `list.pop` is atomic, so threads
may share the pool.
"""

from __future__ import annotations

import os

_BATCH = 256
_pool: list[str] = []


def random_hex32() -> str:
    """32 random hex digits (128 bits), like `uuid4().hex` but without the version bits."""
    try:
        return _pool.pop()
    except IndexError:
        chunk = os.urandom(16 * _BATCH).hex()
        _pool.extend(chunk[i : i + 32] for i in range(0, len(chunk), 32))
        return _pool.pop()
