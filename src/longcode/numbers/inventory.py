"""The inventory: the numbers nobody holds, which accounts can search and buy.

Three ways in: `generate` (the sandbox's realistic default), `read_csv` + `add` (an operator's
own numbers), and numbers released by accounts, which come back after aging.

CSV columns (header required, any order): `number` (required, any NANP form), `number_type`
(`standard` or `tollfree`; default from the area code), `rate_center` and `state` (default from
the exchange's geography; required for exchanges `phonenumbers` does not know), `setup_cost` and
`monthly_cost` (dollars, such as `1.00`; default $1.00 and $1.25).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.db.base import sqlite_time, utcnow
from longcode.errors import Invalid
from longcode.money import parse_dollars
from longcode.numbers.geography import Exchange, exchange_of, exchanges
from longcode.numbers.models import ORIGIN_INVENTORY, TYPE_STANDARD, TYPE_TOLLFREE, Number
from longcode.phone import TOLL_FREE_NPAS, InvalidNumber, is_toll_free, parse_nanp
from longcode.types import E164, Nanodollars

DEFAULT_SETUP: Nanodollars = 1_000_000_000  # $1.00, Flowroute's documented setup cost
DEFAULT_MONTHLY: Nanodollars = 1_250_000_000  # $1.25 a month
PREMIUM_SETUP: Nanodollars = 10_000_000_000  # $10.00 for memorable lines (x000, xxxx)
TOLL_FREE_SHARE = 0.1
BATCH = 20_000
CSV_COLUMNS = ("number", "number_type", "rate_center", "state", "setup_cost", "monthly_cost")


@dataclass(frozen=True, slots=True)
class InventoryRow:
    value: E164
    number_type: str
    rate_center: str | None
    state: str | None
    iso_country: str
    setup_cost: Nanodollars
    monthly_cost: Nanodollars


def is_memorable(line: str) -> bool:
    return line.endswith("000") or len(set(line)) == 1


def _standard(value: E164, rate_center: str | None, state: str | None, country: str) -> InventoryRow:
    setup = PREMIUM_SETUP if is_memorable(value[7:]) else DEFAULT_SETUP
    return InventoryRow(value, TYPE_STANDARD, rate_center, state, country, setup, DEFAULT_MONTHLY)


def _toll_free(value: E164) -> InventoryRow:
    setup = PREMIUM_SETUP if is_memorable(value[7:]) else DEFAULT_SETUP
    return InventoryRow(value, TYPE_TOLLFREE, None, None, "US", setup, DEFAULT_MONTHLY)


def generate(count: int, *, seed: int) -> Iterator[InventoryRow]:
    """`count` distinct, valid numbers, the same for the same seed: long codes spread over the
    real US and Canadian exchanges `phonenumbers` knows (with their places), and one in ten
    toll-free. Exchange 555 is left out: its 01XX lines are fiction and the demo's."""
    rng = random.Random(seed)
    places = [e for key, e in sorted(exchanges().items()) if e.nxx != "555" and e.nxx[1:] != "11"]
    toll_free = sorted(TOLL_FREE_NPAS)
    seen: set[str] = set()
    while len(seen) < count:
        line = f"{rng.randrange(10_000):04d}"
        if rng.random() < TOLL_FREE_SHARE:
            nxx = f"{rng.randrange(200, 1000)}"
            if nxx == "555" or nxx[1:] == "11":
                continue
            value = f"1{rng.choice(toll_free)}{nxx}{line}"
            row = _toll_free(value)
        else:
            place = rng.choice(places)
            value = f"1{place.npa}{place.nxx}{line}"
            row = _standard(value, place.rate_center, place.state, place.iso_country)
        if value in seen:
            continue
        seen.add(value)
        yield row


def row_for(value: E164) -> InventoryRow:
    """What the inventory knows of any valid number: its type, place and default costs."""
    if is_toll_free(value):
        return _toll_free(value)
    place = exchange_of(value) or _area_fallback(value)
    if place is None:
        return _standard(value, None, None, "US")
    return _standard(value, place.rate_center, place.state, place.iso_country)


def _area_fallback(value: E164) -> Exchange | None:
    return _common_place(value[1:4])


@cache
def _common_place(npa: str) -> Exchange | None:
    """The most common place of an area code, for exchanges not in the geography (such as the
    fictional 555)."""
    candidates = [e for e in exchanges().values() if e.npa == npa]
    if not candidates:
        return None
    common = Counter((e.rate_center, e.state) for e in candidates).most_common(1)[0][0]
    return next(e for e in candidates if (e.rate_center, e.state) == common)


class CsvError(Invalid):
    """A row of an inventory file that cannot be imported; names the line."""

    code = "inventory_row_invalid"


def read_csv(path: Path) -> list[InventoryRow]:
    """Every row of `path`, checked; the first bad row raises `CsvError` with its line number."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        if "number" not in header:
            raise CsvError(
                f"{path}: line 1: the header must name a 'number' column (columns: {CSV_COLUMNS})."
            )
        unknown = set(header) - set(CSV_COLUMNS)
        if unknown:
            raise CsvError(f"{path}: line 1: unknown columns {sorted(unknown)} (known: {CSV_COLUMNS}).")
        rows: list[InventoryRow] = []
        seen: dict[str, int] = {}
        for raw in reader:
            line = reader.line_num
            fields = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
            row = _parse_row(fields, f"{path}: line {line}")
            if row.value in seen:
                raise CsvError(f"{path}: line {line}: {row.value} is also on line {seen[row.value]}.")
            seen[row.value] = line
            rows.append(row)
    return rows


def _parse_row(fields: dict[str, str], where: str) -> InventoryRow:
    try:
        value = parse_nanp(fields.get("number", ""), field="number")
    except InvalidNumber as exc:
        raise CsvError(f"{where}: {exc.detail}") from None
    base = row_for(value)
    number_type = fields.get("number_type") or base.number_type
    if number_type not in (TYPE_STANDARD, TYPE_TOLLFREE):
        raise CsvError(f"{where}: number_type must be 'standard' or 'tollfree', not {number_type!r}.")
    if (number_type == TYPE_TOLLFREE) != is_toll_free(value):
        raise CsvError(f"{where}: {value} is {'' if is_toll_free(value) else 'not '}a toll-free number.")
    state = (fields.get("state") or base.state or "").lower() or None
    rate_center = (fields.get("rate_center") or base.rate_center or "").lower() or None
    if number_type == TYPE_STANDARD and (state is None or rate_center is None):
        raise CsvError(f"{where}: the place of {value} is unknown; give its rate_center and state.")
    if state is not None and (len(state) != 2 or not state.isalpha()):
        raise CsvError(f"{where}: state must be a two-letter code, not {state!r}.")
    costs = {}
    for name, default in (("setup_cost", base.setup_cost), ("monthly_cost", base.monthly_cost)):
        text = fields.get(name)
        try:
            costs[name] = parse_dollars(text) if text else default
        except ValueError:
            raise CsvError(f"{where}: {name} must be dollars such as 1.25, not {text!r}.") from None
    return InventoryRow(
        value, number_type, rate_center, state, base.iso_country, costs["setup_cost"], costs["monthly_cost"]
    )


async def existing(session: AsyncSession, values: list[E164]) -> set[E164]:
    found: set[E164] = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        found.update(await session.scalars(select(Number.value).where(Number.value.in_(chunk))))
    return found


INSERT_NUMBER = text(
    "INSERT INTO number (value, account_id, number_type, sms_enabled, mms_enabled, created_at,"
    " rate_center, state, iso_country, setup_cost, monthly_cost, available_at, origin,"
    " cnam_lookups_enabled, billing_method)"
    " VALUES (:value, NULL, :number_type, :yes, :yes, :now, :rate_center, :state, :iso_country,"
    " :setup_cost, :monthly_cost, :now, 'inventory', :no, 'METERED')"
)
# SQLite's trigram index over every number (see the 0002 migration); rowid = the number.
INDEX_TRIGRAMS = text("INSERT INTO number_fts (rowid, value) VALUES (:rowid, :value)")


async def add(
    session: AsyncSession,
    rows: Iterable[InventoryRow],
    *,
    skip_existing: bool,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert rows as purchasable numbers; the caller commits (so a file goes in whole or not
    at all). A number already on the platform is skipped, or refused (`skip_existing=False`).

    Raw statements in batches: the ORM's per-row work made a 100,000-number start take 45 s.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    moment = utcnow()
    now: object = sqlite_time(moment) if sqlite else moment
    added = 0
    batch: list[InventoryRow] = []

    async def flush() -> None:
        nonlocal added
        known = await existing(session, [row.value for row in batch])
        if known and not skip_existing:
            raise CsvError(f"already on the platform: {', '.join(sorted(known)[:5])}", code="number_exists")
        fresh = sorted((row for row in batch if row.value not in known), key=lambda row: row.value)
        if fresh:
            await session.execute(
                INSERT_NUMBER, [{**asdict(row), "now": now, "yes": True, "no": False} for row in fresh]
            )
            if sqlite:
                await session.execute(
                    INDEX_TRIGRAMS, [{"rowid": int(row.value), "value": row.value} for row in fresh]
                )
        added += len(fresh)
        batch.clear()
        if progress is not None:
            progress(added)

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return added


@dataclass(frozen=True, slots=True)
class Stats:
    available: int
    aging: int
    held: int
    by_type: dict[str, int]
    area_codes: int


async def stats(session: AsyncSession) -> Stats:
    now = utcnow()
    unheld = Number.account_id.is_(None)
    available = await session.scalar(
        select(func.count()).where(unheld, Number.available_at <= now).select_from(Number)
    )
    aging = await session.scalar(
        select(func.count()).where(unheld, Number.available_at > now).select_from(Number)
    )
    held = await session.scalar(
        select(func.count()).where(Number.account_id.is_not(None)).select_from(Number)
    )
    rows = await session.execute(
        select(Number.number_type, func.count()).where(unheld).group_by(Number.number_type)
    )
    by_type = {str(kind): int(count) for kind, count in rows.all()}
    area_codes = await session.scalar(
        select(func.count(func.distinct(func.substr(Number.value, 2, 3)))).where(unheld)
    )
    return Stats(available or 0, aging or 0, held or 0, by_type, area_codes or 0)


async def is_seeded(session: AsyncSession) -> bool:
    """Whether any number ever entered through the inventory (so a first start knows)."""
    first = await session.scalar(select(Number.value).where(Number.origin == ORIGIN_INVENTORY).limit(1))
    return first is not None
