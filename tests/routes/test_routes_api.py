"""Inbound routes: create, list, update, delete, and each number's primary and failover route."""

from __future__ import annotations

import pytest

from tests.factories import basic
from tests.support.errors import assert_error


def route(route_type: str, value: str, alias: str, **extra: object) -> dict:
    return {
        "data": {
            "type": "route",
            "attributes": {"route_type": route_type, "value": value, "alias": alias, **extra},
        }
    }


async def create(client, account, *args, **extra) -> dict:
    response = await client.post("/v2/routes", json=route(*args, **extra), headers=basic(account))
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_answers_201_with_the_route(client, account):
    body = await create(client, account, "host", "il775u.sonsofodin.com", "new route", edge_strategy="4")
    route_id = body["data"]["id"]
    assert body == {
        "data": {
            "attributes": {
                "alias": "new route",
                "edge_strategy_id": 4,
                "route_type": "host",
                "value": "il775u.sonsofodin.com",
            },
            "id": route_id,
            "links": {"self": f"http://127.0.0.1:8080/v2/routes/{route_id}"},
            "type": "route",
        },
        "links": {"self": f"http://127.0.0.1:8080/v2/routes/{route_id}"},
    }


@pytest.mark.parametrize(
    ("route_type", "value"),
    [
        ("host", "24.239.23.40:5060"),
        ("host", "myphone.com"),
        ("host", "[2001:db8::1]"),
        ("number", "16476998778"),
        ("number", "+1 (647) 699-8778"),
        ("uri", "sip:16476998778@215.122.69.152:5060;transport=tcp"),
        ("uri", "sips:securecall@securedserver.com"),
        ("uri", "sip:alice@example.com;weight=2"),
    ],
)
async def test_each_type_accepts_its_values(client, account, route_type, value):
    await create(client, account, route_type, value, f"r-{route_type}")


@pytest.mark.parametrize(
    ("route_type", "value", "code"),
    [
        ("host", "not a host!", "invalid_route_value"),
        ("host", "example.com:99999", "invalid_route_value"),
        ("number", "555", "invalid_route_value"),
        ("number", "+447700900123", "invalid_route_value"),
        ("uri", "http://example.com", "invalid_route_value"),
        ("uri", "sip:", "invalid_route_value"),
        ("host", "", "invalid_route_value"),
        ("sip-reg", "x", "invalid_route_type"),
        ("pstn", "16476998778", "invalid_route_type"),
    ],
)
async def test_each_type_refuses_bad_values(client, account, route_type, value, code):
    response = await client.post("/v2/routes", json=route(route_type, value, "x"), headers=basic(account))
    assert_error(response, 422, code)


async def test_alias_is_required_and_unique_per_account(client, account, other_account):
    await create(client, account, "host", "a.example.com", "main")
    duplicate = await client.post(
        "/v2/routes", json=route("host", "b.example.com", "main"), headers=basic(account)
    )
    assert_error(duplicate, 403, "route_alias_taken")
    await create(client, other_account, "host", "a.example.com", "main")
    missing = await client.post("/v2/routes", json=route("host", "b.example.com", ""), headers=basic(account))
    assert_error(missing, 422, "invalid_alias")
    bad_edge = await client.post(
        "/v2/routes", json=route("host", "b.example.com", "edge", edge_strategy_id=99), headers=basic(account)
    )
    assert_error(bad_edge, 422, "invalid_edge_strategy")


async def test_list_starts_with_sip_reg_filters_and_pages(client, account, other_account):
    await create(client, account, "host", "a.example.com", "a")
    await create(client, account, "number", "16476998778", "PSTNroute1")
    await create(client, other_account, "host", "z.example.com", "theirs")
    body = (await client.get("/v2/routes?limit=2", headers=basic(account))).json()
    assert [item["attributes"]["alias"] for item in body["data"]] == ["sip-reg", "a"]
    assert body["links"]["next"] == "http://127.0.0.1:8080/v2/routes?limit=2&offset=2"
    rest = (await client.get(body["links"]["next"], headers=basic(account))).json()
    assert [item["attributes"]["alias"] for item in rest["data"]] == ["PSTNroute1"]
    numbers = (await client.get("/v2/routes?route_type=number", headers=basic(account))).json()
    assert [item["attributes"]["value"] for item in numbers["data"]] == ["16476998778"]
    assert_error(
        await client.get("/v2/routes?route_type=fax", headers=basic(account)), 422, "invalid_route_type"
    )


async def test_update_and_delete(client, account, other_account):
    route_id = (await create(client, account, "host", "a.example.com", "a"))["data"]["id"]
    body = {"data": {"type": "route", "attributes": {"value": "b.example.com:5061", "alias": "b"}}}
    updated = await client.patch(f"/v2/routes/{route_id}", json=body, headers=basic(account))
    assert updated.status_code == 200
    assert updated.json()["data"]["attributes"]["value"] == "b.example.com:5061"
    assert_error(
        await client.patch(f"/v2/routes/{route_id}", json=body, headers=basic(other_account)),
        404,
        "route_not_found",
    )
    assert_error(await client.patch("/v2/routes/0", json=body, headers=basic(account)), 403, "route_builtin")
    assert_error(await client.delete("/v2/routes/0", headers=basic(account)), 403, "route_builtin")
    assert (await client.delete(f"/v2/routes/{route_id}", headers=basic(account))).status_code == 204
    assert_error(
        await client.delete(f"/v2/routes/{route_id}", headers=basic(account)), 404, "route_not_found"
    )


async def test_primary_and_failover_assignment_and_a_route_in_use(client, account, other_account):
    number = account.numbers[0]
    primary = (await create(client, account, "host", "a.example.com", "a"))["data"]["id"]
    failover = (await create(client, account, "uri", "sip:x@b.example.com", "b"))["data"]["id"]
    set_primary = await client.patch(
        f"/v2/numbers/{number}/relationships/primary_route",
        json={"data": {"type": "route", "id": primary}},
        headers=basic(account),
    )
    assert set_primary.status_code == 204
    set_failover = await client.patch(
        f"/v2/numbers/{number}/relationships/failover_route", json={"id": failover}, headers=basic(account)
    )
    assert set_failover.status_code == 204
    details = (await client.get(f"/v2/numbers/{number}", headers=basic(account))).json()
    assert details["data"]["relationships"]["primary_route"]["data"] == {"id": primary, "type": "route"}
    assert details["data"]["relationships"]["failover_route"]["data"] == {"id": failover, "type": "route"}
    assert sorted(item["id"] for item in details["included"] if item["type"] == "route") == sorted(
        [primary, failover]
    )

    in_use = await client.delete(f"/v2/routes/{primary}", headers=basic(account))
    error = assert_error(in_use, 403, "route_in_use", "Please disassociate all numbers before deleting")
    assert error["title"] == "Forbidden"

    theirs = (await create(client, other_account, "host", "z.example.com", "z"))["data"]["id"]
    foreign = await client.patch(
        f"/v2/numbers/{number}/relationships/primary_route",
        json={"data": {"id": theirs}},
        headers=basic(account),
    )
    assert_error(foreign, 404, "route_not_found")
    missing = await client.patch(
        f"/v2/numbers/{number}/relationships/primary_route", json={"data": {}}, headers=basic(account)
    )
    assert_error(missing, 422, "missing_route_id")

    removed = await client.delete(f"/v2/numbers/{number}/relationships/primary_route", headers=basic(account))
    assert removed.status_code == 204
    await client.delete(f"/v2/numbers/{number}/relationships/failover_route", headers=basic(account))
    assert (await client.delete(f"/v2/routes/{primary}", headers=basic(account))).status_code == 204


async def test_edge_strategies(client, account):
    body = (await client.get("/v2/routes/edge_strategies", headers=basic(account))).json()
    assert body["data"][0]["type"] == "edge_strategy"
    assert body["data"][0]["attributes"]["name"] == "US-East-VA"
    assert isinstance(body["data"][0]["id"], int)
