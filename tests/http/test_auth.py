"""HTTP Basic authentication: 401s with a Flowroute body and WWW-Authenticate, at-once revocation."""

from __future__ import annotations

import base64

import pytest

from tests.factories import basic, revoke, set_enabled
from tests.messaging.test_send_api import DEST, jsonapi, send
from tests.support.errors import assert_error

PROTECTED = [
    ("GET", "/v2.1/messages?start_date=2026-01-01"),
    ("GET", "/v2.1/messages/mdr2-00000000000000000000000000000000"),
    ("POST", "/v2.1/messages"),
    ("PUT", "/v2.1/messages/sms_callback"),
    ("POST", "/v2/messages"),
    ("GET", "/v2/numbers/12065550100/relationships/sms_callback"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_request_without_credentials_is_401(client, method, path):
    response = await client.request(method, path, json={})
    error = assert_error(response, 401, "credentials_missing", "HTTP Basic")
    assert error["title"] == "Unauthorized"
    assert response.headers["www-authenticate"] == 'Basic realm="longcode"'


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer abc", "credentials_malformed"),
        ("Basic !!!notbase64", "credentials_malformed"),
        ("Basic " + base64.b64encode(b"no-colon").decode(), "credentials_malformed"),
    ],
)
async def test_request_with_malformed_credentials_is_401(client, header, code):
    response = await client.get("/v2.1/messages?start_date=2026-01-01", headers={"Authorization": header})
    assert_error(response, 401, code)


async def test_wrong_secret_is_401(client, account):
    token = base64.b64encode(f"{account.access_key}:wrong".encode()).decode()
    response = await client.get(
        "/v2.1/messages?start_date=2026-01-01", headers={"Authorization": f"Basic {token}"}
    )
    assert_error(response, 401, "authentication_failed", "Authentication failed.")


async def test_unknown_access_key_is_401(client):
    token = base64.b64encode(b"99999999:whatever").decode()
    response = await client.post("/v2.1/messages", json={}, headers={"Authorization": f"Basic {token}"})
    assert_error(response, 401, "authentication_failed")


async def test_revoked_key_is_refused_at_once_even_after_a_cached_send(app, client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
    assert (await send(client, account, body)).status_code == 202  # warms the credential cache
    await revoke(app, account.access_key)
    assert_error(await send(client, account, body), 401, "authentication_failed")
    response = await client.get("/v2.1/messages?start_date=2026-01-01", headers=basic(account))
    assert_error(response, 401, "authentication_failed")


async def test_disabled_account_is_refused_at_once_and_reenabled(app, client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
    assert (await send(client, account, body)).status_code == 202
    await set_enabled(app, account.account_id, False)
    assert_error(await send(client, account, body), 401, "authentication_failed")
    await set_enabled(app, account.account_id, True)
    assert (await send(client, account, body)).status_code == 202


async def test_secret_is_not_stored_in_clear(app, account):
    from sqlalchemy import select

    from longcode.accounts.models import ApiKey
    from tests.factories import state_of

    async with state_of(app).sessions() as session:
        stored = (await session.scalars(select(ApiKey))).one()
    assert account.secret_key not in (stored.secret_hash, stored.secret_hint)
    assert len(stored.secret_hash) == 64


async def test_wrong_secret_after_a_cached_success_is_still_401(client, account):
    body = jsonapi(to=DEST, **{"from": account.numbers[0]}, body="x")
    assert (await send(client, account, body)).status_code == 202  # caches the good header
    # A different last character (a random secret ends in "x" one time in 62).
    wrong = account.secret_key[:-1] + ("y" if account.secret_key.endswith("x") else "x")
    token = base64.b64encode(f"{account.access_key}:{wrong}".encode()).decode()
    response = await client.post("/v2.1/messages", json=body, headers={"Authorization": f"Basic {token}"})
    assert_error(response, 401, "authentication_failed")


async def test_revoked_key_is_refused_on_reads_after_cached_reads(app, client, account):
    path = "/v2.1/messages?start_date=2026-01-01"
    assert (await client.get(path, headers=basic(account))).status_code == 200
    await revoke(app, account.access_key)
    assert_error(await client.get(path, headers=basic(account)), 401, "authentication_failed")
