"""Opt-out: STOP blocks a number from messaging the sender, START lifts it, HELP is answered."""

from __future__ import annotations

from tests.factories import basic
from tests.support.delivery import send, wait_status
from tests.support.errors import assert_error


async def handset(client, app, to: str, body: str, sender: str = "13035550000") -> None:
    from longcode.sandbox import service
    from tests.factories import state_of

    state = state_of(app)
    await service.inject_inbound(runner=state.runner, settings=state.settings, from_=sender, to=to, body=body)


async def test_stop_blocks_sends_to_that_sender_and_start_lifts_it(client, app, account):
    number = account.numbers[0]
    await handset(client, app, number, " stop ")
    response = await client.post(
        "/v2.1/messages", json={"to": "13035550000", "from": number, "body": "hi"}, headers=basic(account)
    )
    assert_error(response, 403, "recipient_opted_out", "STOP")
    # Other recipients are unaffected.
    await send(client, account, "13035550001")
    await handset(client, app, number, "START")
    await send(client, account, "13035550000")


async def test_unsubscribe_is_a_stop_word_but_a_sentence_is_not(client, app, account):
    number = account.numbers[0]
    await handset(client, app, number, "please stop texting", sender="13035550002")
    await send(client, account, "13035550002")
    await handset(client, app, number, "Unsubscribe", sender="13035550002")
    response = await client.post(
        "/v2.1/messages", json={"to": "13035550002", "from": number, "body": "hi"}, headers=basic(account)
    )
    assert response.status_code == 403


async def test_help_is_answered_with_the_account_help_text(client, app, account):
    await handset(client, app, account.numbers[0], "HELP")
    response = await client.get("/v2.1/messages", params={"start_date": "2020-01-01"}, headers=basic(account))
    (reply,) = [m for m in response.json()["data"] if m["attributes"]["direction"] == "outbound"]
    assert reply["attributes"]["to"] == "13035550000"
    assert reply["attributes"]["from"] == account.numbers[0]
    assert "Reply STOP" in reply["attributes"]["body"]
    await wait_status(client, account, reply["id"], "delivered")
