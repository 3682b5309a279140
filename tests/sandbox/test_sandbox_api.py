"""The sandbox control plane: outbox, injected inbound messages, run-time knobs, per-account reset."""

from __future__ import annotations

import pytest

from tests.factories import state_of
from tests.support.delivery import send, set_callback, wait_status
from tests.support.errors import assert_error

TOKEN = "test-admin-token"


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    from tests.support.delivery import FAST

    return {**FAST, "admin_token": TOKEN, **getattr(request, "param", {})}


def admin(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_control_plane_refuses_without_the_admin_token(client, account):
    for headers in ({}, admin("wrong"), {"Authorization": "Basic eDp5"}):
        response = await client.get("/sandbox/outbox", headers=headers)
        assert_error(response, 401, "admin_token_required", "Bearer")


async def test_outbox_lists_what_the_sandbox_carrier_was_given(client, account, other_account):
    first = await send(client, account, "13035551234", "one")
    await send(client, other_account, "13035551235", "two")
    await wait_status(client, account, first, "delivered")
    response = await client.get("/sandbox/outbox", params={"account_id": account.account_id}, headers=admin())
    assert response.status_code == 200, response.text
    (item,) = response.json()["data"]
    assert item["id"] == first
    assert item["attributes"]["to"] == "13035551234"
    assert item["attributes"]["body"] == "one"
    assert item["attributes"]["outcome"] == "delivered"
    by_number = await client.get("/sandbox/outbox", params={"number": "13035551235"}, headers=admin())
    assert [i["attributes"]["body"] for i in by_number.json()["data"]] == ["two"]


async def test_inject_inbound_reaches_the_account_webhook(client, account, sink):
    await set_callback(client, account, "sms_callback", sink.url("/in"))
    body = {"from": "13035550000", "to": account.numbers[0], "body": "from a handset"}
    response = await client.post("/sandbox/inbound", json=body, headers=admin())
    assert response.status_code == 201, response.text
    (hit,) = await sink.wait_for("/in")
    assert hit.json["data"]["id"] == response.json()["data"]["id"]
    assert hit.json["data"]["attributes"]["from"] == "13035550000"


async def test_inject_inbound_to_unknown_number_is_404(client, account):
    body = {"from": "13035550000", "to": "13035559999", "body": "x"}
    response = await client.post("/sandbox/inbound", json=body, headers=admin())
    assert_error(response, 404, "number_not_found", "13035559999")


async def test_carrier_knobs_change_at_run_time(client, account):
    response = await client.patch("/sandbox/carrier", json={"failure_ratio": 1}, headers=admin())
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attributes"]["failure_ratio"] == 1.0
    import asyncio

    await asyncio.sleep(1.1)  # the carrier re-reads its knobs once a second
    message_id = await send(client, account, "13035551234")
    await wait_status(client, account, message_id, "failed")
    bad = await client.patch("/sandbox/carrier", json={"failure_ratio": 2}, headers=admin())
    assert_error(bad, 422, "invalid_setting", "failure_ratio")
    unknown = await client.patch("/sandbox/carrier", json={"speed": 1}, headers=admin())
    assert_error(unknown, 422, "unknown_setting", "speed")


async def test_reset_clears_one_account_and_leaves_others(client, account, other_account, sink):
    await set_callback(client, account, "sms_callback", sink.url("/a"))
    mine = await send(client, account, "13035551234")
    theirs = await send(client, other_account, "13035551234")
    await wait_status(client, account, mine, "delivered")
    await wait_status(client, other_account, theirs, "delivered")
    response = await client.post(f"/sandbox/accounts/{account.account_id}/reset", headers=admin())
    assert response.status_code == 200, response.text
    deleted = response.json()["data"]["attributes"]["deleted"]
    assert deleted["messages"] == 1 and deleted["callbacks"] == 1 and deleted["receipts"] == 2
    from tests.factories import basic

    gone = await client.get(f"/v2.1/messages/{mine}", headers=basic(account))
    assert gone.status_code == 404
    kept = await client.get(f"/v2.1/messages/{theirs}", headers=basic(other_account))
    assert kept.status_code == 200
    assert (await client.get("/v2.1/messages/sms_callback", headers=basic(account))).status_code == 404


async def test_configured_admin_token_is_the_one_required(app):
    assert state_of(app).admin_token == TOKEN


@pytest.mark.parametrize("settings_overrides", [{"admin_token": None}], indirect=True)
async def test_admin_token_is_made_when_not_configured(client, app):
    token = state_of(app).admin_token
    assert len(token) == 64
    response = await client.get("/sandbox/carrier", headers=admin(token))
    assert response.status_code == 200
