"""Callback URLs: account level under /v2.1/messages, number level under /v2/numbers."""

from __future__ import annotations

import pytest

from tests.factories import basic
from tests.support.errors import assert_error

ACCOUNT_TYPES = ["sms_callback", "mms_callback", "dlr_callback", "sms_dlr_callback", "mms_dlr_callback"]


class TestAccountCallbacks:
    @pytest.mark.parametrize("callback_type", ACCOUNT_TYPES)
    async def test_set_get_delete_account_callback(self, client, account, callback_type):
        url = f"https://hooks.example.com/{callback_type}"
        put = await client.put(
            f"/v2.1/messages/{callback_type}", json={"callback_url": url}, headers=basic(account)
        )
        assert put.status_code == 204 and put.content == b""
        got = await client.get(f"/v2.1/messages/{callback_type}", headers=basic(account))
        assert got.status_code == 200
        attributes = got.json()["data"]["attributes"]
        assert attributes == {
            "api_version": "v2.1",
            "callback_url": url,
            "product": callback_type.removesuffix("_callback"),
        }
        assert got.json()["data"]["type"] == "callback"
        deleted = await client.delete(f"/v2.1/messages/{callback_type}", headers=basic(account))
        assert deleted.status_code == 204
        gone = await client.get(f"/v2.1/messages/{callback_type}", headers=basic(account))
        assert_error(gone, 404, "callback_not_set")

    async def test_set_account_callback_jsonapi_form(self, client, account):
        body = {"data": {"attributes": {"callback_url": "http://example.com/sms"}}}
        response = await client.put("/v2.1/messages/sms_callback", json=body, headers=basic(account))
        assert response.status_code == 204

    async def test_dlr_callback_is_the_sms_dlr_callback(self, client, account):
        await client.put(
            "/v2.1/messages/dlr_callback",
            json={"callback_url": "http://example.com/dlr"},
            headers=basic(account),
        )
        got = await client.get("/v2.1/messages/sms_dlr_callback", headers=basic(account))
        assert got.json()["data"]["attributes"]["callback_url"] == "http://example.com/dlr"

    async def test_account_callbacks_are_per_account(self, client, account, other_account):
        await client.put(
            "/v2.1/messages/sms_callback",
            json={"callback_url": "http://example.com/a"},
            headers=basic(account),
        )
        response = await client.get("/v2.1/messages/sms_callback", headers=basic(other_account))
        assert_error(response, 404, "callback_not_set")

    @pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/x", "/relative", "", 42, "http://"])
    async def test_set_account_callback_with_bad_url_is_422(self, client, account, url):
        response = await client.put(
            "/v2.1/messages/sms_callback", json={"callback_url": url}, headers=basic(account)
        )
        assert_error(response, 422, "invalid_url", "callback_url")

    async def test_set_account_callback_without_url_is_422(self, client, account):
        response = await client.put("/v2.1/messages/sms_callback", json={}, headers=basic(account))
        assert_error(response, 422, "missing_callback_url")

    async def test_set_unknown_callback_type_is_404_listing_valid_types(self, client, account):
        response = await client.put(
            "/v2.1/messages/voice_callback",
            json={"callback_url": "http://example.com"},
            headers=basic(account),
        )
        assert_error(response, 404, "unknown_callback_type", "sms_callback")


class TestNumberCallbacks:
    @pytest.mark.parametrize("callback_type", ["sms_callback", "mms_callback", "dlr_callback"])
    async def test_set_get_delete_number_callback(self, client, account, callback_type):
        path = f"/v2/numbers/{account.numbers[0]}/relationships/{callback_type}"
        body = {"data": {"attributes": {"callback_url": "http://www.example.com/test"}}}
        assert (await client.post(path, json=body, headers=basic(account))).status_code == 204
        got = await client.get(path, headers=basic(account))
        assert got.json()["data"]["attributes"]["callback_url"] == "http://www.example.com/test"
        assert (await client.delete(path, headers=basic(account))).status_code == 204
        assert_error(await client.get(path, headers=basic(account)), 404, "callback_not_set")

    async def test_set_number_callback_without_content_type(self, client, account):
        path = f"/v2/numbers/{account.numbers[0]}/relationships/dlr_callback"
        raw = b'{"data": {"attributes": {"callback_url": "http://www.example.com/test"}}}'
        assert (await client.post(path, content=raw, headers=basic(account))).status_code == 204

    async def test_number_callback_on_another_accounts_number_is_404(self, client, account, other_account):
        path = f"/v2/numbers/{other_account.numbers[0]}/relationships/sms_callback"
        response = await client.post(
            path, json={"callback_url": "http://example.com"}, headers=basic(account)
        )
        assert_error(response, 404, "number_not_found")

    async def test_number_callback_with_bad_url_is_422(self, client, account):
        path = f"/v2/numbers/{account.numbers[0]}/relationships/sms_callback"
        response = await client.post(path, json={"callback_url": "mailto:a@b.c"}, headers=basic(account))
        assert_error(response, 422, "invalid_url")

    async def test_unknown_number_relationship_is_404(self, client, account):
        path = f"/v2/numbers/{account.numbers[0]}/relationships/fax_callback"
        response = await client.post(
            path, json={"callback_url": "http://example.com"}, headers=basic(account)
        )
        assert_error(response, 404, "not_found", "No such endpoint")
