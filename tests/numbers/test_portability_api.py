"""POST /v2/portorders/portability: each number with its verdict and reason."""

from __future__ import annotations

from tests.factories import basic, stock
from tests.support.cli import run_cli
from tests.support.errors import assert_error


async def test_each_rule_gives_its_reason(client, app, account):
    await stock(app, ["12062150001"])
    body = {
        "numbers": [
            "+14162030123",
            account.numbers[0],
            "12062150001",
            "+442079460000",
            "12065550123",
            "18004445555",
        ]
    }
    response = await client.post("/v2/portorders/portability", json=body, headers=basic(account))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["portable"] == ["+14162030123", "+18004445555"]
    assert data["nonportable"] == [f"+{account.numbers[0]}", "+12062150001", "+442079460000", "+12065550123"]
    assert data["hypernetwork_enabled"] == []
    reasons = {item["number"]: item["reason"] for item in data["details"]}
    assert reasons["+14162030123"] is None
    assert "held by an account" in reasons[f"+{account.numbers[0]}"]
    assert "inventory" in reasons["+12062150001"]
    assert "North American" in reasons["+442079460000"]
    assert "rate center" in reasons["+12065550123"]


async def test_the_sdks_body_forms(client, account):
    form = await client.post(
        "/v2/portorders/portability",
        content=b"numbers=14162030123&numbers=14162030124",
        headers=basic(account),
    )
    assert form.json()["data"]["portable"] == ["+14162030123", "+14162030124"]
    dotnet = await client.post(
        "/v2/portorders/portability", json="{\"numbers\": ['14162030123']}", headers=basic(account)
    )
    assert dotnet.json()["data"]["portable"] == ["+14162030123"]
    assert_error(
        await client.post("/v2/portorders/portability", json={"numbers": []}, headers=basic(account)),
        422,
        "invalid_numbers",
    )


async def test_port_in_waits_before_messaging(client, account, settings):
    result = await run_cli(
        settings, "numbers", "port-in", "--account", str(account.account_id), "14162030123"
    )
    assert result.exit_code == 0, result.output
    details = (await client.get("/v2/numbers/14162030123", headers=basic(account))).json()
    assert details["data"]["attributes"]["messaging_enabled"] is False
    assert details["data"]["attributes"]["rate_center"] == "toronto"
    refused = await client.post(
        "/v2.1/messages",
        json={"to": "12065550199", "from": "14162030123", "body": "hi"},
        headers=basic(account),
    )
    assert_error(refused, 403, "number_not_sms_enabled", "ported in")
    again = await run_cli(settings, "numbers", "port-in", "--account", str(account.account_id), "14162030123")
    assert again.exit_code == 1 and "already on this platform" in again.output
