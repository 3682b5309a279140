"""Recording a receipt: the row in `delivery_receipt`, the message's status, the DLR webhook.

Every path that learns something about an outbound message (on-net delivery, the sandbox
carrier, an SMPP receipt, validity expiry) ends here, in the transaction that learned it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx
from longcode.delivery.statuses import Receipt
from longcode.webhooks import events, payloads
from longcode.webhooks.models import KIND_DLR

INSERT_RECEIPT = Sql(
    "INSERT INTO delivery_receipt"
    " (message_id, level, status, status_code, status_code_description, created_at)"
    " VALUES (:message_id, :level, :status, :status_code, :description, :at)"
)
SET_STATUS = Sql("UPDATE message SET status = :status, updated_at = :at WHERE id = :id")
END_MESSAGE = Sql(
    "UPDATE message SET status = :status, stage = 'done', next_attempt_at = NULL, error = :error,"
    " updated_at = :at WHERE id = :id"
)


UrlMemo = dict[tuple[int, str, str], str | None]
"""DLR URLs by (account, number, callback type), for one transaction."""


class OutboundMessage(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def account_id(self) -> int: ...
    @property
    def from_number(self) -> str: ...
    @property
    def body(self) -> str | None: ...
    @property
    def is_mms(self) -> bool: ...
    @property
    def dlr_callback(self) -> str | None: ...


async def record_receipt(
    tx: Tx,
    message: OutboundMessage,
    receipt: Receipt,
    *,
    base_url: str,
    at: datetime | None = None,
    status_set: bool = False,
    urls: UrlMemo | None = None,
) -> None:
    """Store `receipt`, move the message's status (and end it if the receipt is final), and
    queue the DLR webhook if a URL applies. The caller holds the message (lease or state check);
    `status_set`: its own update of the message has set a non-final receipt's status already;
    `urls`: DLR URLs already looked up in this transaction (a batch of receipts shares them)."""
    at = at or utcnow()
    await tx.execute(
        INSERT_RECEIPT,
        {
            "message_id": message.id,
            "level": receipt.level,
            "status": receipt.status,
            "status_code": receipt.status_code,
            "description": receipt.description,
            "at": at,
        },
    )
    if receipt.final is None:
        if not status_set:
            await tx.execute(SET_STATUS, {"status": receipt.status, "at": at, "id": message.id})
    else:
        error = None if receipt.final == "delivered" else f"{receipt.status}: {receipt.description}"
        await tx.execute(END_MESSAGE, {"status": receipt.final, "error": error, "at": at, "id": message.id})
    url = await dlr_url(tx, message, urls)
    if url is not None:
        await events.queue_event(
            tx,
            account_id=message.account_id,
            message_id=message.id,
            kind=KIND_DLR,
            dedupe_key=f"dlr:{message.id}:{receipt.level}:{receipt.status}",
            url=url,
            payload=payloads.dlr_payload(message, receipt, at, base_url),
        )


async def dlr_url(tx: Tx, message: OutboundMessage, urls: UrlMemo | None = None) -> str | None:
    """The message's own `dlr_callback`, else its number's DLR URL, else its account's."""
    if message.dlr_callback:
        return message.dlr_callback
    callback_type = "mms_dlr_callback" if message.is_mms else "sms_dlr_callback"
    key = (message.account_id, message.from_number, callback_type)
    if urls is not None and key in urls:
        return urls[key]
    url = await events.callback_url(
        tx, account_id=message.account_id, number=message.from_number, callback_type=callback_type
    )
    if urls is not None:
        urls[key] = url
    return url
