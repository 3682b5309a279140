"""The sandbox carrier: receipts through the states a carrier reports, and every magic number."""

from __future__ import annotations

import pytest

from tests.factories import basic
from tests.support.delivery import db_rows, send, set_callback, wait_status

# Magic numbers answer in any area code; 404 keeps them clear of the tests' own 206 numbers.
DELIVERED, UNDELIVERABLE, SPAM, THROTTLED, NO_RECEIPT, DELAYED, AUTO_REPLY = (
    f"1404555018{n}" for n in range(7)
)


def receipts(record):
    return [(r["level"], r["status"], r["status_code"]) for r in record["attributes"]["delivery_receipts"]]


async def test_ordinary_destination_is_delivered_with_two_receipts(client, account):
    message_id = await send(client, account, "13035551234")
    record = await wait_status(client, account, message_id, "delivered")
    assert receipts(record) == [(2, "delivered", 1000), (1, "smsc submit", None)]


@pytest.mark.parametrize(
    ("to", "status", "receipt"),
    [
        (DELIVERED, "delivered", (2, "delivered", 1000)),
        (UNDELIVERABLE, "failed", (2, "undeliverable", 4001)),
        (SPAM, "failed", (2, "rejected", 4002)),
        (THROTTLED, "delivered", (2, "delivered", 1000)),
    ],
)
async def test_magic_number_produces_its_outcome(client, account, to, status, receipt):
    message_id = await send(client, account, to)
    record = await wait_status(client, account, message_id, status)
    assert receipts(record)[0] == receipt
    assert receipts(record)[-1] == (1, "smsc submit", None)


async def test_throttled_number_is_retried_then_delivered(client, account, app):
    message_id = await send(client, account, THROTTLED)
    await wait_status(client, account, message_id, "delivered")
    assert await db_rows(app, "SELECT retries FROM message WHERE id = :id", id=message_id) == [(2,)]


@pytest.mark.parametrize("settings_overrides", [{"message_validity_seconds": 1}], indirect=True)
async def test_no_receipt_number_ends_failed_at_validity_expiry(client, account):
    message_id = await send(client, account, NO_RECEIPT)
    await wait_status(client, account, message_id, "smsc submit")
    record = await wait_status(client, account, message_id, "failed", timeout=5)
    assert receipts(record)[0] == (2, "expired", 4003)


@pytest.mark.parametrize("settings_overrides", [{"sandbox_delayed_receipt_seconds": 0.6}], indirect=True)
async def test_delayed_receipt_number_delivers_late(client, account):
    message_id = await send(client, account, DELAYED)
    await wait_status(client, account, message_id, "smsc submit")
    record = await wait_status(client, account, message_id, "delivered", timeout=5)
    submitted, delivered = reversed(record["attributes"]["delivery_receipts"])
    assert delivered["timestamp"] > submitted["timestamp"]


async def test_auto_reply_number_answers_as_inbound_message(client, account, sink):
    await set_callback(client, account, "sms_callback", sink.url("/in"))
    message_id = await send(client, account, AUTO_REPLY, "ping")
    await wait_status(client, account, message_id, "delivered")
    (reply,) = await sink.wait_for("/in")
    attributes = reply.json["data"]["attributes"]
    assert attributes["from"] == AUTO_REPLY
    assert attributes["to"] == account.numbers[0]
    assert attributes["body"] == f"Auto-reply from {AUTO_REPLY}: ping"


@pytest.mark.parametrize("settings_overrides", [{"sandbox_failure_ratio": 1.0}], indirect=True)
async def test_failure_ratio_fails_ordinary_destinations(client, account):
    message_id = await send(client, account, "13035551234")
    record = await wait_status(client, account, message_id, "failed")
    assert receipts(record)[0] == (2, "undeliverable", 4001)


async def test_message_is_charged_once_whatever_the_outcome(client, account):
    message_id = await send(client, account, UNDELIVERABLE)
    record = await wait_status(client, account, message_id, "failed")
    assert record["attributes"]["amount_nanodollars"] == 4_000_000
    response = await client.get(f"/v2.1/messages/{message_id}", headers=basic(account))
    assert response.json()["data"]["attributes"]["amount_nanodollars"] == 4_000_000
