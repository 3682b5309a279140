"""How long a temporary failure waits: exponential backoff with jitter."""

from __future__ import annotations

import random


def backoff(retries: int, *, base: float, cap: float) -> float:
    """Seconds before try number `retries + 1`: base * 2**retries, at most `cap`, then between
    half and all of that at random ("equal jitter"), so a burst of failures does not return
    as one burst."""
    ceiling: float = min(cap, base * float(2 ** min(retries, 32)))
    jitter: float = random.uniform(0, ceiling / 2)
    return ceiling / 2 + jitter
