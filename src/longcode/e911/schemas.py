"""Wire shapes of E911 records (v2)."""

from __future__ import annotations

from typing import Any

from longcode.e911.addresses import FIELDS
from longcode.e911.models import E911Address


def e911_resource(record: E911Address, base: str) -> dict[str, Any]:
    return {
        "attributes": {field: getattr(record, field) for field in FIELDS},
        "id": str(record.id),
        "links": {"self": f"{base}/v2/e911s/{record.id}"},
        "type": "e911",
    }
