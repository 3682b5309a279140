"""Buying, listing, inspecting, updating and releasing numbers: POST|GET|PATCH|DELETE /v2/numbers."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from longcode.billing.models import Charge
from tests.factories import basic, make_account, state_of, stock
from tests.support.errors import assert_error

NUMBER = "12062150001"


@pytest.fixture
async def for_sale(app):
    return await stock(app, [NUMBER, "12062150002", "18002002222"])


async def test_purchase_answers_201_with_the_number_and_its_default_route(client, account, for_sale):
    response = await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["data"]["id"] == NUMBER
    assert body["data"]["attributes"] == {
        "alias": None,
        "cnam_lookups_enabled": False,
        "iso_country": "US",
        "messaging_enabled": True,
        "monthly_cost": 1.25,
        "number_type": "standard",
        "rate_center": "seattle",
        "setup_cost": 1.0,
        "state": "wa",
        "value": NUMBER,
    }
    relationships = body["data"]["relationships"]
    assert relationships["primary_route"] == {"data": {"id": "0", "type": "route"}}
    assert relationships["failover_route"] == {"data": None}
    assert relationships["cnam_preset"] == {"data": None}
    assert relationships["e911_address"] == {"data": None}
    assert body["included"] == [
        {
            "attributes": {
                "alias": "sip-reg",
                "edge_strategy_id": None,
                "route_type": "sip-reg",
                "value": None,
            },
            "id": "0",
            "links": {"self": "http://127.0.0.1:8080/v2/routes/0"},
            "type": "route",
        }
    ]
    assert body["links"]["self"] == f"http://127.0.0.1:8080/v2/numbers/{NUMBER}"


async def test_a_bought_number_can_send_at_once_and_its_setup_is_charged(client, app, account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    sent = await client.post(
        "/v2.1/messages", json={"to": "12065550199", "from": NUMBER, "body": "hi"}, headers=basic(account)
    )
    assert sent.status_code == 202, sent.text
    async with state_of(app).sessions() as session:
        charges = list(await session.scalars(select(Charge).where(Charge.account_id == account.account_id)))
    assert [(c.kind, c.number, c.amount_nanodollars) for c in charges] == [
        ("number_setup", NUMBER, 1_000_000_000)
    ]


async def test_purchase_refuses_what_is_not_for_sale(client, account, other_account, for_sale):
    assert_error(
        await client.post("/v2/numbers/12062159999", headers=basic(account)), 404, "number_not_available"
    )
    assert_error(await client.post("/v2/numbers/banana", headers=basic(account)), 404, "malformed_number")
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(other_account))
    assert_error(
        await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account)), 409, "number_not_available"
    )
    assert_error(
        await client.post(f"/v2/numbers/{NUMBER}", headers=basic(other_account)), 409, "number_already_yours"
    )


async def test_two_accounts_buying_one_number_at_once_one_wins(client, app, for_sale):
    buyers = [await make_account(app, name=f"buyer{i}", numbers=[]) for i in range(6)]
    responses = await asyncio.gather(
        *(client.post(f"/v2/numbers/{NUMBER}", headers=basic(buyer)) for buyer in buyers)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409], [r.text for r in responses]
    async with state_of(app).sessions() as session:
        charges = list(await session.scalars(select(Charge).where(Charge.number == NUMBER)))
    assert len(charges) == 1


async def test_list_account_numbers_with_filters_and_paging(client, account, for_sale):
    for value in for_sale:
        await client.post(f"/v2/numbers/{value}", headers=basic(account))
    await client.patch(
        f"/v2/numbers/{NUMBER}", json={"type": "number", "alias": "NYC Number"}, headers=basic(account)
    )
    listing = await client.get("/v2/numbers?limit=2", headers=basic(account))
    body = listing.json()
    assert [item["id"] for item in body["data"]] == sorted([account.numbers[0], *for_sale])[:2]
    assert "relationships" not in body["data"][0]
    assert body["links"]["next"] == "http://127.0.0.1:8080/v2/numbers?limit=2&offset=2"

    async def ids(query: str) -> list[str]:
        response = await client.get(f"/v2/numbers?{query}", headers=basic(account))
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["data"]]

    assert await ids("starts_with=800") == ["18002002222"]
    assert await ids("ends_with=0002") == ["12062150002"]
    assert await ids("contains=2222") == ["18002002222"]
    assert await ids("alias=NYC%20Number") == [NUMBER]
    assert_error(await client.get("/v2/numbers?contains=x", headers=basic(account)), 422, "invalid_contains")


async def test_numbers_of_other_accounts_are_invisible(client, account, other_account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(other_account))
    assert_error(await client.get(f"/v2/numbers/{NUMBER}", headers=basic(account)), 404, "number_not_found")
    assert_error(
        await client.delete(f"/v2/numbers/{NUMBER}", headers=basic(account)), 404, "number_not_found"
    )
    assert_error(
        await client.patch(f"/v2/numbers/{NUMBER}", json={"alias": "x"}, headers=basic(account)),
        404,
        "number_not_found",
    )
    listing = await client.get("/v2/numbers", headers=basic(account))
    assert NUMBER not in [item["id"] for item in listing.json()["data"]]


async def test_patch_sets_alias_and_cnam_lookups_as_the_sdks_send_them(client, account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    # The Python SDK sends this body with no Content-Type at all.
    response = await client.patch(
        f"/v2/numbers/{NUMBER}", content=b'{"alias": "New Test", "type": "number"}', headers=basic(account)
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attributes"]["alias"] == "New Test"
    flag = await client.patch(
        f"/v2/numbers/{NUMBER}", json={"cnam_lookups_enabled": "true"}, headers=basic(account)
    )
    assert flag.json()["data"]["attributes"]["cnam_lookups_enabled"] is True
    cleared = await client.patch(f"/v2/numbers/{NUMBER}", json={"alias": None}, headers=basic(account))
    assert cleared.json()["data"]["attributes"]["alias"] is None
    assert_error(
        await client.patch(f"/v2/numbers/{NUMBER}", json={"alias": "x" * 65}, headers=basic(account)),
        422,
        "invalid_alias",
    )
    assert_error(
        await client.patch(
            f"/v2/numbers/{NUMBER}", json={"cnam_lookups_enabled": "maybe"}, headers=basic(account)
        ),
        422,
        "invalid_cnam_lookups_enabled",
    )


async def test_messaging_can_be_switched_off_and_on(client, account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    off = await client.patch(
        f"/v2/numbers/{NUMBER}", json={"messaging_enabled": False}, headers=basic(account)
    )
    assert off.json()["data"]["attributes"]["messaging_enabled"] is False
    refused = await client.post(
        "/v2.1/messages", json={"to": "12065550199", "from": NUMBER, "body": "hi"}, headers=basic(account)
    )
    assert_error(refused, 403, "number_not_sms_enabled")


async def test_details_show_callbacks_and_included_routes(client, account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    await client.post(
        f"/v2/numbers/{NUMBER}/relationships/sms_callback",
        json={"callback_url": "https://example.com/in"},
        headers=basic(account),
    )
    body = (await client.get(f"/v2/numbers/{NUMBER}", headers=basic(account))).json()
    assert body["data"]["relationships"]["sms_callback"]["data"] == {"id": "sms_callback", "type": "callback"}
    assert body["data"]["relationships"]["mms_callback"]["data"] is None
    assert {
        "attributes": {"callback_url": "https://example.com/in"},
        "id": "sms_callback",
        "type": "callback",
    } in (body["included"])


async def test_release_removes_the_number_and_its_links_but_keeps_its_messages(client, account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    await client.post(
        f"/v2/numbers/{NUMBER}/relationships/sms_callback",
        json={"callback_url": "https://example.com/in"},
        headers=basic(account),
    )
    sent = await client.post(
        "/v2.1/messages", json={"to": "12065550199", "from": NUMBER, "body": "hi"}, headers=basic(account)
    )
    released = await client.delete(f"/v2/numbers/{NUMBER}", headers=basic(account))
    assert released.status_code == 204 and released.content == b""
    assert_error(await client.get(f"/v2/numbers/{NUMBER}", headers=basic(account)), 404, "number_not_found")
    mdr = await client.get(f"/v2.1/messages/{sent.json()['data']['id']}", headers=basic(account))
    assert mdr.status_code == 200
    refused = await client.post(
        "/v2.1/messages", json={"to": "12065550199", "from": NUMBER, "body": "hi"}, headers=basic(account)
    )
    assert_error(refused, 403, "number_not_owned")
    # Aging: not for sale again yet, not even to the account that let it go.
    search = await client.get("/v2/numbers/available?starts_with=1206215", headers=basic(account))
    assert NUMBER not in [item["id"] for item in search.json()["data"]]
    assert_error(
        await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account)), 409, "number_not_available"
    )


@pytest.mark.parametrize("settings_overrides", [{"number_aging_seconds": 0}], indirect=True)
async def test_a_released_number_is_for_sale_again_after_aging(client, account, other_account, for_sale):
    await client.post(f"/v2/numbers/{NUMBER}", headers=basic(account))
    await client.delete(f"/v2/numbers/{NUMBER}", headers=basic(account))
    again = await client.post(f"/v2/numbers/{NUMBER}", headers=basic(other_account))
    assert again.status_code == 201
    callbacks = again.json()["data"]["relationships"]["sms_callback"]
    assert callbacks["data"] is None


@pytest.mark.parametrize("settings_overrides", [{"number_aging_seconds": 0}], indirect=True)
async def test_a_released_operator_number_is_found_by_every_search(client, account, other_account):
    """Numbers that entered one at a time (operator, port-in) are in the trigram index too."""
    number = account.numbers[0]
    await client.delete(f"/v2/numbers/{number}", headers=basic(account))
    for query in (f"contains={number[3:9]}", f"ends_with={number[-4:]}", f"starts_with={number}"):
        found = await client.get(f"/v2/numbers/available?{query}", headers=basic(other_account))
        assert [item["id"] for item in found.json()["data"]] == [number], query
