"""GET /v2/numbers/available and its area code and exchange lists, over a known inventory."""

from __future__ import annotations

import pytest

from tests.factories import basic, stock
from tests.support.errors import assert_error

SEATTLE = ["12062150001", "12062150002", "12062155551", "12062170123"]
TORONTO = ["14162030009", "14162035556"]
JERSEY = ["12012001234"]
TOLL_FREE = ["18002001111", "18882345678"]
ALL = sorted(SEATTLE + TORONTO + JERSEY + TOLL_FREE)


@pytest.fixture
async def inventory(app):
    await stock(app, SEATTLE + TORONTO + JERSEY + TOLL_FREE)
    await stock(app, ["12062159000"], setup_cost=10_000_000_000)


async def values(client, account, query: str) -> list[str]:
    response = await client.get(f"/v2/numbers/available?limit=200&{query}", headers=basic(account))
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


async def test_search_shows_numbers_as_flowroute_does(client, account, inventory):
    response = await client.get("/v2/numbers/available?starts_with=1416&limit=1", headers=basic(account))
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == [
        {
            "attributes": {
                "monthly_cost": 1.25,
                "number_type": "standard",
                "rate_center": "toronto",
                "setup_cost": 1.0,
                "state": "on",
                "value": "14162030009",
            },
            "id": "14162030009",
            "links": {"related": "http://127.0.0.1:8080/v2/numbers/14162030009"},
            "type": "number",
        }
    ]
    assert body["links"] == {
        "self": "http://127.0.0.1:8080/v2/numbers/available?starts_with=1416&limit=1&offset=0",
        "next": "http://127.0.0.1:8080/v2/numbers/available?starts_with=1416&limit=1&offset=1",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("starts_with=206", sorted(SEATTLE + ["12062159000"])),
        ("starts_with=1206217", ["12062170123"]),
        ("contains=555", ["12062155551", "14162035556"]),
        ("contains=5", [v for v in sorted(ALL + ["12062159000"]) if "5" in v]),
        ("contains=2155", ["12062155551"]),
        ("ends_with=1", ["12062150001", "12062155551", "18002001111"]),
        ("ends_with=0123", ["12062170123"]),
        ("ends_with=78", ["18882345678"]),
        ("state=WA", sorted(SEATTLE + ["12062159000"])),
        ("state=on&rate_center=TORONTO", TORONTO),
        ("state=wa&rate_center=toronto", []),
        ("number_type=tollfree", TOLL_FREE),
        ("number_type=toll-free&ends_with=1111", ["18002001111"]),
        ("number_type=longcode&contains=1111", []),
        ("starts_with=1206&contains=555&ends_with=1", ["12062155551"]),
        # 1111 is a memorable line: a premium ($10) setup, like 12062159000 stocked at $10.
        ("max_setup_cost=1", [v for v in ALL if v != "18002001111"]),
        ("starts_with=1206215&max_setup_cost=10", sorted(SEATTLE[:3] + ["12062159000"])),
    ],
)
async def test_search_filters(client, account, inventory, query, expected):
    assert await values(client, account, query) == expected


async def test_search_pages_to_the_end_in_number_order(client, account, inventory):
    seen, url = [], "/v2/numbers/available?limit=3"
    while url:
        body = (await client.get(url, headers=basic(account))).json()
        seen += [item["id"] for item in body["data"]]
        url = body["links"].get("next", "").removeprefix("http://127.0.0.1:8080")
    assert seen == sorted(set(ALL + ["12062159000"]))


async def test_held_numbers_are_not_for_sale(client, account, other_account, inventory):
    bought = await client.post("/v2/numbers/12062150001", headers=basic(other_account))
    assert bought.status_code == 201
    assert "12062150001" not in await values(client, account, "starts_with=1206")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("starts_with=12a", "invalid_starts_with"),
        ("contains=123456789012", "invalid_contains"),
        ("ends_with=-1", "invalid_ends_with"),
        ("rate_center=seattle", "state_required"),
        ("state=washington", "invalid_state"),
        ("number_type=mobile", "invalid_number_type"),
        ("max_setup_cost=cheap", "invalid_max_setup_cost"),
        ("limit=201", "invalid_limit"),
        ("offset=-1", "invalid_offset"),
    ],
)
async def test_search_refuses_bad_parameters_by_name(client, account, query, code):
    response = await client.get(f"/v2/numbers/available?{query}", headers=basic(account))
    assert_error(response, 422, code)


async def test_search_needs_credentials(client):
    assert_error(await client.get("/v2/numbers/available"), 401, "credentials_missing")


async def test_area_codes_list_each_code_once_in_order(client, account, inventory):
    response = await client.get("/v2/numbers/available/areacodes?limit=3", headers=basic(account))
    body = response.json()
    assert [item["id"] for item in body["data"]] == ["201", "206", "416"]
    assert body["data"][0] == {
        "id": "201",
        "links": {"related": "http://127.0.0.1:8080/v2/numbers/available/exchanges?areacode=201"},
        "type": "areacode",
    }
    assert body["links"]["next"].endswith("/v2/numbers/available/areacodes?limit=3&offset=3")
    rest = await client.get("/v2/numbers/available/areacodes?limit=3&offset=3", headers=basic(account))
    assert [item["id"] for item in rest.json()["data"]] == ["800", "888"]
    assert "next" not in rest.json()["links"]


async def test_area_codes_respect_max_setup_cost(client, account, app):
    await stock(app, ["12062159000"], setup_cost=10_000_000_000)
    await stock(app, ["14162030009"])
    cheap = await client.get("/v2/numbers/available/areacodes?max_setup_cost=3", headers=basic(account))
    assert [item["id"] for item in cheap.json()["data"]] == ["416"]
    assert "max_setup_cost=3" in cheap.json()["links"]["self"]


async def test_exchanges_of_an_area_code(client, account, inventory):
    response = await client.get("/v2/numbers/available/exchanges?areacode=206", headers=basic(account))
    body = response.json()
    assert [item["id"] for item in body["data"]] == ["206215", "206217"]
    assert (
        body["data"][0]["links"]["related"]
        == "http://127.0.0.1:8080/v2/numbers/available?starts_with=1206215"
    )
    assert body["data"][0]["type"] == "exchange"
    everything = await client.get("/v2/numbers/available/exchanges?limit=200", headers=basic(account))
    assert [item["id"] for item in everything.json()["data"]] == [
        "201200", "206215", "206217", "416203", "800200", "888234",
    ]  # fmt: skip
    follow = await client.get(
        f"/v2/numbers/available?starts_with={body['data'][1]['links']['related'].split('=')[1]}",
        headers=basic(account),
    )
    assert [item["id"] for item in follow.json()["data"]] == ["12062170123"]


async def test_exchanges_refuse_a_bad_area_code(client, account):
    response = await client.get("/v2/numbers/available/exchanges?areacode=20", headers=basic(account))
    assert_error(response, 422, "invalid_areacode")
