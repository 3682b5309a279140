"""`Idempotency-Key` (longcode's extension): one message per key and body, for 24 hours."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from longcode.db.base import utcnow
from longcode.messaging.models import IdempotencyKey, Message
from tests.factories import state_of
from tests.messaging.test_send_api import DEST, jsonapi, send
from tests.support.errors import assert_error


async def count_messages(app) -> int:
    async with state_of(app).sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Message)) or 0)


async def test_retry_with_same_key_and_body_answers_the_first_result(app, client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="once")
    first = await send(client, account, body, headers={"Idempotency-Key": "k-1"})
    again = await send(client, account, body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await count_messages(app) == 1


async def test_same_key_with_different_body_is_422(app, client, account):
    await send(
        client,
        account,
        jsonapi(to=DEST, **{"from": account.numbers[0]}, body="a"),
        headers={"Idempotency-Key": "k"},
    )
    response = await send(
        client,
        account,
        jsonapi(to=DEST, **{"from": account.numbers[0]}, body="b"),
        headers={"Idempotency-Key": "k"},
    )
    assert_error(response, 422, "idempotency_key_reused", "different request body")
    assert await count_messages(app) == 1


async def test_same_key_in_other_account_is_independent(app, client, account, other_account):
    for who in (account, other_account):
        response = await send(
            client,
            who,
            jsonapi(to=DEST, **{"from": who.numbers[0]}, body="x"),
            headers={"Idempotency-Key": "shared"},
        )
        assert response.status_code == 202
    assert await count_messages(app) == 2


async def test_key_older_than_24_hours_sends_again(app, client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="daily")
    first = await send(client, account, body, headers={"Idempotency-Key": "day"})
    async with state_of(app).sessions() as session:
        await session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        await session.commit()
    second = await send(client, account, body, headers={"Idempotency-Key": "day"})
    assert second.status_code == 202
    assert second.json()["data"]["id"] != first.json()["data"]["id"]
    assert await count_messages(app) == 2


async def test_concurrent_retries_store_one_message(app, client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="race")
    responses = await asyncio.gather(
        *[send(client, account, body, headers={"Idempotency-Key": "race"}) for _ in range(10)]
    )
    assert {r.status_code for r in responses} == {202}
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    assert await count_messages(app) == 1


async def test_refused_send_does_not_consume_the_key(app, client, account, other_account):
    spoof = jsonapi(to=DEST, **{"from": other_account.numbers[0]}, body="x")
    assert (await send(client, account, spoof, headers={"Idempotency-Key": "k"})).status_code == 403
    good = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
    assert (await send(client, account, good, headers={"Idempotency-Key": "k"})).status_code == 202


async def test_overlong_idempotency_key_is_422(client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
    response = await send(client, account, body, headers={"Idempotency-Key": "k" * 256})
    assert_error(response, 422, "invalid_idempotency_key")
