"""On-net delivery: a message between two platform numbers becomes the receiver's inbound
message, with its own MDR and webhook, and the sender's ends delivered with receipts."""

from __future__ import annotations

import json

from tests.factories import basic
from tests.support.delivery import mdr, send, set_callback, wait_status


async def test_onnet_message_arrives_at_receiver_webhook_and_sender_gets_dlr(
    client, account, other_account, sink
):
    await set_callback(client, other_account, "sms_callback", sink.url("/inbound"))
    await set_callback(client, account, "sms_dlr_callback", sink.url("/dlr"))
    message_id = await send(client, account, other_account.numbers[0], "hello on-net")

    record = await wait_status(client, account, message_id, "delivered")
    receipts = record["attributes"]["delivery_receipts"]
    assert [(r["level"], r["status"]) for r in receipts] == [(2, "delivered"), (1, "smsc submit")]

    (inbound,) = await sink.wait_for("/inbound")
    data = inbound.json["data"]
    assert data["type"] == "message"
    attributes = data["attributes"]
    assert attributes["direction"] == "inbound"
    assert attributes["from"] == account.numbers[0]
    assert attributes["to"] == other_account.numbers[0]
    assert attributes["body"] == "hello on-net"
    assert attributes["is_mms"] is False
    assert attributes["status"] == "delivered"
    assert attributes["message_callback_url"] == sink.url("/inbound")
    assert attributes["amount_nanodollars"] == 4_000_000
    assert inbound.headers["content-type"] == "application/json"
    # The receiver's own MDR of it, charged because a callback is set.
    received = await mdr(client, other_account, data["id"])
    assert received["attributes"]["direction"] == "inbound"
    assert received["attributes"]["amount_nanodollars"] == 4_000_000

    dlrs = await sink.wait_for("/dlr", 2)
    levels = sorted(
        (d.json["data"]["attributes"]["level"], d.json["data"]["attributes"]["status"]) for d in dlrs
    )
    assert levels == [(1, "smsc submit"), (2, "delivered")]
    assert all(
        d.json["data"]["id"] == message_id and d.json["data"]["type"] == "delivery_receipt" for d in dlrs
    )


async def test_onnet_inbound_without_callback_is_free(client, account, other_account):
    message_id = await send(client, account, other_account.numbers[0], "no hook")
    await wait_status(client, account, message_id, "delivered")
    response = await client.get(
        "/v2.1/messages", params={"start_date": "2020-01-01"}, headers=basic(other_account)
    )
    (inbound,) = [m for m in response.json()["data"] if m["attributes"]["direction"] == "inbound"]
    assert inbound["attributes"]["body"] == "no hook"
    assert inbound["attributes"]["amount_nanodollars"] == 0


async def test_number_callback_wins_over_account_callback(client, account, other_account, sink):
    await set_callback(client, other_account, "sms_callback", sink.url("/account"))
    number = other_account.numbers[0]
    response = await client.post(
        f"/v2/numbers/{number}/relationships/sms_callback",
        json={"data": {"attributes": {"callback_url": sink.url("/number")}}},
        headers=basic(other_account),
    )
    assert response.status_code == 204, response.text
    await send(client, account, number, "to the number's hook")
    (hit,) = await sink.wait_for("/number")
    assert json.loads(hit.body)["data"]["attributes"]["body"] == "to the number's hook"
    assert sink.at("/account") == []
