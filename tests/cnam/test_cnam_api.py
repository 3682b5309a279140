"""CNAM records: created pending, decided by the operator (or the sandbox timer), assigned."""

from __future__ import annotations

import pytest

from tests.factories import basic
from tests.support.cli import run_cli
from tests.support.errors import assert_error


async def create(client, account, value="Heartwood", **kwargs) -> dict:
    response = await client.post(
        "/v2/cnams", headers=basic(account), **(kwargs or {"json": {"value": value}})
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def decide(settings, *args: str) -> str:
    result = await run_cli(settings, *args)
    assert result.exit_code == 0, result.output
    return result.output


async def test_created_pending_and_upper_cased(client, account):
    record = await create(client, account)
    assert record["attributes"]["value"] == "HEARTWOOD"
    assert record["attributes"]["is_approved"] is False
    assert record["attributes"]["approval_datetime"] is None
    assert record["attributes"]["rejection_reason"] is None
    assert record["attributes"]["creation_datetime"].endswith("+00:00")
    assert record["links"]["self"] == f"http://127.0.0.1:8080/v2/cnams/{record['id']}"


async def test_the_python_sdk_posts_a_form_and_jsonapi_works_too(client, account):
    form = await create(client, account, data={"value": "FR H5K8"})
    assert form["attributes"]["value"] == "FR H5K8"
    jsonapi = await create(
        client, account, json={"data": {"type": "cnam", "attributes": {"value": "Bob Law"}}}
    )
    assert jsonapi["attributes"]["value"] == "BOB LAW"


@pytest.mark.parametrize("value", ["A" * 16, "12065550100", "!!!", "", "Café", "1234"])
async def test_values_outside_the_rules_are_refused(client, account, value):
    response = await client.post("/v2/cnams", json={"value": value}, headers=basic(account))
    assert_error(response, 422, "invalid_cnam_value")


async def test_operator_approves_then_the_account_assigns(client, account, settings):
    record = await create(client, account)
    number = account.numbers[0]
    early = await client.patch(
        f"/v2/numbers/{number}/relationships/cnam/{record['id']}", headers=basic(account)
    )
    assert_error(early, 422, "cnam_not_approved")
    assert "approved" in await decide(settings, "cnam", "approve", record["id"])
    approved = (await client.get(f"/v2/cnams/{record['id']}", headers=basic(account))).json()["data"]
    assert approved["attributes"]["is_approved"] is True
    assert approved["attributes"]["approval_datetime"] is not None
    assert approved["relationships"] == {"numbers": {"data": []}}

    assigned = await client.patch(
        f"/v2/numbers/{number}/relationships/cnam/{record['id']}", headers=basic(account)
    )
    assert assigned.status_code == 202
    assert assigned.json()["data"]["id"] == int(record["id"])
    assert assigned.json()["data"]["attributes"]["date_created"].endswith(" GMT")
    plural = await client.patch(
        f"/v2/numbers/{number}/relationships/cnams/{record['id']}", headers=basic(account)
    )
    assert plural.status_code == 202
    shown = (await client.get(f"/v2/cnams/{record['id']}", headers=basic(account))).json()
    assert shown["data"]["relationships"]["numbers"]["data"] == [{"id": number, "type": "number"}]
    assert [n["id"] for n in shown["included"]] == [number]
    details = (await client.get(f"/v2/numbers/{number}", headers=basic(account))).json()
    assert details["data"]["relationships"]["cnam_preset"]["data"] == {"id": record["id"], "type": "cnam"}

    unassigned = await client.delete(f"/v2/numbers/{number}/relationships/cnam", headers=basic(account))
    assert unassigned.status_code == 202 and unassigned.json()["data"]["id"] is None
    assert (
        await client.delete(f"/v2/numbers/{number}/relationships/cnams", headers=basic(account))
    ).status_code == 202


async def test_rejected_records_carry_the_reason_and_cannot_change(client, account, settings):
    record = await create(client, account)
    await decide(settings, "cnam", "reject", record["id"], "--reason", "Misleading name")
    got = (await client.get(f"/v2/cnams/{record['id']}", headers=basic(account))).json()["data"]
    assert got["attributes"]["is_approved"] is False
    assert got["attributes"]["rejection_reason"] == "Misleading name"
    changed = await client.patch(f"/v2/cnams/{record['id']}", json={"value": "Other"}, headers=basic(account))
    assert_error(changed, 409, "cnam_not_pending")


async def test_pending_records_can_change_and_be_deleted(client, account, other_account, settings):
    record = await create(client, account)
    body = {"data": {"type": "cnam", "attributes": {"value": "MY BUSINESS"}}}
    changed = await client.patch(f"/v2/cnams/{record['id']}", json=body, headers=basic(account))
    assert changed.json()["data"]["attributes"]["value"] == "MY BUSINESS"
    assert_error(
        await client.get(f"/v2/cnams/{record['id']}", headers=basic(other_account)), 404, "cnam_not_found"
    )
    await decide(settings, "cnam", "approve", record["id"])
    await client.patch(
        f"/v2/numbers/{account.numbers[0]}/relationships/cnam/{record['id']}", headers=basic(account)
    )
    assert (await client.delete(f"/v2/cnams/{record['id']}", headers=basic(account))).status_code == 204
    details = (await client.get(f"/v2/numbers/{account.numbers[0]}", headers=basic(account))).json()
    assert details["data"]["relationships"]["cnam_preset"]["data"] is None


async def test_list_filters(client, account, settings):
    first = await create(client, account, "Brown Bag")
    await create(client, account, "Heartwood")
    await decide(settings, "cnam", "approve", first["id"])

    async def values(query: str) -> list[str]:
        response = await client.get(f"/v2/cnams?{query}", headers=basic(account))
        assert response.status_code == 200, response.text
        return [item["attributes"]["value"] for item in response.json()["data"]]

    assert await values("is_approved=True") == ["BROWN BAG"]
    assert await values("is_approved=false") == ["HEARTWOOD"]
    assert await values("starts_with=heart") == ["HEARTWOOD"]
    assert await values("contains=own") == ["BROWN BAG"]
    assert await values("ends_with=WOOD") == ["HEARTWOOD"]
    assert await values("limit=1") == ["BROWN BAG"]
    assert_error(
        await client.get("/v2/cnams?is_approved=maybe", headers=basic(account)), 422, "invalid_is_approved"
    )
    listing = await decide(settings, "cnam", "list", "--pending")
    assert "HEARTWOOD" in listing and "BROWN BAG" not in listing


@pytest.mark.parametrize("settings_overrides", [{"cnam_auto_approve_seconds": 0}], indirect=True)
async def test_the_sandbox_can_approve_by_itself(client, account):
    record = await create(client, account)
    got = (await client.get(f"/v2/cnams/{record['id']}", headers=basic(account))).json()["data"]
    assert got["attributes"]["is_approved"] is True
    assigned = await client.patch(
        f"/v2/numbers/{account.numbers[0]}/relationships/cnam/{record['id']}", headers=basic(account)
    )
    assert assigned.status_code == 202
