"""Webhook delivery: signed, the same event id on every retry, retried with backoff up to the
limit, every attempt recorded, and a slow receiver holding up nobody else."""

from __future__ import annotations

import asyncio
import time

import pytest

from longcode.webhooks import signing
from tests.support.delivery import db_rows, send, set_callback, wait_status


async def secret_of(app, account_id: int) -> str:
    (row,) = await db_rows(app, "SELECT signing_secret FROM account WHERE id = :id", id=account_id)
    return str(row[0])


async def attempts_of(app, event_id: str) -> list[tuple]:
    sql = "SELECT status_code, error FROM webhook_attempt WHERE event_id = :id ORDER BY id"
    return await db_rows(app, sql, id=event_id)


async def test_webhook_is_signed_with_the_account_secret(client, app, account, other_account, sink):
    await set_callback(client, other_account, "sms_callback", sink.url("/in"))
    await send(client, account, other_account.numbers[0], "signed")
    (hit,) = await sink.wait_for("/in")
    secret = await secret_of(app, other_account.account_id)
    header = hit.headers["x-longcode-signature"]
    assert signing.verify(secret, hit.body, header)
    assert not signing.verify(secret, hit.body + b" ", header)
    assert not signing.verify("whsec_other", hit.body, header)
    # An old delivery replayed later is refused by its timestamp.
    assert not signing.verify(secret, hit.body, header, now=time.time() + 600)
    assert hit.headers["x-longcode-event-id"].startswith("evt_")


async def test_failed_webhook_is_retried_with_the_same_event_id(client, app, account, other_account, sink):
    await set_callback(client, other_account, "sms_callback", sink.url("/in"))
    sink.failures["/in"] = [500, 503]
    await send(client, account, other_account.numbers[0], "retry me")
    hits = await sink.wait_for("/in", 3)
    assert len({hit.headers["x-longcode-event-id"] for hit in hits}) == 1
    assert len({hit.body for hit in hits}) == 1
    event_id = hits[0].headers["x-longcode-event-id"]
    await asyncio.sleep(0.1)
    assert await attempts_of(app, event_id) == [(500, "HTTP 500"), (503, "HTTP 503"), (200, None)]


@pytest.mark.parametrize("settings_overrides", [{"webhook_max_attempts": 2}], indirect=True)
async def test_webhook_gives_up_after_the_limit(client, app, account, other_account, sink):
    await set_callback(client, other_account, "sms_callback", sink.url("/in"))
    sink.failures["/in"] = [500] * 10
    await send(client, account, other_account.numbers[0], "never")
    hits = await sink.wait_for("/in", 2)
    await asyncio.sleep(0.3)
    assert len(sink.at("/in")) == 2
    event_id = hits[0].headers["x-longcode-event-id"]
    sql = "SELECT status, next_attempt_at FROM webhook_event WHERE id = :id"
    assert await db_rows(app, sql, id=event_id) == [("failed", None)]


async def test_dead_receiver_is_recorded_as_an_error(client, app, account, other_account):
    await set_callback(client, other_account, "sms_callback", "http://127.0.0.1:9/nobody")
    await send(client, account, other_account.numbers[0], "to nobody")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        rows = await db_rows(app, "SELECT status_code, error FROM webhook_attempt")
        if rows:
            break
        await asyncio.sleep(0.05)
    assert rows[0][0] is None and "Connect" in rows[0][1]


@pytest.mark.parametrize(
    "settings_overrides", [{"webhook_account_concurrency": 2, "webhook_timeout_seconds": 3}], indirect=True
)
async def test_slow_receiver_does_not_hold_up_another_account(client, app, account, other_account, sink):
    from tests.factories import make_account

    third = await make_account(app, name="initech")
    await set_callback(client, other_account, "sms_callback", sink.url("/slow"))
    await set_callback(client, third, "sms_callback", sink.url("/fast"))
    sink.delays["/slow"] = 2.5
    for index in range(6):
        await send(client, account, other_account.numbers[0], f"slow {index}")
    await asyncio.sleep(0.2)  # the slow account's deliveries are in flight
    started = time.monotonic()
    await send(client, account, third.numbers[0], "fast")
    await sink.wait_for("/fast", 1, timeout=2.0)
    assert time.monotonic() - started < 2.0


async def test_dlr_goes_to_the_message_dlr_callback_first(client, account, sink):
    await set_callback(client, account, "sms_dlr_callback", sink.url("/account-dlr"))
    message_id = await send(client, account, "13035551234", dlr_callback=sink.url("/own-dlr"))
    await wait_status(client, account, message_id, "delivered")
    hits = await sink.wait_for("/own-dlr", 2)
    assert {hit.json["data"]["attributes"]["status"] for hit in hits} == {"smsc submit", "delivered"}
    assert sink.at("/account-dlr") == []
