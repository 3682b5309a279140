"""GET /v2.1/messages/{id} and GET /v2.1/messages: lookups, windows, paging, account isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update

from longcode.messaging.models import Message
from tests.factories import basic, state_of
from tests.messaging.test_send_api import DEST, jsonapi, send
from tests.support.errors import assert_error


async def send_many(client, who, count: int) -> list[str]:
    ids = []
    for index in range(count):
        response = await send(client, who, jsonapi(to=DEST, **{"from": who.numbers[0]}, body=f"m{index}"))
        assert response.status_code == 202
        ids.append(response.json()["data"]["id"])
    return ids


async def backdate(app, message_id: str, moment: datetime) -> None:
    async with state_of(app).sessions() as session:
        await session.execute(update(Message).where(Message.id == message_id).values(created_at=moment))
        await session.commit()


class TestGetMessage:
    async def test_get_message_of_another_account_is_not_found(self, client, account, other_account):
        (message_id,) = await send_many(client, account, 1)
        response = await client.get(f"/v2.1/messages/{message_id}", headers=basic(other_account))
        assert_error(response, 404, "message_not_found", message_id)

    async def test_get_message_unknown_id_is_not_found(self, client, account):
        response = await client.get("/v2.1/messages/mdr2-" + "0" * 32, headers=basic(account))
        assert_error(response, 404, "message_not_found")


class TestListMessages:
    async def test_list_messages_newest_first(self, app, client, account):
        ids = await send_many(client, account, 3)
        base = datetime(2026, 3, 1, 12, tzinfo=UTC)
        for offset, message_id in enumerate(ids):
            await backdate(app, message_id, base + timedelta(minutes=offset))
        response = await client.get(
            "/v2.1/messages", params={"start_date": "2026-03-01"}, headers=basic(account)
        )
        assert response.status_code == 200
        assert [item["id"] for item in response.json()["data"]] == list(reversed(ids))

    async def test_list_messages_follows_next_links_to_the_end(self, client, account):
        ids = await send_many(client, account, 7)
        seen: list[str] = []
        url: str | None = "/v2.1/messages?start_date=2000-01-01&limit=3"
        pages = 0
        while url:
            response = await client.get(url, headers=basic(account))
            assert response.status_code == 200, response.text
            body = response.json()
            seen.extend(item["id"] for item in body["data"])
            url = body["links"].get("next")
            pages += 1
        assert pages == 3
        assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))

    async def test_list_messages_links_keep_filters_and_prev(self, client, account):
        await send_many(client, account, 4)
        response = await client.get(
            "/v2.1/messages",
            params={"start_date": "2000-01-01", "end_date": "2100-01-01", "limit": 2, "offset": 2},
            headers=basic(account),
        )
        links = response.json()["links"]
        query = parse_qs(urlsplit(links["prev"]).query)
        assert query["offset"] == ["0"] and query["limit"] == ["2"]
        assert query["start_date"] == ["2000-01-01T00:00:00+00:00"]
        assert query["end_date"] == ["2100-01-01T00:00:00+00:00"]
        assert "next" not in links

    async def test_list_messages_window_excludes_outside(self, app, client, account):
        inside, before, after = await send_many(client, account, 3)
        await backdate(app, inside, datetime(2026, 5, 2, 10, tzinfo=UTC))
        await backdate(app, before, datetime(2026, 5, 1, 23, 59, 59, tzinfo=UTC))
        await backdate(app, after, datetime(2026, 5, 3, 0, 0, 0, tzinfo=UTC))
        response = await client.get(
            "/v2.1/messages",
            params={"start_date": "2026-05-02", "end_date": "2026-05-03"},
            headers=basic(account),
        )
        assert [item["id"] for item in response.json()["data"]] == [inside]

    @pytest.mark.parametrize(
        "start",
        [
            "2026-05-02T00:00:00Z",
            "2026-05-02T00:00:00.00Z",
            "2026-05-02T00:00:00",
            "2026-05-02T00:00:00+00:00",
            "2026-05-02T02:00:00+02:00",
            "2026-05-02T00:00:00.0000000Z",
        ],
    )
    async def test_list_messages_accepts_iso_forms(self, app, client, account, start):
        (message_id,) = await send_many(client, account, 1)
        await backdate(app, message_id, datetime(2026, 5, 2, 0, 0, 0, tzinfo=UTC))
        response = await client.get(
            "/v2.1/messages",
            params={"start_date": start, "end_date": "2026-05-03"},
            headers=basic(account),
        )
        assert [item["id"] for item in response.json()["data"]] == [message_id]

    async def test_list_messages_tolerates_unencoded_plus(self, client, account):
        await send_many(client, account, 1)
        response = await client.get(
            "/v2.1/messages?start_date=2000-01-01T00:00:00+00:00", headers=basic(account)
        )
        assert response.status_code == 200 and len(response.json()["data"]) == 1

    async def test_list_messages_shows_only_own(self, client, account, other_account):
        await send_many(client, account, 2)
        response = await client.get(
            "/v2.1/messages", params={"start_date": "2000-01-01"}, headers=basic(other_account)
        )
        assert response.json()["data"] == []

    @pytest.mark.parametrize(
        ("params", "code", "pointer"),
        [
            ({}, "missing_start_date", "start_date"),
            ({"start_date": "yesterday"}, "invalid_start_date", "start_date"),
            ({"start_date": "2026-01-01", "end_date": "2026-13-01"}, "invalid_end_date", "end_date"),
            ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "invalid_end_date", "end_date"),
            ({"start_date": "2026-01-01", "limit": "0"}, "invalid_limit", "limit"),
            ({"start_date": "2026-01-01", "limit": "-5"}, "invalid_limit", "limit"),
            ({"start_date": "2026-01-01", "limit": "ten"}, "invalid_limit", "limit"),
            ({"start_date": "2026-01-01", "limit": "1001"}, "invalid_limit", "limit"),
            ({"start_date": "2026-01-01", "offset": "-1"}, "invalid_offset", "offset"),
        ],
    )
    async def test_list_messages_bad_parameter_is_422_naming_it(self, client, account, params, code, pointer):
        response = await client.get("/v2.1/messages", params=params, headers=basic(account))
        error = assert_error(response, 422, code, f"'{pointer}'")
        assert error["source"] == {"pointer": pointer}
