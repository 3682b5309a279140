"""MMS media: fetched once by the worker, served back at an unguessable URL, with limits."""

from __future__ import annotations

import pytest

from tests.factories import basic
from tests.support.delivery import send, set_callback, wait_status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.mark.parametrize("settings_overrides", [{"media_allow_private": True}], indirect=True)
async def test_onnet_mms_media_are_fetched_and_served(client, account, other_account, sink):
    sink.media["/cat.png"] = ("image/png", PNG)
    await set_callback(client, other_account, "mms_callback", sink.url("/mms"))
    message_id = await send(
        client, account, other_account.numbers[0], "look", media_urls=[sink.url("/cat.png")], is_mms=True
    )
    await wait_status(client, account, message_id, "delivered")
    (hit,) = await sink.wait_for("/mms")
    document = hit.json
    assert document["data"]["attributes"]["is_mms"] is True
    assert document["data"]["attributes"]["status"] == ""
    (media,) = document["included"]
    assert document["data"]["relationships"]["media"]["data"] == [{"id": media["id"], "type": "media"}]
    assert media["attributes"]["file_name"] == "cat.png"
    assert media["attributes"]["file_size"] == len(PNG)
    assert media["attributes"]["mime_type"] == "image/png"
    served = await client.get(media["attributes"]["url"].removeprefix("http://127.0.0.1:8080"))
    assert served.status_code == 200
    assert served.content == PNG and served.headers["content-type"] == "image/png"
    # The sender's MDR points at the stored copy too.
    (own,) = (await client.get(f"/v2.1/messages/{message_id}", headers=basic(account))).json()["included"]
    assert own["attributes"]["file_size"] == len(PNG)


async def test_media_on_a_private_address_fails_the_message(client, account, sink):
    sink.media["/secret.png"] = ("image/png", PNG)
    message_id = await send(
        client, account, "13035551234", "x", media_urls=[sink.url("/secret.png")], is_mms=True
    )
    record = await wait_status(client, account, message_id, "failed")
    (receipt,) = record["attributes"]["delivery_receipts"]
    assert receipt["status"] == "media failed"
    assert "private or local address" in receipt["status_code_description"]


@pytest.mark.parametrize(
    "settings_overrides", [{"media_allow_private": True, "media_max_bytes": 100}], indirect=True
)
async def test_media_over_the_size_limit_fails_the_message(client, account, sink):
    sink.media["/big.png"] = ("image/png", PNG)
    message_id = await send(
        client, account, "13035551234", "x", media_urls=[sink.url("/big.png")], is_mms=True
    )
    record = await wait_status(client, account, message_id, "failed")
    assert "100-byte limit" in record["attributes"]["delivery_receipts"][0]["status_code_description"]


@pytest.mark.parametrize("settings_overrides", [{"media_allow_private": True}], indirect=True)
async def test_media_of_a_type_mms_does_not_carry_fails_the_message(client, account, sink):
    sink.media["/tool.exe"] = ("application/x-msdownload", b"MZ")
    message_id = await send(
        client, account, "13035551234", "x", media_urls=[sink.url("/tool.exe")], is_mms=True
    )
    record = await wait_status(client, account, message_id, "failed")
    assert "is not carried by MMS" in record["attributes"]["delivery_receipts"][0]["status_code_description"]


async def test_unknown_media_token_is_404(client):
    response = await client.get("/media/0123456789abcdef0123456789abcdef/x.png")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "media_not_found"
