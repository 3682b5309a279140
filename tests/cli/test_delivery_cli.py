"""The delivery commands against a running app's database: webhooks list, signing secrets,
the sandbox control plane, HELP replies, and the worker's role check."""

from __future__ import annotations

import json

import pytest

from longcode.messaging.optout import DEFAULT_HELP_REPLY
from tests.support.cli import run_cli
from tests.support.delivery import FAST, send, set_callback, wait_status


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(FAST)


async def test_webhooks_list_shows_each_attempt(client, settings, account, sink):
    sink.failures["/dlr"] = [500]
    await set_callback(client, account, "sms_dlr_callback", sink.url("/dlr"))
    message_id = await send(client, account, "13035550100")
    await wait_status(client, account, message_id, "delivered")
    await sink.wait_for("/dlr", count=3)  # the 500, its retry, and the level-2 receipt
    listed = await run_cli(settings, "webhooks", "list", "--message", message_id, "--json")
    events = json.loads(listed.output)
    codes = sorted(attempt["status_code"] for event in events for attempt in event["attempts"])
    assert codes == [200, 200, 500]
    assert {event["status"] for event in events} == {"delivered"}
    table = await run_cli(settings, "webhooks", "list", "--account", str(account.account_id))
    assert "HTTP 500" in table.output and sink.url("/dlr") in table.output


async def test_signing_secret_is_stable_until_rotated(settings, account):
    first = (await run_cli(settings, "keys", "signing-secret", str(account.account_id))).output.strip()
    again = (await run_cli(settings, "keys", "signing-secret", str(account.account_id))).output.strip()
    rotated = await run_cli(settings, "keys", "signing-secret", str(account.account_id), "--rotate")
    assert first == again and first.startswith("whsec_")
    assert rotated.output.strip() != first
    missing = await run_cli(settings, "keys", "signing-secret", "999")
    assert missing.exit_code == 1 and "No account 999" in missing.output


async def test_sandbox_commands_drive_the_carrier(client, settings, account):
    changed = await run_cli(settings, "sandbox", "carrier", "--failure-ratio", "1")
    assert "failure_ratio            1" in changed.output
    message_id = await send(client, account, "13035550100", "doomed")
    await wait_status(client, account, message_id, "failed")
    outbox = json.loads(
        (await run_cli(settings, "sandbox", "outbox", "--number", "13035550100", "--json")).output
    )
    assert [(row["message_id"], row["body"], row["status"]) for row in outbox] == [
        (message_id, "doomed", "failed")
    ]
    injected = await run_cli(
        settings, "sandbox", "inbound", "--from", "13035550100", "--to", account.numbers[0], "--body", "hello"
    )
    assert injected.exit_code == 0 and injected.output.startswith("mdr2-")
    reset = await run_cli(settings, "sandbox", "reset", str(account.account_id))
    assert "2 messages" in reset.output
    assert "the sandbox outbox is empty" in (await run_cli(settings, "sandbox", "outbox")).output
    bad = await run_cli(settings, "sandbox", "carrier", "--failure-ratio", "2")
    assert bad.exit_code == 1 and "failure_ratio" in bad.output


async def test_help_reply_is_shown_set_and_reset(settings, account):
    account_id = str(account.account_id)
    assert (
        await run_cli(settings, "accounts", "help-reply", account_id)
    ).output.strip() == DEFAULT_HELP_REPLY
    await run_cli(settings, "accounts", "help-reply", account_id, "Acme: reply STOP to stop.")
    assert (
        await run_cli(settings, "accounts", "help-reply", account_id)
    ).output.strip() == "Acme: reply STOP to stop."
    reset = await run_cli(settings, "accounts", "help-reply", account_id, "--default")
    assert reset.output.strip() == DEFAULT_HELP_REPLY
    too_long = await run_cli(settings, "accounts", "help-reply", account_id, "x" * 400)
    assert too_long.exit_code == 2


async def test_worker_refuses_an_unknown_role(settings):
    result = await run_cli(settings, "worker", "--role", "mailer")
    assert result.exit_code == 2 and "unknown role mailer" in result.output


async def test_carriers_add_names_the_smpp_limit_broken(settings):
    args = ["carriers", "add", "acme", "--host", "127.0.0.1", "--system-id", "longcode"]
    too_long = await run_cli(settings, *args, "--password", "123456789")
    assert too_long.exit_code == 1 and "at most 8 characters" in too_long.output
    sandbox = await run_cli(
        settings, "carriers", "add", "sandbox", "--host", "h", "--system-id", "x", "--password", "p"
    )
    assert sandbox.exit_code == 1 and "not 'sandbox'" in sandbox.output
    assert (await run_cli(settings, *args, "--password", "secret")).exit_code == 0
    again = await run_cli(settings, *args, "--password", "secret")
    assert again.exit_code == 1 and "--replace" in again.output
    missing = await run_cli(settings, "carriers", "assign", "nope", "--account", "1")
    assert missing.exit_code == 1 and "No carrier nope" in missing.output
