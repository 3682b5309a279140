"""The `longcode` command: accounts and keys against the same database the server uses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from longcode.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(settings, monkeypatch):
    monkeypatch.setenv("LONGCODE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LONGCODE_DATABASE_URL", settings.effective_database_url)
    return settings


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    return result


def test_accounts_create_json_prints_credentials_and_numbers(cli_env):
    result = invoke("accounts", "create", "acme", "--numbers", "12065550111,+18445550112", "--json")
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    assert set(made) == {"account_id", "access_key", "secret_key", "numbers"}
    assert made["numbers"] == ["12065550111", "18445550112"]
    assert len(made["secret_key"]) == 32 and made["access_key"].isdigit()


def test_accounts_create_with_taken_number_fails_cleanly(cli_env):
    assert invoke("accounts", "create", "a", "--numbers", "12065550111").exit_code == 0
    result = invoke("accounts", "create", "b", "--numbers", "12065550111")
    assert result.exit_code == 1
    assert "belongs to another account" in result.output


def test_accounts_create_with_invalid_number_fails_cleanly(cli_env):
    result = invoke("accounts", "create", "a", "--numbers", "+447700900123")
    assert result.exit_code == 1
    assert "international" in result.output


def test_keys_create_list_revoke(cli_env):
    made = json.loads(invoke("accounts", "create", "acme", "--json").output)
    created = invoke("keys", "create", "--account", str(made["account_id"]), "--label", "ci", "--json")
    assert created.exit_code == 0, created.output
    new_key = json.loads(created.output)
    listed = json.loads(invoke("keys", "list", "--account", str(made["account_id"]), "--json").output)
    assert {row["access_key"] for row in listed} == {made["access_key"], new_key["access_key"]}
    assert all(new_key["secret_key"] not in json.dumps(row) for row in listed)
    assert invoke("keys", "revoke", new_key["access_key"]).exit_code == 0
    listed = json.loads(invoke("keys", "list", "--json").output)
    revoked = {row["access_key"]: row["revoked_at"] for row in listed}
    assert revoked[new_key["access_key"]] is not None and revoked[made["access_key"]] is None


def test_keys_revoke_unknown_key_fails_cleanly(cli_env):
    result = invoke("keys", "revoke", "00000000")
    assert result.exit_code == 1 and "No API key" in result.output


def test_keys_create_for_unknown_account_fails_cleanly(cli_env):
    result = invoke("keys", "create", "--account", "999")
    assert result.exit_code == 1 and "No account 999" in result.output


def test_accounts_disable_and_list(cli_env):
    made = json.loads(invoke("accounts", "create", "acme", "--json").output)
    assert invoke("accounts", "disable", str(made["account_id"])).exit_code == 0
    listed = json.loads(invoke("accounts", "list", "--json").output)
    assert listed[0]["status"] == "disabled"


def test_help_is_fast_and_lists_commands():
    result = subprocess.run(
        [sys.executable, "-c", "from longcode.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    for command in ("serve", "accounts", "keys"):
        assert command in result.stdout


def test_bad_database_url_is_a_clean_error(monkeypatch):
    monkeypatch.setenv("LONGCODE_DATABASE_URL", "mysql://u@db/x")
    result = invoke("accounts", "list")
    assert result.exit_code == 2
    assert "LONGCODE_DATABASE_URL" in result.output and "unsupported database" in result.output
    assert "Traceback" not in result.output
