"""The sandbox carrier's delays and failure ratio, changeable while it runs.

Kept in `server_setting` (every process sees a change); settings give the starting values.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from longcode.config import Settings
from longcode.db.tx import Sql, Tx
from longcode.errors import Invalid

PREFIX = "sandbox."
READ = Sql("SELECT name, value FROM server_setting WHERE name LIKE 'sandbox.%'")
UPSERT = Sql(
    "INSERT INTO server_setting (name, value) VALUES (:name, :value)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)
CLEAR = Sql("DELETE FROM server_setting WHERE name LIKE 'sandbox.%'")


@dataclass(frozen=True, slots=True)
class Knobs:
    receipt_delay_seconds: float
    """Between a submit and its final receipt."""
    delayed_receipt_seconds: float
    """The receipt delay of the magic "delayed receipt" number."""
    failure_ratio: float
    """Share of ordinary destinations that end undeliverable, at random."""


LIMITS = {"receipt_delay_seconds": 3600.0, "delayed_receipt_seconds": 86400.0, "failure_ratio": 1.0}


def defaults(settings: Settings) -> Knobs:
    return Knobs(
        settings.sandbox_receipt_delay_seconds,
        settings.sandbox_delayed_receipt_seconds,
        settings.sandbox_failure_ratio,
    )


async def read(tx: Tx, settings: Settings) -> Knobs:
    knobs = defaults(settings)
    stored = {name.removeprefix(PREFIX): float(value) for name, value in await tx.fetchall(READ, {})}
    return replace(knobs, **{key: value for key, value in stored.items() if key in LIMITS})


def validate(changes: dict[str, Any]) -> dict[str, float]:
    """The changes as numbers in range, or `Invalid` naming the first wrong one."""
    clean: dict[str, float] = {}
    for name, value in changes.items():
        if name not in LIMITS:
            known = ", ".join(field.name for field in fields(Knobs))
            raise Invalid(
                f"Unknown sandbox setting {name!r}; use: {known}.", code="unknown_setting", pointer=name
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= LIMITS[name]:
            raise Invalid(
                f"{name!r} must be a number from 0 to {LIMITS[name]:g}: got {value!r}.",
                code="invalid_setting",
                pointer=name,
            )
        clean[name] = float(value)
    return clean


async def write(tx: Tx, changes: dict[str, float]) -> None:
    for name, value in changes.items():
        await tx.execute(UPSERT, {"name": PREFIX + name, "value": repr(value)})


async def reset(tx: Tx) -> None:
    await tx.execute(CLEAR, {})
