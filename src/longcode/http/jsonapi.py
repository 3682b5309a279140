"""JSON:API responses as Flowroute sends them (`application/vnd.api+json`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

MEDIA_TYPE = "application/vnd.api+json"


def dumps(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


class JsonApiResponse(Response):
    media_type = MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return dumps(content)


def timestamp_mdr2(moment: datetime) -> str:
    """Flowroute's MDR2 time: UTC, two fractional digits, `Z` (`2017-12-22T01:52:39.39Z`)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 10000:02d}Z"


def timestamp_mdr1(moment: datetime) -> str:
    """Flowroute's legacy v2 MDR time: microseconds and `+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
