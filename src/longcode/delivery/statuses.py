"""The states a message moves through and the receipts that report them (docs/delivery.md).

Flowroute's full table of receipt codes is not public; the two it shows (`smsc submit` at
level 1, `message buffered` 1003 at level 2) are kept, and longcode numbers its other final
states itself. An outbound message's `status` mirrors its newest receipt until it ends; then
it is `delivered` or `failed` (the receipt says why).
"""

from __future__ import annotations

from dataclasses import dataclass

MESSAGE_DELIVERED = "delivered"
MESSAGE_FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Receipt:
    level: int
    status: str
    status_code: int | None
    description: str
    final: str | None = None
    """The message's last `status` if this receipt ends it (`delivered`/`failed`), else None."""

    def because(self, detail: str) -> Receipt:
        """The same receipt with a more specific description (an SMPP error, a media URL)."""
        return Receipt(self.level, self.status, self.status_code, detail, self.final)


SUBMITTED = Receipt(1, "smsc submit", None, "Message has been sent")
BUFFERED = Receipt(2, "message buffered", 1003, "Message accepted by Carrier")
DELIVERED = Receipt(2, "delivered", 1000, "Message delivered to handset", MESSAGE_DELIVERED)
UNDELIVERABLE = Receipt(2, "undeliverable", 4001, "Unknown subscriber", MESSAGE_FAILED)
SPAM = Receipt(2, "rejected", 4002, "Rejected by the carrier as spam", MESSAGE_FAILED)
EXPIRED = Receipt(
    2, "expired", 4003, "Not delivered within the validity period: no final receipt", MESSAGE_FAILED
)
SMSC_REJECT = Receipt(1, "smsc reject", 4004, "The carrier refused the message", MESSAGE_FAILED)
DELETED = Receipt(2, "deleted", 4005, "Deleted by the carrier", MESSAGE_FAILED)
MEDIA_FAILED = Receipt(1, "media failed", 4006, "A media file could not be fetched", MESSAGE_FAILED)
UNKNOWN = Receipt(2, "unknown", 4007, "The carrier reported an unknown final state", MESSAGE_FAILED)

ALL = (
    SUBMITTED,
    BUFFERED,
    DELIVERED,
    UNDELIVERABLE,
    SPAM,
    EXPIRED,
    SMSC_REJECT,
    DELETED,
    MEDIA_FAILED,
    UNKNOWN,
)
