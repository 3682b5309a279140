"""Type aliases shared across domains, named once (as Starlette's `types.py`)."""

from __future__ import annotations

from typing import TypeAlias

AccountId: TypeAlias = int
E164: TypeAlias = str
"""An 11-digit NANP number without `+`, as the Flowroute API stores and shows it: `12066418000`."""
Nanodollars: TypeAlias = int
"""Money: 1 USD = 1,000,000,000 nanodollars, always an integer."""
