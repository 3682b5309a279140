"""Two API processes on one database (SQLite file or PostgreSQL): both accept sends, nothing is
lost, and an `Idempotency-Key` holds across processes."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.server import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture
def two_servers(tmp_path, database_url):
    data_dir = tmp_path / "shared"
    data_dir.mkdir()
    first = ServerProcess(data_dir, database_url)
    first.wait_ready()  # the first start migrates and creates the demo account
    second = ServerProcess(data_dir, database_url)
    second.wait_ready()
    yield first, second, json.loads((data_dir / "demo.json").read_text())
    first.stop()
    second.stop()


def post(url: str, demo: dict, body: str, key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    payload = {"to": "12066418000", "from": demo["numbers"][0], "body": body}
    return httpx.post(
        f"{url}/v2.1/messages",
        json=payload,
        headers=headers,
        auth=(demo["access_key"], demo["secret_key"]),
        timeout=30,
    )


def test_both_processes_accept_and_every_message_is_stored(two_servers):
    first, second, demo = two_servers
    urls = [first.url, second.url] * 40
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda item: post(item[1], demo, f"m{item[0]}"), enumerate(urls)))
    assert {r.status_code for r in responses} == {202}
    ids = {r.json()["data"]["id"] for r in responses}
    assert len(ids) == 80
    auth = (demo["access_key"], demo["secret_key"])
    listing = httpx.get(
        f"{first.url}/v2.1/messages", params={"start_date": "2000-01-01", "limit": 1000}, auth=auth
    )
    assert {item["id"] for item in listing.json()["data"]} == ids


def test_idempotency_key_holds_across_processes(two_servers):
    first, second, demo = two_servers
    urls = [first.url, second.url] * 8
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda url: post(url, demo, "once", key="shared-key"), urls))
    assert {r.status_code for r in responses} == {202}
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    auth = (demo["access_key"], demo["secret_key"])
    listing = httpx.get(f"{second.url}/v2.1/messages", params={"start_date": "2000-01-01"}, auth=auth)
    assert len(listing.json()["data"]) == 1
