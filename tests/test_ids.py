"""Random ids: 32 hex digits, drawn in bulk, never repeated."""

from __future__ import annotations

import re

from longcode.ids import random_hex32


def test_random_hex32_shape_and_uniqueness_across_refills():
    drawn = [random_hex32() for _ in range(5000)]  # many refills of the 256-id pool
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in drawn)
    assert len(set(drawn)) == len(drawn)
