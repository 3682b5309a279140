"""E911 records over HTTP, and their assignment to numbers."""

from __future__ import annotations

from tests.factories import basic, stock
from tests.support.errors import assert_error

ADDRESS = {
    "address_type": "Suite",
    "address_type_number": "600",
    "city": "Seattle",
    "country": "US",
    "first_name": "Chris",
    "label": "L",
    "last_name": "Smith",
    "state": "WA",
    "street_name": "3rd Ave",
    "street_number": "1182",
    "zip": "98101",
}


def document(**attributes: object) -> dict:
    return {"data": {"type": "e911", "attributes": {**ADDRESS, **attributes}}}


async def create(client, account, **attributes) -> dict:
    # The Python SDK sends this without a Content-Type header.
    import json

    response = await client.post(
        "/v2/e911s", content=json.dumps(document(**attributes)), headers=basic(account)
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_validate_answers_204_or_names_each_wrong_field(client, account):
    ok = await client.post("/v2/e911s/validate", json=document(), headers=basic(account))
    assert ok.status_code == 204
    bad = await client.post(
        "/v2/e911s/validate", json=document(zip="10001", state="ZZ"), headers=basic(account)
    )
    assert bad.status_code == 422
    pointers = {error["source"]["pointer"] for error in bad.json()["errors"]}
    assert pointers == {"state"}  # the ZIP is checked against a state only once the state exists
    listing = await client.get("/v2/e911s", headers=basic(account))
    assert listing.json()["data"] == []


async def test_create_get_list_update_delete(client, account, other_account):
    record = await create(client, account)
    assert record["type"] == "e911" and record["attributes"] == ADDRESS
    assert record["links"]["self"] == f"http://127.0.0.1:8080/v2/e911s/{record['id']}"
    got = await client.get(f"/v2/e911s/{record['id']}", headers=basic(account))
    assert got.json()["data"] == record
    assert_error(
        await client.get(f"/v2/e911s/{record['id']}", headers=basic(other_account)), 404, "e911_not_found"
    )
    await create(client, account, label="Branch", city="Portland", state="OR", zip="97201")
    by_state = (await client.get("/v2/e911s?state=or", headers=basic(account))).json()
    assert [item["attributes"]["city"] for item in by_state["data"]] == ["Portland"]
    paged = (await client.get("/v2/e911s?limit=1", headers=basic(account))).json()
    assert len(paged["data"]) == 1 and paged["links"]["next"].endswith("/v2/e911s?limit=1&offset=1")
    by_city = (await client.get("/v2/e911s?city=seat", headers=basic(account))).json()
    assert [item["id"] for item in by_city["data"]] == [record["id"]]

    # As the Python SDK updates: the whole fetched document back, with extra keys and nulls.
    sent_back = {
        "data": {
            "id": record["id"],
            "type": "e911",
            "links": record["links"],
            "attributes": {**record["attributes"], "label": "Renamed", "zip_code": "98101",
                           "address_type": None, "address_type_number": None},
        }
    }  # fmt: skip
    updated = await client.patch(f"/v2/e911s/{record['id']}", json=sent_back, headers=basic(account))
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["attributes"]["label"] == "Renamed"
    assert updated.json()["data"]["attributes"]["address_type"] is None
    invalid = await client.patch(
        f"/v2/e911s/{record['id']}", json={"data": {"attributes": {"zip": "10001"}}}, headers=basic(account)
    )
    assert_error(invalid, 422, "invalid_zip")

    assert (await client.delete(f"/v2/e911s/{record['id']}", headers=basic(account))).status_code == 204
    assert_error(await client.get(f"/v2/e911s/{record['id']}", headers=basic(account)), 404, "e911_not_found")


async def test_assign_list_numbers_and_delete_while_in_use(client, app, account):
    record = await create(client, account)
    number = account.numbers[0]
    path = f"/v2/numbers/{number}/relationships/e911s/{record['id']}"
    assert (await client.patch(path, headers=basic(account))).status_code == 204
    assert (await client.patch(path, headers=basic(account))).status_code == 204  # idempotent
    details = (await client.get(f"/v2/numbers/{number}", headers=basic(account))).json()
    assert details["data"]["relationships"]["e911_address"]["data"] == {"id": record["id"], "type": "e911"}
    using = (
        await client.get(f"/v2/e911s/{record['id']}/relationships/numbers", headers=basic(account))
    ).json()
    assert using["data"] == [
        {
            "attributes": {"alias": None, "value": number},
            "id": number,
            "links": {"self": f"http://127.0.0.1:8080/v2/numbers/{number}"},
            "type": "number",
        }
    ]
    assert_error(await client.delete(f"/v2/e911s/{record['id']}", headers=basic(account)), 409, "e911_in_use")
    removed = await client.delete(f"/v2/numbers/{number}/relationships/e911s", headers=basic(account))
    assert removed.status_code == 204
    assert (await client.delete(f"/v2/e911s/{record['id']}", headers=basic(account))).status_code == 204


async def test_toll_free_numbers_cannot_take_e911(client, app, account):
    await stock(app, ["18002003333"])
    await client.post("/v2/numbers/18002003333", headers=basic(account))
    record = await create(client, account)
    refused = await client.patch(
        f"/v2/numbers/18002003333/relationships/e911s/{record['id']}", headers=basic(account)
    )
    assert_error(refused, 422, "e911_not_supported", "does not support emergency services")
