"""POST /v2.1/messages: both body forms, every rule a send must keep, durability, pricing."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from longcode.accounts.provisioning import Provisioned
from tests.factories import basic
from tests.support.errors import assert_error

DEST = "12065550199"


def jsonapi(**attributes: object) -> dict:
    return {"data": {"type": "message", "attributes": attributes}}


async def send(client: httpx.AsyncClient, who: Provisioned, body: object, **kwargs: object) -> httpx.Response:
    headers = {**basic(who), "Content-Type": "application/vnd.api+json", **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return await client.post("/v2.1/messages", json=body, headers=headers, **kwargs)  # type: ignore[arg-type]


async def mdr(client: httpx.AsyncClient, who: Provisioned, message_id: str) -> dict:
    response = await client.get(f"/v2.1/messages/{message_id}", headers=basic(who))
    assert response.status_code == 200, response.text
    return response.json()["data"]


class TestSendMessage:
    async def test_send_message_jsonapi_answers_202_with_mdr2_id(self, client, account):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="hi"))
        assert response.status_code == 202
        assert response.headers["content-type"].startswith("application/vnd.api+json")
        data = response.json()["data"]
        assert re.fullmatch(r"mdr2-[0-9a-f]{32}", data["id"])
        assert data["type"] == "message"
        assert data["links"]["self"] == f"http://127.0.0.1:8080/v2.1/messages/{data['id']}"

    async def test_send_message_compact_body_is_accepted(self, client, account):
        body = {"to": DEST, "from": account.numbers[0], "body": "compact"}
        response = await send(client, account, body)
        assert response.status_code == 202
        record = await mdr(client, account, response.json()["data"]["id"])
        assert record["attributes"]["body"] == "compact"

    async def test_send_message_without_content_type_is_parsed_as_json(self, client, account):
        raw = f'{{"to": "{DEST}", "from": "{account.numbers[0]}", "body": "no type"}}'
        response = await client.post("/v2.1/messages", content=raw, headers=basic(account))
        assert response.status_code == 202

    async def test_send_message_is_stored_queued_and_priced(self, client, account):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="hello"))
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["status"] == "queued"
        assert attributes["direction"] == "outbound"
        assert attributes["delivery_receipts"] == []
        assert attributes["message_encoding"] == 0
        assert attributes["message_type"] == "longcode"
        assert attributes["amount_nanodollars"] == 4_000_000
        assert attributes["amount_display"] == "$0.0040"
        assert attributes["is_mms"] is False
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ", attributes["timestamp"])

    @pytest.mark.parametrize(
        ("to", "stored"),
        [("+12065550199", "12065550199"), ("2065550199", "12065550199"), ("12065550199", "12065550199")],
    )
    async def test_send_message_normalises_number_forms(self, client, account, to, stored):
        sender = "+" + account.numbers[0]
        response = await send(client, account, jsonapi(to=to, **{"from": sender}, body="x"))
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["to"] == stored
        assert attributes["from"] == account.numbers[0]

    async def test_send_message_long_gsm_body_is_billed_per_segment(self, client, account):
        response = await send(
            client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="a" * 161)
        )
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["amount_nanodollars"] == 2 * 4_000_000
        assert attributes["message_encoding"] == 0

    async def test_send_message_emoji_switches_to_ucs2(self, client, account):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="hi 😀"))
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["message_encoding"] == 8
        assert attributes["amount_nanodollars"] == 4_000_000

    async def test_send_message_from_toll_free_reports_toll_free_type(self, app, client):
        from tests.factories import make_account

        tf = await make_account(app, numbers=["18445550142"])
        response = await send(client, tf, {"to": DEST, "from": "18445550142", "body": "tf"})
        attributes = (await mdr(client, tf, response.json()["data"]["id"]))["attributes"]
        assert attributes["message_type"] == "toll-free"


class TestSendMessageMms:
    async def test_send_mms_with_media_and_string_is_mms(self, client, account):
        urls = ["https://example.com/cat.gif", "https://example.com/a/b/dog.png"]
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="pics", is_mms="true", media_urls=urls)
        response = await send(client, account, body)
        assert response.status_code == 202
        record = await client.get(f"/v2.1/messages/{response.json()['data']['id']}", headers=basic(account))
        document = record.json()
        attributes = document["data"]["attributes"]
        assert attributes["is_mms"] is True
        assert attributes["amount_nanodollars"] == 19_500_000
        media = document["data"]["relationships"]["media"]["data"]
        assert [m["type"] for m in media] == ["media", "media"]
        included = {item["id"]: item for item in document["included"]}
        assert included[media[1]["id"]]["attributes"]["file_name"] == "dog.png"
        assert included[media[1]["id"]]["attributes"]["mime_type"] == "image/png"
        assert included[media[0]["id"]]["attributes"]["url"] == urls[0]

    async def test_send_mms_media_only_has_null_body(self, client, account):
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, media_urls=["http://example.com/x.jpg"])
        response = await send(client, account, body)
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["body"] is None and attributes["is_mms"] is True

    async def test_send_text_only_mms_with_boolean_flag(self, client, account):
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="text mms", is_mms=True)
        response = await send(client, account, body)
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["is_mms"] is True

    async def test_send_mms_without_media_or_body_is_refused(self, client, account):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, is_mms=True))
        assert_error(response, 422, "missing_content", "media_urls")

    async def test_send_mms_with_eleven_media_urls_is_refused(self, client, account):
        urls = [f"https://example.com/{i}.png" for i in range(11)]
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, media_urls=urls)
        assert_error(await send(client, account, body), 422, "too_many_media_urls", "at most 10")

    async def test_send_mms_with_relative_media_url_is_refused(self, client, account):
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, media_urls=["/cat.gif"])
        assert_error(await send(client, account, body), 422, "invalid_url", "media_urls[0]")


class TestSendMessageRules:
    @pytest.mark.parametrize(
        ("to", "code", "detail"),
        [
            ("+447700900123", "international_number", "international"),
            ("447700900123", "international_number", "international"),
            ("12345", "short_code", "short code"),
            ("10065550199", "invalid_area_code", "cannot start with 0 or 1"),
            ("12060550199", "invalid_exchange", "cannot start with 0 or 1"),
            ("14115550199", "n11_code", "N11"),
            ("12069110199", "n11_code", "N11"),
            ("19995550199", "unassigned_area_code", "not in service"),
            ("1206555019", "malformed_number", "11 digits"),
            ("call me", "malformed_number", "only digits"),
        ],
    )
    async def test_send_message_to_invalid_destination_is_refused(self, client, account, to, code, detail):
        response = await send(client, account, jsonapi(to=to, **{"from": account.numbers[0]}, body="x"))
        error = assert_error(response, 422, code, detail)
        assert error["source"] == {"pointer": "to"}

    async def test_send_message_from_unowned_number_is_forbidden(self, client, account, other_account):
        body = jsonapi(to=DEST, **{"from": other_account.numbers[0]}, body="spoof")
        assert_error(
            await send(client, account, body), 403, "number_not_owned", "not a number on your account"
        )

    async def test_send_message_from_number_nobody_owns_is_forbidden(self, client, account):
        body = jsonapi(to=DEST, **{"from": "12025550123"}, body="spoof")
        assert_error(await send(client, account, body), 403, "number_not_owned")

    async def test_send_message_from_number_not_sms_enabled_is_forbidden(self, app, client, account):
        from sqlalchemy import update

        from longcode.numbers.models import Number
        from tests.factories import state_of

        async with state_of(app).sessions() as session:
            await session.execute(update(Number).values(sms_enabled=False))
            await session.commit()
        body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
        assert_error(await send(client, account, body), 403, "number_not_sms_enabled")

    @pytest.mark.parametrize("missing", ["to", "from"])
    async def test_send_message_missing_number_is_refused(self, client, account, missing):
        attributes = {"to": DEST, "from": account.numbers[0], "body": "x"}
        del attributes[missing]
        assert_error(await send(client, account, jsonapi(**attributes)), 422, f"missing_{missing}")

    @pytest.mark.parametrize("body", [None, ""])
    async def test_send_sms_without_body_is_refused(self, client, account, body):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body=body))
        assert_error(response, 422, "missing_body", "'body' is required")

    async def test_send_sms_over_max_length_is_refused(self, client, account):
        response = await send(
            client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="a" * 1601)
        )
        assert_error(response, 422, "body_too_long", "at most 1600")

    async def test_send_message_with_non_string_body_is_refused(self, client, account):
        response = await send(client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body=42))
        assert_error(response, 422, "invalid_body")

    async def test_send_message_with_bad_is_mms_is_refused(self, client, account):
        response = await send(
            client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x", is_mms="yes")
        )
        assert_error(response, 422, "invalid_is_mms", "true or false")

    async def test_send_message_with_bad_dlr_callback_is_refused(self, client, account):
        response = await send(
            client, account, jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x", dlr_callback="nope")
        )
        assert_error(response, 422, "invalid_url", "dlr_callback")

    async def test_send_message_with_wrong_resource_type_is_refused(self, client, account):
        body = {
            "data": {"type": "number", "attributes": {"to": DEST, "from": account.numbers[0], "body": "x"}}
        }
        assert_error(await send(client, account, body), 422, "invalid_type", "data.type")

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("{not json", "malformed_json"),
            ("", "empty_body"),
            ("[1, 2]", "malformed_json"),
            ('"x"', "malformed_json"),
        ],
    )
    async def test_send_message_with_malformed_body_is_400(self, client, account, raw, code):
        response = await client.post("/v2.1/messages", content=raw, headers=basic(account))
        assert_error(response, 400, code)

    async def test_refused_send_stores_and_charges_nothing(self, client, account):
        await send(client, account, jsonapi(to="+447700900123", **{"from": account.numbers[0]}, body="x"))
        listing = await client.get(
            "/v2.1/messages", params={"start_date": "2000-01-01"}, headers=basic(account)
        )
        assert listing.json()["data"] == []


class TestSendMessageUnicode:
    async def test_escaped_surrogate_pair_is_one_emoji(self, client, account):
        # json.dumps escapes the emoji as the pair \\ud83d\\ude00 (ensure_ascii).
        raw = json.dumps({"to": DEST, "from": account.numbers[0], "body": "hi 😀"})
        assert "\\ud83d\\ude00" in raw
        response = await client.post("/v2.1/messages", content=raw, headers=basic(account))
        assert response.status_code == 202
        attributes = (await mdr(client, account, response.json()["data"]["id"]))["attributes"]
        assert attributes["body"] == "hi 😀" and attributes["message_encoding"] == 8

    @pytest.mark.parametrize("field", ["body", "dlr_callback"])
    async def test_lone_surrogate_escape_is_400_not_500(self, client, account, field):
        value = "x \\ud83d" if field == "body" else "http://example.com/\\udc00"
        raw = json.dumps({"to": DEST, "from": account.numbers[0], "body": "x", field: "PLACEHOLDER"})
        raw = raw.replace("PLACEHOLDER", value)
        response = await client.post("/v2.1/messages", content=raw, headers=basic(account))
        assert_error(response, 400, "malformed_json", "lone UTF-16 surrogate")

    async def test_nul_escape_is_400(self, client, account):
        raw = json.dumps({"to": DEST, "from": account.numbers[0], "body": "a\x00b"})
        assert "\\u0000" in raw
        response = await client.post("/v2.1/messages", content=raw, headers=basic(account))
        assert_error(response, 400, "malformed_json", "NUL character")
