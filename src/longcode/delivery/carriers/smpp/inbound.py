"""What an SMSC sends us (deliver_sm), taken into the database: receipts matched to our
messages, mobile-originated messages (their concatenated parts reassembled) received as inbound.

Each runs as one transaction. A receipt for a message whose `submit_sm_resp` has not been
processed yet (SMSCs can answer in either order) waits in `pending_receipt` and is applied when
the message's carrier id is stored (`apply_pending`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx, in_list, in_params, serialize
from longcode.delivery.carriers.smpp import codec, receipts
from longcode.delivery.carriers.smpp.receipts import CarrierReceipt
from longcode.delivery.receipts import UrlMemo, record_receipt
from longcode.errors import Invalid
from longcode.messaging.inbound import receive_inbound
from longcode.phone import parse_nanp


@lru_cache(maxsize=64)
def _by_carrier_id(count: int) -> Sql:
    names = in_list("f", count)
    return Sql(
        "SELECT id, account_id, from_number, body, is_mms, dlr_callback, carrier_message_id FROM message"
        f" WHERE carrier = :carrier AND carrier_message_id IN ({names}) AND stage = 'receipt'"
    )


@lru_cache(maxsize=64)
def _pending_sql(count: int) -> Sql:
    names = in_list("f", count)
    return Sql(
        "SELECT id, state, error_code, carrier_message_id FROM pending_receipt"
        f" WHERE carrier = :carrier AND carrier_message_id IN ({names}) ORDER BY id"
    )


@dataclass(frozen=True, slots=True)
class _Message:
    id: str
    account_id: int
    from_number: str
    body: str | None
    is_mms: bool
    dlr_callback: str | None


def _message(row: tuple[Any, ...]) -> _Message:
    return _Message(str(row[0]), int(row[1]), str(row[2]), row[3], bool(row[4]), row[5])


PARK = Sql(
    "INSERT INTO pending_receipt (carrier, carrier_message_id, state, error_code, received_at)"
    " VALUES (:carrier, :carrier_message_id, :state, :error_code, :now)"
)
UNPARK = Sql("DELETE FROM pending_receipt WHERE id = :id")
ANY_PARKED = Sql("SELECT 1 FROM pending_receipt WHERE carrier = :carrier LIMIT 1")
STORE_PART = Sql(
    "INSERT INTO mo_part (carrier, source, destination, reference, position, total, text, received_at)"
    " VALUES (:carrier, :source, :destination, :reference, :position, :total, :text, :now)"
    " ON CONFLICT DO NOTHING"
)
PARTS = Sql(
    "SELECT position, total, text FROM mo_part WHERE carrier = :carrier AND source = :source"
    " AND destination = :destination AND reference = :reference ORDER BY position"
)
DROP_PARTS = Sql(
    "DELETE FROM mo_part WHERE carrier = :carrier AND source = :source AND destination = :destination"
    " AND reference = :reference"
)


def _forms(carrier: str, carrier_message_ids: list[str]) -> tuple[dict[str, object], dict[str, int]]:
    """The query parameters naming every form of these ids, and which id each form is of."""
    of: dict[str, int] = {}
    for index, carrier_message_id in enumerate(carrier_message_ids):
        for form in receipts.id_forms(carrier_message_id):
            of.setdefault(form, index)
    return {"carrier": carrier, **in_params("f", of)}, of


async def take_receipts(tx: Tx, settings: Settings, carrier: str, batch: list[CarrierReceipt]) -> list[bool]:
    """Apply carrier receipts to their messages (one lookup for the batch); park each whose
    message is not known yet (or has ended already). True for each receipt applied."""
    await serialize(tx, *receipt_lock(carrier))
    params, of = _forms(carrier, [receipt.carrier_message_id for receipt in batch])
    by_id = {row[6]: _message(row) for row in await tx.fetchall(_by_carrier_id(len(of)), params)}
    applied: list[bool] = []
    ended: set[str] = set()
    urls: UrlMemo = {}
    for receipt in batch:
        forms = receipts.id_forms(receipt.carrier_message_id)
        message = next((by_id[form] for form in forms if form in by_id), None)
        if message is None or message.id in ended:  # unknown yet, or ended: parked, as alone
            await _park(tx, carrier, receipt)
            applied.append(False)
            continue
        mapped = receipts.receipt_for(receipt.state, receipt.error_code)
        await record_receipt(tx, message, mapped, base_url=settings.base_url, urls=urls)
        if mapped.final is not None:
            ended.add(message.id)
        applied.append(True)
    return applied


async def _park(tx: Tx, carrier: str, receipt: CarrierReceipt) -> None:
    await tx.execute(
        PARK,
        {
            "carrier": carrier,
            "carrier_message_id": receipt.carrier_message_id,
            "state": receipt.state,
            "error_code": receipt.error_code,
            "now": utcnow(),
        },
    )


def receipt_lock(carrier: str) -> tuple[str, str]:
    """The lock a carrier's receipts and acceptances take: a receipt is parked because its
    carrier id is not stored yet, and the acceptance storing that id looks for parked receipts;
    were they to run at once, each would miss the other's row and the receipt would stay parked."""
    return ("receipts", carrier)


async def apply_pending(tx: Tx, settings: Settings, carrier: str, carrier_message_ids: list[str]) -> None:
    """Apply receipts that arrived before these carrier ids were stored (in arrival order)."""
    if await tx.fetchone(ANY_PARKED, {"carrier": carrier}) is None:
        return  # the usual case: spares matching every form of every id of the batch
    params, of = _forms(carrier, carrier_message_ids)
    for pending_id, state, error_code, named in await tx.fetchall(_pending_sql(len(of)), params):
        await tx.execute(UNPARK, {"id": pending_id})
        one, forms = _forms(carrier, [named])
        row = await tx.fetchone(_by_carrier_id(len(forms)), one)
        if row is not None:
            await record_receipt(
                tx, _message(row), receipts.receipt_for(state, error_code), base_url=settings.base_url
            )


def nanp_or_none(address: str) -> str | None:
    try:
        return parse_nanp(address, field="address")
    except Invalid:
        return None


async def take_mo(
    tx: Tx,
    settings: Settings,
    carrier: str,
    *,
    source: str,
    destination: str,
    short_message: bytes,
    esm_class: int,
    data_coding: int,
) -> str | None:
    """Receive a mobile-originated message (or one part of it); the inbound id once complete."""
    sender, number = nanp_or_none(source), nanp_or_none(destination)
    if sender is None or number is None:
        return None
    concatenation, payload = codec.split_udh(short_message, esm_class)
    text = codec.decode_text(payload, data_coding)
    if concatenation is None:
        return await receive_inbound(tx, settings, to=number, from_=sender, body=text)
    key = {"carrier": carrier, "source": sender, "destination": number, "reference": concatenation.reference}
    # Parts arrive concurrently (binds, processes): unserialized, two transactions could each
    # store one part, neither see the other's, and the message would never be completed.
    await serialize(tx, "mo", carrier, sender, number, concatenation.reference)
    await tx.execute(
        STORE_PART,
        {
            **key,
            "position": concatenation.position,
            "total": concatenation.total,
            "text": text,
            "now": utcnow(),
        },
    )
    stored = await tx.fetchall(PARTS, key)
    if len(stored) < concatenation.total:
        return None
    await tx.execute(DROP_PARTS, key)
    body = "".join(part[2] for part in stored)
    return await receive_inbound(tx, settings, to=number, from_=sender, body=body)
