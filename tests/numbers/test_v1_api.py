"""The v1 Numbers API as its SDKs call it: signed requests, v1 shapes, the same numbers as v2."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import pytest

from tests.factories import basic, stock
from tests.support.errors import assert_error

HOST = "127.0.0.1:8080"


def signed(account, method: str, url: str, body: bytes = b"", *, style: str = "python", moment=None) -> dict:
    """Headers as each official v1 SDK builds them (REFERENCE.md 11.1)."""
    moment = moment or datetime.now(UTC)
    parts = urlsplit(url)
    pairs = [tuple(p.split("=", 1)) for p in parts.query.split("&") if p]
    if style == "python":
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
        query, netloc, body_md5 = (
            urlencode(sorted(pairs)),
            HOST,
            hashlib.md5(body).hexdigest() if body else "",
        )
    elif style == "node":
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        query, netloc = "&".join(f"{k}={v}" for k, v in sorted(pairs)), HOST
        body_md5 = hashlib.md5(body).hexdigest() if body else ""
    else:  # php: no sorting, host without port
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
        query, netloc, body_md5 = (
            parts.query,
            HOST.split(":")[0],
            hashlib.md5(body).hexdigest() if body else "",
        )
    message = f"{timestamp}\n{method}\n{body_md5}\nhttp://{netloc}{parts.path}\n{query}"
    signature = hmac.new(account.secret_key.encode(), message.encode(), hashlib.sha1).hexdigest()
    token = base64.b64encode(f"{account.access_key}:{signature}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Timestamp": timestamp}


async def v1(client, account, method: str, url: str, payload: object = None, **kwargs):
    body = b"" if payload is None else json.dumps(payload).encode()
    headers = signed(account, method, url, body, **kwargs)
    if body:
        headers["Content-Type"] = "application/json; charset=utf-8"
    return await client.request(method, url, content=body, headers=headers)


@pytest.fixture
async def for_sale(app):
    return await stock(app, ["12062150001", "12062150002", "12062170003", "14162030009"])


@pytest.mark.parametrize("style", ["python", "node", "php"])
async def test_each_sdks_signature_is_accepted(client, account, for_sale, style):
    response = await v1(client, account, "GET", "/v1/available-tns/tns/?npa=206&limit=2&nxx=215", style=style)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert list(response.json()["tns"]) == ["12062150001", "12062150002"]


async def test_bad_signatures_and_stale_timestamps_are_refused(client, account, for_sale):
    url = "/v1/available-tns/npas/"
    headers = signed(account, "GET", url)
    headers["Authorization"] = (
        "Basic " + base64.b64encode(f"{account.access_key}:{'0' * 40}".encode()).decode()
    )
    assert_error(await client.get(url, headers=headers), 401, "authentication_failed")
    stale = signed(account, "GET", url, moment=datetime.now(UTC) - timedelta(hours=1))
    assert_error(await client.get(url, headers=stale), 401, "timestamp_out_of_window")
    missing = signed(account, "GET", url)
    del missing["X-Timestamp"]
    assert_error(await client.get(url, headers=missing), 401, "timestamp_missing")
    # The v2 secret as the password is not a v1 signature.
    plain = {**basic(account), "X-Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert_error(await client.get(url, headers=plain), 401, "authentication_failed")
    # A signature for another path does not open this one.
    other = signed(account, "GET", "/v1/tns/")
    assert_error(await client.get(url, headers=other), 401, "authentication_failed")


async def test_npas_and_npanxxs_page_by_page(client, account, for_sale):
    first = (await v1(client, account, "GET", "/v1/available-tns/npas/?limit=1")).json()
    assert first == {
        "npas": {
            "206": {"nxxs": "/v1/available-tns/npanxxs/?npa=206", "tns": "/v1/available-tns/tns/?npa=206"}
        },
        "links": {"next": "/v1/available-tns/npas/?limit=1&page=2"},
    }
    second = (await v1(client, account, "GET", "/v1/available-tns/npas/?limit=1&page=2")).json()
    assert list(second["npas"]) == ["416"]
    assert second["links"] == {"prev": "/v1/available-tns/npas/?limit=1&page=1"}
    exchanges = (await v1(client, account, "GET", "/v1/available-tns/npanxxs/?npa=20")).json()
    assert exchanges["npanxxs"] == {
        "206215": {"tns": "/v1/available-tns/tns/?npa=206&nxx=215"},
        "206217": {"tns": "/v1/available-tns/tns/?npa=206&nxx=217"},
    }


async def test_search_shape_and_filters(client, account, for_sale):
    body = (await v1(client, account, "GET", "/v1/available-tns/tns/?state=on&ratecenter=toronto")).json()
    assert body["tns"] == {
        "14162030009": {
            "initial_cost": "1.00",
            "monthly_cost": "1.25",
            "state": "ON",
            "ratecenter": "TORONTO",
            "billing_methods": ["VPRI", "METERED"],
        }
    }
    assert_error(await v1(client, account, "GET", "/v1/available-tns/tns/?nxx=215"), 422, "npa_required")
    assert_error(await v1(client, account, "GET", "/v1/available-tns/tns/?limit=0"), 422, "invalid_limit")


async def test_purchase_routes_and_details_shared_with_v2(client, account, for_sale):
    bought = await v1(client, account, "PUT", "/v1/tns/12062150001", {"billing_method": "VPRI"})
    assert bought.status_code == 200 and bought.content == b""
    v2 = await client.get("/v2/numbers/12062150001", headers=basic(account))
    assert v2.status_code == 200
    assert_error(
        await v1(client, account, "PUT", "/v1/tns/12062150002", {"billing_method": "FREE"}),
        422,
        "invalid_billing_method",
    )

    created = await v1(
        client, account, "PUT", "/v1/routes/PSTNroute1", {"type": "PSTN", "value": "16476998778"}
    )
    assert created.status_code == 200
    routes = (await v1(client, account, "GET", "/v1/routes/")).json()["routes"]
    assert routes == {
        "sip-reg": {"type": "SIP-REG", "value": None},
        "PSTNroute1": {"type": "PSTN", "value": "16476998778"},
    }
    assert_error(
        await v1(client, account, "PUT", "/v1/routes/PSTNroute1", {"type": "HOST", "value": "a.b"}),
        403,
        "route_alias_taken",
    )
    assert_error(
        await v1(client, account, "PUT", "/v1/routes/x", {"type": "FAX", "value": "1"}),
        422,
        "invalid_route_type",
    )

    patched = await v1(
        client,
        account,
        "PATCH",
        "/v1/tns/12062150001",
        {"routes": [{"name": "PSTNroute1"}, {"name": "sip-reg"}]},
    )
    assert patched.status_code == 200, patched.text
    detail = (await v1(client, account, "GET", "/v1/tns/12062150001")).json()
    assert detail == {
        "routes": [{"type": "PSTN", "name": "PSTNroute1"}, {"type": "SIP-REG", "name": "sip-reg"}],
        "billing_method": "VPRI",
    }
    v2_number = (await client.get("/v2/numbers/12062150001", headers=basic(account))).json()
    assert v2_number["data"]["relationships"]["failover_route"]["data"] == {"id": "0", "type": "route"}
    assert_error(
        await v1(client, account, "PATCH", "/v1/tns/12062150001", {"routes": [{"name": "nope"}]}),
        404,
        "route_not_found",
    )

    listing = (await v1(client, account, "GET", "/v1/tns/?limit=1&pattern=2150001")).json()
    assert listing["tns"]["12062150001"]["detail"] == "/v1/tns/12062150001"
    assert listing["tns"]["12062150001"]["billing_method"] == "VPRI"
    assert_error(await v1(client, account, "GET", "/v1/tns/14162030009"), 404, "number_not_found")
