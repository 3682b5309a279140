"""On-net delivery: the destination is a number on this platform, so the message becomes an
inbound message of the account holding it, and the sender's message ends `delivered`."""

from __future__ import annotations

from longcode.config import Settings
from longcode.db.tx import Sql, Tx
from longcode.delivery import statuses
from longcode.delivery.queue import Claimed
from longcode.delivery.receipts import record_receipt
from longcode.delivery.steps import guard, stored_files
from longcode.messaging.inbound import receive_inbound

ON_NET = Sql("SELECT 1 FROM number WHERE value = :value AND account_id IS NOT NULL")
ON_NET_CARRIER = "on-net"
MARK = Sql("UPDATE message SET carrier = :carrier WHERE id = :id")


async def is_on_net(tx: Tx, number: str) -> bool:
    return await tx.fetchone(ON_NET, {"value": number}) is not None


async def deliver(tx: Tx, settings: Settings, message: Claimed) -> None:
    """One transaction: the inbound copy (with the sender's fetched media), then the sender's
    two receipts. The inbound's `origin_id` keeps a re-run from making a second copy."""
    await guard(tx, message)
    await receive_inbound(
        tx,
        settings,
        to=message.to_number,
        from_=message.from_number,
        body=message.body,
        is_mms=message.is_mms,
        files=await stored_files(tx, message.id),
        origin_id=message.id,
    )
    await tx.execute(
        Sql("UPDATE message SET carrier = :carrier WHERE id = :id"),
        {"carrier": ON_NET_CARRIER, "id": message.id},
    )
    await record_receipt(tx, message, statuses.SUBMITTED, base_url=settings.base_url)
    await record_receipt(tx, message, statuses.DELIVERED, base_url=settings.base_url)
