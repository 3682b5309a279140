"""The requests the official Flowroute SDKs send, byte for byte as REFERENCE.md recorded them
(`PY3-run`: the v3 Python SDK, unmodified, against a capturing server), answered as the SDK expects.

The SDKs themselves are not in PyPI or npm (they install from GitHub), so they cannot be run
here; replaying their recorded wire requests through a real HTTP server is the stand-in.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.support.server import ServerProcess

pytestmark = pytest.mark.slow

SDK_HEADERS = {"user-agent": "Flowroute SDK v3.0", "accept": "application/vnd.api+json"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sdk")
    server = ServerProcess(data_dir, None)
    server.wait_ready()
    demo = json.loads((data_dir / "demo.json").read_text())
    token = base64.b64encode(f"{demo['access_key']}:{demo['secret_key']}".encode()).decode()
    with httpx.Client(
        base_url=server.url, headers={**SDK_HEADERS, "authorization": f"Basic {token}"}
    ) as http:
        yield http, demo
    server.stop()


def test_send_a_message_as_the_python_sdk_sends_it(live):
    http, demo = live
    body = {
        "data": {
            "type": "message",
            "attributes": {
                "to": "12065550000",
                "from": demo["numbers"][0],
                "body": "hello there",
                "is_mms": "true",
                "media_urls": ["http://s3.amazonaws.com/barkpost-assets/50+GIFs/37.gif"],
                "dlr_callback": "http://httpbin.org/status/:code",
            },
        }
    }
    response = http.post(
        "/v2.1/messages",
        content=json.dumps(body),
        headers={"content-type": "application/vnd.api+json; charset=utf-8"},
    )
    assert response.status_code == 202
    assert response.json()["data"]["id"].startswith("mdr2-")


def test_look_up_a_set_of_messages_with_the_sdks_naive_dates(live):
    http, _ = live
    response = http.get(
        "/v2.1/messages?start_date=2024-01-01T00%3A00%3A00&end_date=2099-01-01T10%3A00%3A00%2B00%3A00&limit=10"
    )
    assert response.status_code == 200
    assert isinstance(response.json()["data"], list)


def test_set_account_callback_as_the_python_sdk_sends_it(live):
    http, _ = live
    body = json.dumps({"data": {"attributes": {"callback_url": "http://example.com/sms"}}})
    response = http.put(
        "/v2.1/messages/sms_callback",
        content=body,
        headers={"content-type": "application/vnd.api+json; charset=utf-8"},
    )
    assert response.status_code == 204 and response.content == b""


def test_set_did_callback_without_content_type(live):
    http, demo = live
    body = json.dumps({"data": {"attributes": {"callback_url": "http://www.example.com/test"}}})
    response = http.post(f"/v2/numbers/{demo['numbers'][0]}/relationships/dlr_callback", content=body)
    assert response.status_code == 204


def test_sdk_error_parsing_finds_errors_array(live):
    """The SDK turns 401/403/404/422 into ErrorException from `errors[].{id,status,detail,title}`."""
    http, demo = live
    response = http.post(
        "/v2.1/messages", content=json.dumps({"to": "1", "from": demo["numbers"][0], "body": "x"})
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert {"id", "status", "detail", "title"} <= set(error)


def test_legacy_messaging_sdk_send(live):
    """The v2 messaging SDKs send `content`, not `body`, with application/json."""
    http, demo = live
    body = {"to": "15305557784", "from": demo["numbers"][0], "content": "Gee, nice marmot!"}
    response = http.post("/v2/messages", json=body)
    assert response.status_code == 200 and response.json()["data"]["id"].startswith("mdr1-")
