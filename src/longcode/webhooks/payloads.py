"""What customers receive, shaped as Flowroute posts it (docs/webhooks.md has examples)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from longcode.delivery.statuses import Receipt
from longcode.messaging.queries import MessageRecord
from longcode.messaging.schemas import mdr2


class OutboundFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def body(self) -> str | None: ...
    @property
    def is_mms(self) -> bool: ...


def dlr_payload(message: OutboundFacts, receipt: Receipt, at: datetime, base: str) -> dict[str, Any]:
    """A delivery receipt: JSON:API `delivery_receipt` named by the message's id.

    `timestamp` keeps the captured Flowroute form (`2017-12-21T16:44:35+00:00`); `body` is
    always empty for MMS, as Flowroute documents.
    """
    return {
        "data": {
            "attributes": {
                "body": "" if message.is_mms else (message.body or ""),
                "level": receipt.level,
                "status": receipt.status,
                "status_code": receipt.status_code,
                "status_code_description": receipt.description,
                "timestamp": at.astimezone(UTC).isoformat(timespec="seconds"),
            },
            "id": message.id,
            "links": {"related": f"{base}/v2.1/messages/{message.id}"},
            "type": "delivery_receipt",
        }
    }


def inbound_payload(record: MessageRecord, callback_url: str, base: str) -> dict[str, Any]:
    """An inbound message: the receiver's MDR; SMS add `message_callback_url`, MMS list their
    media in `included` (with URLs longcode serves)."""
    resource, included = mdr2(record, base)
    if not record.message.is_mms:
        resource["attributes"]["message_callback_url"] = callback_url
        return {"data": resource}
    return {"data": resource, "included": included}
