"""Messaging v2 (legacy): the seed's curl example, `content` for `body`, the mdr1 record."""

from __future__ import annotations

import re

from tests.factories import basic
from tests.support.errors import assert_error


async def test_send_message_v2_seed_example_answers_200_mdr1(client, account):
    body = {"to": "12066418000", "from": account.numbers[0], "body": "example body"}
    response = await client.post("/v2/messages", json=body, headers=basic(account))
    assert response.status_code == 200
    assert re.fullmatch(r"mdr1-[0-9a-f]{32}", response.json()["data"]["id"])


async def test_send_message_v2_accepts_content_alias(client, account):
    body = {"to": "15305557784", "from": account.numbers[0], "content": "Gee, nice marmot!"}
    response = await client.post("/v2/messages", json=body, headers=basic(account))
    message_id = response.json()["data"]["id"]
    record = await client.get(f"/v2/messages/{message_id}", headers=basic(account))
    attributes = record.json()["data"]["attributes"]
    assert attributes["body"] == "Gee, nice marmot!"
    assert attributes["has_mms"] is False
    assert attributes["message_type"] == "long-code"
    assert attributes["amount_display"] == "$0.0040"
    assert attributes["timestamp"].endswith("+00:00")


async def test_send_message_v2_refuses_mms(client, account):
    body = {"to": "15305557784", "from": account.numbers[0], "body": "x", "media_urls": ["http://a.b/c.png"]}
    response = await client.post("/v2/messages", json=body, headers=basic(account))
    assert_error(response, 422, "mms_not_supported", "/v2.1/messages")


async def test_list_messages_v2_returns_legacy_records(client, account):
    await client.post(
        "/v2/messages",
        json={"to": "15305557784", "from": account.numbers[0], "body": "a"},
        headers=basic(account),
    )
    response = await client.get("/v2/messages", params={"start_date": "2000-01-01"}, headers=basic(account))
    (item,) = response.json()["data"]
    assert item["attributes"]["type"] == "messages"


async def test_get_message_v2_of_another_account_is_not_found(client, account, other_account):
    response = await client.post(
        "/v2/messages",
        json={"to": "15305557784", "from": account.numbers[0], "body": "a"},
        headers=basic(account),
    )
    message_id = response.json()["data"]["id"]
    assert_error(
        await client.get(f"/v2/messages/{message_id}", headers=basic(other_account)), 404, "message_not_found"
    )
