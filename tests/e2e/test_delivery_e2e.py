"""Delivery for real: a `longcode serve` process, two accounts exchanging SMS and MMS on-net, a
real receiver getting signed inbound and DLR webhooks; and a `longcode worker` killed with
SIGKILL mid-batch, whose work another worker finishes without losing or doubling anything."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, WorkerProcess, server_env
from tests.support.webhook_sink import Received, WebhookSink

pytestmark = pytest.mark.slow

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
FAST_WORKERS = {"LONGCODE_WORKER_POLL_SECONDS": "0.02", "LONGCODE_PACE_LONGCODE_MPS": "1000"}


def cli(data_dir: Path, database_url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from longcode.cli import main; main()", *args],
        env=server_env(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def demo_account(data_dir: Path) -> dict:
    return json.loads((data_dir / "demo.json").read_text())


async def set_callbacks(http: httpx.AsyncClient, who: dict, sink: WebhookSink, name: str) -> None:
    for kind in ("sms_callback", "mms_callback", "sms_dlr_callback", "mms_dlr_callback"):
        path = f"/{name}/dlr" if "dlr" in kind else f"/{name}/{kind}"
        response = await http.put(
            f"/v2.1/messages/{kind}",
            json={"callback_url": sink.url(path)},
            auth=(who["access_key"], who["secret_key"]),
        )
        assert response.status_code == 204, response.text


def signed_by(hit: Received, secret: str) -> bool:
    """The receiver's check, as docs/webhooks.md tells customers to write it."""
    fields = dict(item.split("=", 1) for item in hit.headers["x-longcode-signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + hit.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


async def test_two_accounts_exchange_sms_and_mms_on_net_with_signed_webhooks(tmp_path, database_url, sink):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = ServerProcess(
        data_dir, database_url, env={**FAST_WORKERS, "LONGCODE_MEDIA_ALLOW_PRIVATE": "true"}
    )
    await asyncio.to_thread(server.wait_ready)
    try:
        alice = demo_account(data_dir)
        bob = json.loads(
            cli(data_dir, database_url, "accounts", "create", "bob", "--numbers", "12065550177", "--json")
        )
        secrets = {
            name: cli(data_dir, database_url, "keys", "signing-secret", str(who["account_id"])).strip()
            for name, who in (("alice", alice), ("bob", bob))
        }
        sink.media["/cat.png"] = ("image/png", PNG)
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            await set_callbacks(http, alice, sink, "alice")
            await set_callbacks(http, bob, sink, "bob")
            sms = await http.post(
                "/v2.1/messages",
                json={"from": alice["numbers"][0], "to": bob["numbers"][0], "body": "hi bob"},
                auth=(alice["access_key"], alice["secret_key"]),
            )
            assert sms.status_code == 202
            (inbound,) = await sink.wait_for("/bob/sms_callback")
            # Both receipts of an on-net message are queued at once: they may arrive in either order.
            submitted, dlr = sorted(
                await sink.wait_for("/alice/dlr", count=2),
                key=lambda hit: hit.json["data"]["attributes"]["level"],
            )
            mms = await http.post(
                "/v2.1/messages",
                json={
                    "from": bob["numbers"][0],
                    "to": alice["numbers"][0],
                    "body": "a cat",
                    "is_mms": True,
                    "media_urls": [sink.url("/cat.png")],
                },
                auth=(bob["access_key"], bob["secret_key"]),
            )
            assert mms.status_code == 202
            (inbound_mms,) = await sink.wait_for("/alice/mms_callback")
            _, mms_dlr = sorted(
                await sink.wait_for("/bob/dlr", count=2),
                key=lambda hit: hit.json["data"]["attributes"]["level"],
            )
            (media,) = inbound_mms.json["included"]
            served = await http.get(media["attributes"]["url"])
    finally:
        log = await asyncio.to_thread(server.stop)
    # Inbound SMS: the receiver's MDR plus where to reply, as Flowroute posts it.
    attributes = inbound.json["data"]["attributes"]
    assert inbound.json["data"]["type"] == "message"
    assert (attributes["from"], attributes["to"], attributes["body"]) == (
        alice["numbers"][0],
        bob["numbers"][0],
        "hi bob",
    )
    assert attributes["direction"] == "inbound" and attributes["is_mms"] is False
    assert attributes["message_callback_url"] == sink.url("/bob/sms_callback")
    # Two DLRs, as Flowroute sends them: level 1 at the hand-off, level 2 at delivery.
    level_1 = submitted.json["data"]["attributes"]
    assert (level_1["level"], level_1["status"], level_1["status_code"]) == (1, "smsc submit", None)
    assert dlr.json["data"]["type"] == "delivery_receipt"
    assert dlr.json["data"]["id"] == sms.json()["data"]["id"]
    assert (dlr.json["data"]["attributes"]["status"], dlr.json["data"]["attributes"]["status_code"]) == (
        "delivered",
        1000,
    )
    # Inbound MMS: its media in `included`, served back by longcode byte for byte.
    assert inbound_mms.json["data"]["attributes"]["is_mms"] is True
    assert inbound_mms.json["data"]["relationships"]["media"]["data"] == [
        {"id": media["id"], "type": "media"}
    ]
    assert served.status_code == 200 and served.content == PNG, log
    assert mms_dlr.json["data"]["attributes"]["body"] == ""  # always empty for MMS, as documented
    # Every delivery is signed with the receiving account's secret and carries an event id.
    assert signed_by(inbound, secrets["bob"]) and signed_by(mms_dlr, secrets["bob"])
    assert signed_by(dlr, secrets["alice"]) and signed_by(inbound_mms, secrets["alice"])
    assert not signed_by(inbound, secrets["alice"])
    assert len({hit.headers["x-longcode-event-id"] for hit in sink.received if hit.path != "/cat.png"}) == 6
    # `longcode webhooks list --message` shows the attempts.
    listed = json.loads(
        cli(data_dir, database_url, "webhooks", "list", "--message", sms.json()["data"]["id"], "--json")
    )
    assert [(e["kind"], e["status"], e["attempts"][0]["status_code"]) for e in listed] == [
        ("dlr", "delivered", 200)
    ] * 2


async def distinct_events(sink: WebhookSink, path: str, count: int, timeout: float = 120) -> list[Received]:
    async with asyncio.timeout(timeout):
        while len({hit.headers["x-longcode-event-id"] for hit in sink.at(path)}) < count:
            await asyncio.sleep(0.05)
    return sink.at(path)


async def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path, database_url, sink):
    count = 300
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {**FAST_WORKERS, "LONGCODE_LEASE_SECONDS": "2"}
    server = ServerProcess(data_dir, database_url, "--no-workers", env=env)
    await asyncio.to_thread(server.wait_ready)
    worker = second = None
    try:
        alice = demo_account(data_dir)
        bob = json.loads(
            cli(data_dir, database_url, "accounts", "create", "bob", "--numbers", "12065550188", "--json")
        )
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            await set_callbacks(http, bob, sink, "bob")
            await set_callbacks(http, alice, sink, "alice")
            sent = await asyncio.gather(
                *(
                    http.post(
                        "/v2.1/messages",
                        json={"from": alice["numbers"][0], "to": bob["numbers"][0], "body": f"m{index}"},
                        auth=(alice["access_key"], alice["secret_key"]),
                    )
                    for index in range(count)
                )
            )
            assert {response.status_code for response in sent} == {202}
            worker = WorkerProcess(data_dir, database_url, env=env)
            await sink.wait_for("/bob/sms_callback", count=count // 5, timeout=60)
            worker.kill()  # mid-batch: deliveries and webhooks in flight, leases held
            seen_at_kill = len(sink.at("/bob/sms_callback"))
            second = WorkerProcess(data_dir, database_url, env=env)
            hits = await distinct_events(sink, "/bob/sms_callback", count)
            await distinct_events(sink, "/alice/dlr", count)
            bob_inbound = await http.get(
                "/v2.1/messages",
                params={"start_date": "2000-01-01", "limit": 1000},
                auth=(bob["access_key"], bob["secret_key"]),
            )
            alice_sent = await http.get(
                "/v2.1/messages",
                params={"start_date": "2000-01-01", "limit": 1000},
                auth=(alice["access_key"], alice["secret_key"]),
            )
    finally:
        if second is not None:
            await asyncio.to_thread(second.stop)
        await asyncio.to_thread(server.stop)
    assert seen_at_kill < count  # the kill really came mid-batch
    # Nothing lost: every message arrived once as bob's inbound, and ended delivered.
    bodies = Counter(item["attributes"]["body"] for item in bob_inbound.json()["data"])
    assert bodies == Counter(f"m{index}" for index in range(count))
    assert {item["attributes"]["status"] for item in alice_sent.json()["data"]} == {"delivered"}
    # Webhooks are at-least-once: one the killed worker had posted but not recorded is posted
    # again, with the same event id, so receivers drop it. Every message's event arrived.
    by_body = Counter(hit.json["data"]["attributes"]["body"] for hit in hits)
    assert set(by_body) == set(bodies)
    per_event = {hit.headers["x-longcode-event-id"]: hit.json["data"]["id"] for hit in hits}
    assert len(per_event) == count and len(set(per_event.values())) == count
