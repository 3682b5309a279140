"""`longcode serve` for real: demo account on first start, the documented curl calls, restarts,
and the CLI acting on the same database while the server runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import httpx
import pytest

from tests.support.server import ServerProcess, server_env

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, database_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    process = ServerProcess(data_dir, database_url)
    process.wait_ready()
    yield process
    process.stop()


def demo(server: ServerProcess) -> dict:
    return json.loads((server.log.parent / "demo.json").read_text())


def test_first_start_creates_demo_account_and_prints_it(server):
    made = demo(server)
    assert set(made) == {"account_id", "access_key", "secret_key", "numbers"}
    long_code, toll_free = made["numbers"]
    assert long_code.startswith("1206") and toll_free.startswith("1844")
    log = server.stop()
    assert made["secret_key"] in log and made["access_key"] in log
    assert (server.log.parent / "demo.json").stat().st_mode & 0o077 == 0


def test_restart_reuses_the_demo_account(server, tmp_path, database_url):
    first = demo(server)
    server.stop()
    again = ServerProcess(server.log.parent, database_url)
    again.wait_ready()
    try:
        assert demo(again) == first
        auth = (first["access_key"], first["secret_key"])
        assert (
            httpx.get(
                f"{again.url}/v2.1/messages", params={"start_date": "2026-01-01"}, auth=auth
            ).status_code
            == 200
        )
    finally:
        again.stop()


def test_first_start_stocks_an_inventory_to_search_and_buy(server, database_url):
    auth = (demo(server)["access_key"], demo(server)["secret_key"])
    found = httpx.get(f"{server.url}/v2/numbers/available", params={"limit": 200}, auth=auth).json()["data"]
    assert len(found) == 200 and all(
        item["attributes"]["rate_center"] or item["attributes"]["number_type"] == "tollfree" for item in found
    )
    codes = httpx.get(f"{server.url}/v2/numbers/available/areacodes", params={"limit": 400}, auth=auth).json()
    assert len(codes["data"]) > 50
    bought = httpx.post(f"{server.url}/v2/numbers/{found[0]['id']}", auth=auth)
    assert bought.status_code == 201
    log = server.stop()
    assert "3,000 numbers ready" in log
    again = ServerProcess(server.log.parent, database_url)
    again.wait_ready()
    try:
        assert "Generating the inventory" not in again.stop()
    finally:
        again.stop()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_documented_curl_calls_work_unchanged(server):
    made = demo(server)
    creds = f"{made['access_key']}:{made['secret_key']}"
    seed = subprocess.run(
        [
            "curl",
            "-s",
            "-u",
            creds,
            "-H",
            "Content-Type: application/json",
            "-X",
            "POST",
            "-d",
            json.dumps({"to": "12066418000", "from": made["numbers"][0], "body": "example body"}),
            f"{server.url}/v2/messages",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(seed.stdout)["data"]["id"].startswith("mdr1-")
    send = subprocess.run(
        [
            "curl",
            "-s",
            "-u",
            creds,
            "-H",
            "Content-Type: application/vnd.api+json",
            "-X",
            "POST",
            "-d",
            json.dumps(
                {
                    "data": {
                        "type": "message",
                        "attributes": {"to": "12066418000", "from": made["numbers"][1], "body": "hi"},
                    }
                }
            ),
            f"{server.url}/v2.1/messages",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    message_id = json.loads(send.stdout)["data"]["id"]
    lookup = subprocess.run(
        ["curl", "-s", "-u", creds, f"{server.url}/v2.1/messages/{message_id}"],
        capture_output=True,
        text=True,
        check=True,
    )
    attributes = json.loads(lookup.stdout)["data"]["attributes"]
    # The workers run inside `serve`: the sandbox carrier may already have taken it.
    assert attributes["status"] in ("queued", "smsc submit", "delivered")
    assert attributes["message_type"] == "toll-free"


def test_cli_revoke_while_server_runs_takes_effect_at_once(server, database_url):
    made = demo(server)
    auth = (made["access_key"], made["secret_key"])
    body = {"to": "12066418000", "from": made["numbers"][0], "body": "before"}
    assert httpx.post(f"{server.url}/v2.1/messages", json=body, auth=auth).status_code == 202
    env = server_env(server.log.parent, database_url)
    subprocess.run(
        [sys.executable, "-c", "from longcode.cli import main; main()", "keys", "revoke", made["access_key"]],
        env=env,
        check=True,
        capture_output=True,
    )
    response = httpx.post(f"{server.url}/v2.1/messages", json=body, auth=auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "Authentication failed."


def test_accepted_messages_survive_a_kill(server, database_url):
    made = demo(server)
    auth = (made["access_key"], made["secret_key"])
    ids = []
    with httpx.Client(base_url=server.url, auth=auth) as http:
        for index in range(50):
            response = http.post(
                "/v2.1/messages", json={"to": "12066418000", "from": made["numbers"][0], "body": str(index)}
            )
            assert response.status_code == 202
            ids.append(response.json()["data"]["id"])
    server.process.kill()  # no shutdown at all: every 202 must already be on disk
    server.process.wait()
    again = ServerProcess(server.log.parent, database_url)
    again.wait_ready()
    try:
        with httpx.Client(base_url=again.url, auth=auth) as http:
            for message_id in ids:
                assert http.get(f"/v2.1/messages/{message_id}").status_code == 200
    finally:
        again.stop()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_serve_with_tls_answers_https(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    data_dir = tmp_path / "tls"
    data_dir.mkdir()
    server = ServerProcess(data_dir, None, "--tls-cert", str(cert), "--tls-key", str(key), scheme="https")
    try:
        server.wait_ready()
        made = json.loads((data_dir / "demo.json").read_text())
        sent = httpx.post(
            f"{server.url}/v2.1/messages",
            json={"to": "12066418000", "from": made["numbers"][0], "body": "tls"},
            auth=(made["access_key"], made["secret_key"]),
            verify=False,
        )
        assert sent.status_code == 202 and sent.json()["data"]["links"]["self"].startswith("https://")
    finally:
        server.stop()
