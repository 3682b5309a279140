"""`longcode billing statement`: a month's numbers and messages for one account."""

from __future__ import annotations

import json

from longcode.db.base import utcnow
from tests.factories import basic, stock
from tests.support.cli import run_cli


async def test_statement_sums_setup_monthly_and_messages(client, app, account, other_account, settings):
    await stock(app, ["12062150001", "12062150002"])
    await client.post("/v2/numbers/12062150001", headers=basic(account))
    await client.post("/v2/numbers/12062150002", headers=basic(other_account))
    for body in ("one", "x" * 200):
        sent = await client.post(
            "/v2.1/messages",
            json={"to": "12065550199", "from": "12062150001", "body": body},
            headers=basic(account),
        )
        assert sent.status_code == 202
    refused = await client.post(
        "/v2.1/messages",
        json={"to": "+447700900123", "from": "12062150001", "body": "x"},
        headers=basic(account),
    )
    assert refused.status_code == 422
    month = utcnow().strftime("%Y-%m")
    result = await run_cli(
        settings, "billing", "statement", str(account.account_id), "--month", month, "--json"
    )
    assert result.exit_code == 0, result.output
    statement = json.loads(result.output)
    assert statement["setup"] == 1_000_000_000 and statement["setup_numbers"] == ["12062150001"]
    # The operator-assigned number costs nothing a month; the bought one $1.25.
    assert statement["monthly"] == 1_250_000_000
    assert statement["messages"] == [
        {"direction": "outbound", "kind": "sms", "messages": 2, "segments": 3, "amount": 12_000_000}
    ]
    assert statement["total"] == 1_000_000_000 + 1_250_000_000 + 12_000_000
    text = await run_cli(settings, "billing", "statement", str(account.account_id), "--month", month)
    assert "$2.2620" in text.output
    empty = await run_cli(
        settings, "billing", "statement", str(account.account_id), "--month", "2001-01", "--json"
    )
    assert json.loads(empty.output)["total"] == 0
    bad = await run_cli(settings, "billing", "statement", str(account.account_id), "--month", "May")
    assert bad.exit_code == 1 and "YYYY-MM" in bad.output
