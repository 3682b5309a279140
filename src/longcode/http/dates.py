"""Date and time query parameters as Flowroute clients send them.

Accepted: `YYYY-MM-DD` (midnight UTC), and any ISO 8601 date-time with or without fraction and
offset (no offset means UTC). The SDKs send `2024-01-01T00:00:00`, `...T10:00:00+00:00` and .NET's
`...T10:00:00.0000000Z`; a `+` that was not URL-encoded arrives as a space and is taken back.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from longcode.errors import Invalid

_UNENCODED_PLUS = re.compile(r"(T[\d:.]+) (\d\d:?\d\d)$")
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_datetime(raw: str, *, name: str) -> datetime:
    text = _UNENCODED_PLUS.sub(r"\1+\2", raw.strip())
    text = _LONG_FRACTION.sub(r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(
            f"'{name}' is not a date (YYYY-MM-DD) or ISO 8601 date-time: got {raw!r}.",
            code=f"invalid_{name}",
            pointer=name,
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_window(params: QueryParams, *, now: datetime) -> tuple[datetime, datetime]:
    """`start_date` (required) and `end_date` (default: now), checked to be in order."""
    raw_start = params.get("start_date")
    if not raw_start:
        raise Invalid("'start_date' is required.", code="missing_start_date", pointer="start_date")
    start = parse_datetime(raw_start, name="start_date")
    raw_end = params.get("end_date")
    end = parse_datetime(raw_end, name="end_date") if raw_end else now
    if end < start:
        raise Invalid(
            f"'end_date' ({end.isoformat()}) is before 'start_date' ({start.isoformat()}).",
            code="invalid_end_date",
            pointer="end_date",
        )
    return start, end
