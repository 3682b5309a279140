"""Wire shapes of CNAM records (v2)."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any

from longcode.cnam.models import APPROVED, CnamRecord


def cnam_time(moment: datetime | None) -> str | None:
    """Flowroute's CNAM time: `2018-04-16 16:20:32.939166+00:00`."""
    return None if moment is None else moment.isoformat(sep=" ", timespec="microseconds")


def cnam_resource(record: CnamRecord, base: str) -> dict[str, Any]:
    return {
        "attributes": {
            "approval_datetime": cnam_time(record.decided_at) if record.status == APPROVED else None,
            "creation_datetime": cnam_time(record.created_at),
            "is_approved": record.status == APPROVED,
            "rejection_reason": record.rejection_reason,
            "value": record.value,
        },
        "id": str(record.id),
        "links": {"self": f"{base}/v2/cnams/{record.id}"},
        "type": "cnam",
    }


def assignment_document(cnam_id: int | None, moment: datetime) -> dict[str, Any]:
    """The 202 body of assigning (id) or unassigning (null) a number's CNAM record."""
    return {
        "data": {
            "attributes": {"date_created": format_datetime(moment, usegmt=True)},
            "id": cnam_id,
            "type": "cnam",
        }
    }
