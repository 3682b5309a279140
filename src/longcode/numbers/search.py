"""Searching the purchasable numbers, on the fast read path (one step, raw SQL; `db/tx.py`).

Every query runs over the numbers nobody holds through partial indexes (`account_id IS NULL`),
in number order so paging is stable:
- `starts_with`: a range of the primary key (`value >= '1206' AND value < '1207'`).
- `state`, `rate_center`, `number_type`: their own `(…, value)` partial indexes.
- `contains` / `ends_with` of three digits or more: a trigram index finds the few candidates
  (FTS5 on SQLite, pg_trgm on PostgreSQL where the extension is available), read in number order,
  so the first page costs a handful of lookups. Shorter patterns match so many numbers that a
  scan in number order fills a page after a few hundred rows.
- area codes and exchanges: a loose index scan (one seek per distinct code), not a `DISTINCT`
  over the whole inventory.
A number released by an account rests (`available_at` in the future) and is skipped until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from longcode.accounts.queries import require_active_key
from longcode.db.tx import Sql, Tx
from longcode.types import E164, Nanodollars

TRIGRAM = 3
AVAILABLE_COLUMNS = "n.value, n.number_type, n.rate_center, n.state, n.setup_cost, n.monthly_cost"


@dataclass(frozen=True, slots=True)
class NumberFilters:
    """What a search asks for; digits already normalised (`starts_with` with its leading 1)."""

    starts_with: str | None = None
    contains: str | None = None
    ends_with: str | None = None
    state: str | None = None
    rate_center: str | None = None
    number_type: str | None = None
    max_setup_cost: Nanodollars | None = None


@dataclass(frozen=True, slots=True)
class Available:
    value: E164
    number_type: str
    rate_center: str | None
    state: str | None
    setup_cost: Nanodollars
    monthly_cost: Nanodollars


def _prefix_bounds(prefix: str) -> tuple[str, str]:
    """`'1206'` -> `('1206', '1206~')`: every 11-digit value starting so sorts inside."""
    return prefix, prefix + "~"


@lru_cache(maxsize=512)
def _search_sql(dialect: str, shape: tuple[bool, ...]) -> Sql:
    starts, contains, ends, state, rate_center, number_type, cost, trigram = shape
    where = ["n.account_id IS NULL", "n.available_at <= :now"]
    if starts:
        where.append("n.value >= :lo AND n.value < :hi")
    if state:
        where.append("n.state = :state")
    if rate_center:
        where.append("n.rate_center = :rate_center")
    if number_type:
        where.append("n.number_type = :number_type")
    if cost:
        where.append("n.setup_cost <= :max_setup_cost")
    if contains:
        where.append("n.value LIKE :contains_like")
    if ends:
        where.append("n.value LIKE :ends_like")
    order = "n.value"
    source = "number n"
    if trigram and dialect == "sqlite":
        # Candidates from the trigram index, in rowid (= number) order; each one looked up.
        source = "number_fts f JOIN number n ON n.value = CAST(f.rowid AS TEXT)"
        where.append("number_fts MATCH :phrase")
        if starts:
            where.append("f.rowid >= :lo_int AND f.rowid < :hi_int")
        order = "f.rowid"
    return Sql(
        f"SELECT {AVAILABLE_COLUMNS} FROM {source} WHERE {' AND '.join(where)}"
        f" ORDER BY {order} LIMIT :limit OFFSET :offset"
    )


def _phrase(filters: NumberFilters) -> str | None:
    """The longest of `contains` / `ends_with` when it is long enough for the trigram index."""
    patterns = [p for p in (filters.contains, filters.ends_with) if p and len(p) >= TRIGRAM]
    return max(patterns, key=len) if patterns else None


async def search_available(
    tx: Tx,
    *,
    dialect: str,
    key_id: int,
    filters: NumberFilters,
    limit: int,
    offset: int,
    now: datetime,
) -> tuple[list[Available], bool]:
    """One page of purchasable numbers, and whether more follow."""
    await require_active_key(tx, key_id)
    phrase = _phrase(filters)
    shape = (
        filters.starts_with is not None,
        filters.contains is not None,
        filters.ends_with is not None,
        filters.state is not None,
        filters.rate_center is not None,
        filters.number_type is not None,
        filters.max_setup_cost is not None,
        phrase is not None,
    )
    params: dict[str, object] = {"now": now, "limit": limit + 1, "offset": offset}
    if filters.starts_with is not None:
        lo, hi = _prefix_bounds(filters.starts_with)
        params.update(lo=lo, hi=hi, lo_int=int(lo.ljust(11, "0")), hi_int=int(lo.ljust(11, "9")) + 1)
    if filters.contains is not None:
        params["contains_like"] = f"%{filters.contains}%"
    if filters.ends_with is not None:
        params["ends_like"] = f"%{filters.ends_with}"
    for name in ("state", "rate_center", "number_type", "max_setup_cost"):
        value = getattr(filters, name)
        if value is not None:
            params[name] = value
    if phrase is not None:
        params["phrase"] = f'"{phrase}"'
    sql = _search_sql(dialect, shape)
    rows = [Available(*row) for row in await tx.fetchall(sql, _used(sql, params))]
    return rows[:limit], len(rows) > limit


def _used(sql: Sql, params: dict[str, object]) -> dict[str, object]:
    """Only the parameters the statement names (sqlite3 and asyncpg both insist)."""
    _, names = sql.positional
    return {name: params[name] for name in names}


# A loose index scan: each step seeks the first available number past the previous code.
_CODES = """
WITH RECURSIVE codes(value) AS (
    SELECT ({first})
    UNION ALL
    SELECT ({next}) FROM codes WHERE codes.value IS NOT NULL
)
SELECT substr(value, 2, {width}) FROM codes WHERE value IS NOT NULL LIMIT :limit OFFSET :offset
"""
_SEEK = (
    "SELECT n.value FROM number n WHERE n.account_id IS NULL AND n.available_at <= :now"
    " AND n.setup_cost <= :max_setup_cost AND n.value < :hi AND {after}"
    " ORDER BY n.value LIMIT 1"
)


def _codes_sql(width: int) -> Sql:
    """Distinct area codes (`width` 3) or exchanges (6) of available numbers in [lo, hi)."""
    tail = "9" * (10 - width)
    first = _SEEK.format(after="n.value >= :lo")
    following = _SEEK.format(after=f"n.value > substr(codes.value, 1, {1 + width}) || '{tail}'")
    return Sql(_CODES.format(first=first, next=following, width=width))


AREA_CODES = _codes_sql(3)
EXCHANGES = _codes_sql(6)
NO_COST_LIMIT = 2**62


async def available_codes(
    tx: Tx,
    *,
    key_id: int | None,
    width: int,
    prefix: str,
    max_setup_cost: Nanodollars | None,
    limit: int,
    offset: int,
    now: datetime,
) -> tuple[list[str], bool]:
    """Area codes (`width` 3) or exchanges (`width` 6) with numbers to buy, in order, whose
    numbers start with `prefix` (`'1'`, or `'1206'` for one area code's exchanges)."""
    if key_id is not None:
        await require_active_key(tx, key_id)
    lo, hi = _prefix_bounds(prefix)
    params = {
        "lo": lo,
        "hi": hi,
        "now": now,
        "max_setup_cost": NO_COST_LIMIT if max_setup_cost is None else max_setup_cost,
        "limit": limit + 1,
        "offset": offset,
    }
    sql = AREA_CODES if width == 3 else EXCHANGES
    codes = [str(row[0]) for row in await tx.fetchall(sql, params)]
    return codes[:limit], len(codes) > limit
