"""Messages over an SMPP 3.4 carrier, against real SMSCs on loopback (tests/support/smsc.py):
submits, receipts in every form, throttling, permanent errors, long messages in both encodings,
MO (concatenated too), a refused bind, a dropped link, a malformed PDU, and unbind at shutdown."""

from __future__ import annotations

import asyncio

import pytest

from longcode.accounts.provisioning import Provisioned
from longcode.config import Settings
from tests.support.cli import run_cli
from tests.support.delivery import FAST, db_rows, mdr, send, wait_status
from tests.support.smsc import Submit, driven_smsc, scripted_smsc

OUTSIDE = "13035550142"
THROTTLED, INVALID_DESTINATION = 0x58, 0x0B


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    return {
        **FAST,
        "smpp_reconnect_max_seconds": 0.3,
        "smpp_response_timeout_seconds": 2.0,
        **getattr(request, "param", {}),
    }


async def use_carrier(settings: Settings, account: Provisioned, port: int, *extra: str) -> None:
    added = await run_cli(
        settings, "carriers", "add", "smsc1", "--host", "127.0.0.1", "--port", str(port),
        "--system-id", "longcode", "--password", "secret", *extra,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assigned = await run_cli(settings, "carriers", "assign", "smsc1", "--account", str(account.account_id))
    assert assigned.exit_code == 0, assigned.output


async def submitted(client, settings: Settings, account: Provisioned, smsc) -> tuple[str, Submit]:
    """A message sent over the carrier and accepted by the SMSC (no receipt yet): its id and PDU."""
    await use_carrier(settings, account, smsc.port)
    message_id = await through(client, account)
    (submit,) = await smsc.wait_submits(1)
    return message_id, submit


async def through(client, account: Provisioned, timeout: float = 10.0) -> str:
    """A message sent over the carrier and answered by the SMSC: its id."""
    message_id = await send(client, account, OUTSIDE)
    await wait_status(client, account, message_id, "smsc submit", timeout=timeout)
    return message_id


async def test_submit_then_receipt_delivers_the_message(app, client, settings, account):
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE, "hello over SMPP")
        (submit,) = await smsc.wait_submits(1)
        assert (submit.source, submit.destination) == (account.numbers[0], OUTSIDE)
        assert (submit.source_ton, submit.dest_ton, submit.registered_delivery) == (1, 1, 1)
        assert submit.short_message == b"hello over SMPP" and submit.data_coding == 0
        await wait_status(
            client, account, message_id, "smsc submit"
        )  # accepted by the SMSC: no final word yet
        await smsc.receipt(submit, "DELIVRD")
        record = await wait_status(client, account, message_id, "delivered")
    receipts = record["attributes"]["delivery_receipts"]
    assert sorted((r["level"], r["status"]) for r in receipts) == [(1, "smsc submit"), (2, "delivered")]
    assert (
        await db_rows(app, "SELECT carrier, carrier_message_id FROM message WHERE id = :id", id=message_id)
    ) == [("smsc1", submit.message_id)]


async def test_a_receipt_naming_the_id_in_decimal_matches_a_hex_submit_response(client, settings, account):
    async with driven_smsc() as smsc:
        message_id, submit = await submitted(client, settings, account, smsc)
        decimal = str(int(submit.message_id or "", 16))
        await smsc.receipt(submit, "DELIVRD", message_id=decimal, tlvs=False)  # the text form only
        await wait_status(client, account, message_id, "delivered")


async def test_a_receipt_in_tlvs_only_is_understood(client, settings, account):
    async with driven_smsc() as smsc:
        message_id, submit = await submitted(client, settings, account, smsc)
        await smsc.receipt(submit, "UNDELIV", text=False)
        record = await wait_status(client, account, message_id, "failed")
    assert "undeliverable" in {r["status"] for r in record["attributes"]["delivery_receipts"]}


async def test_receipts_arriving_together_each_count_once(client, settings, account):
    # An intermediate and a final receipt, then the final again (SMSCs resend), back to back:
    # stored together in one transaction, they must read as they would one by one.
    async with driven_smsc() as smsc:
        message_id, submit = await submitted(client, settings, account, smsc)
        for state in ("ENROUTE", "DELIVRD", "DELIVRD"):  # each answered on arrival, before it is stored
            await smsc.receipt(submit, state)
        record = await wait_status(client, account, message_id, "delivered")
        await asyncio.sleep(0.3)  # time for a wrongly applied duplicate to show
        record = await mdr(client, account, message_id)
    statuses = sorted((r["level"], r["status"]) for r in record["attributes"]["delivery_receipts"])
    assert statuses == [(1, "smsc submit"), (2, "delivered"), (2, "message buffered")]


async def test_a_receipt_that_arrives_before_the_submit_response_is_kept_and_applied(
    client, settings, account
):
    async def receipt_first(submit: Submit, event: object) -> None:
        submit.message_id = "77"
        await smsc.receipt(submit, "DELIVRD", message_id="77")
        await asyncio.sleep(0.2)
        event.accept("77")  # type: ignore[attr-defined]

    async with driven_smsc() as smsc:
        smsc.answer = receipt_first
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE)
        await wait_status(client, account, message_id, "delivered")


async def test_throttling_is_retried_and_the_message_still_goes(app, client, settings, account):
    async def throttle_once(submit: Submit, event: object) -> None:
        if len(smsc.submits) == 1:
            event.reject(THROTTLED)  # type: ignore[attr-defined]
        else:
            await smsc.accept(submit, event)

    async with driven_smsc() as smsc:
        smsc.answer = throttle_once
        await use_carrier(settings, account, smsc.port)
        await smsc.wait_bound()  # else a retry for "no bind is up yet" would count too
        message_id = await send(client, account, OUTSIDE)
        await wait_status(client, account, message_id, "smsc submit")
        assert len(smsc.submits) == 2
    assert (await db_rows(app, "SELECT retries FROM message WHERE id = :id", id=message_id)) == [(1,)]


async def test_a_permanent_error_fails_the_message_naming_it(client, settings, account):
    async def refuse(submit: Submit, event: object) -> None:
        event.reject(INVALID_DESTINATION)  # type: ignore[attr-defined]

    async with driven_smsc() as smsc:
        smsc.answer = refuse
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE)
        record = await wait_status(client, account, message_id, "failed")
    (receipt,) = record["attributes"]["delivery_receipts"]
    assert "ESME_RINVDSTADR" in receipt["status_code_description"]
    assert len(smsc.submits) == 1


def _concatenated(submits: list[Submit]) -> list[tuple[int, int, bytes]]:
    """(total, position, text bytes) of each part, after checking its UDH."""
    out = []
    for submit in submits:
        assert submit.esm_class & 0x40
        udh = submit.short_message[:6]
        assert udh[:3] == b"\x05\x00\x03" and udh[3] == submits[0].short_message[3]
        out.append((udh[4], udh[5], submit.short_message[6:]))
    return out


async def test_a_long_gsm_message_goes_as_concatenated_parts(client, settings, account):
    text = "0123456789" * 20  # 200 GSM characters: two parts of 153 and 47
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE, text)
        submits = await smsc.wait_submits(2)
        await wait_status(client, account, message_id, "smsc submit")
    parts = _concatenated(submits)
    assert [(total, position) for total, position, _ in parts] == [(2, 1), (2, 2)]
    assert b"".join(body for _, _, body in parts).decode("ascii") == text  # digits: one septet an octet
    assert all(submit.data_coding == 0 for submit in submits)


async def test_a_long_ucs2_message_goes_as_concatenated_parts(client, settings, account):
    text = "Grüße aus Zürich 🎉 " * 5  # emoji: UCS-2, 67 code units a part
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE, text)
        await wait_status(client, account, message_id, "smsc submit")
        submits = list(smsc.submits)
    parts = _concatenated(submits)
    assert len(parts) == 2
    assert all(submit.data_coding == 8 for submit in submits)
    assert b"".join(body for _, _, body in parts).decode("utf-16-be") == text


async def test_payload_mode_sends_a_long_message_in_one_pdu(client, settings, account):
    text = "x" * 300
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port, "--long-messages", "payload")
        message_id = await send(client, account, OUTSIDE, text)
        await wait_status(client, account, message_id, "smsc submit")
        (submit,) = smsc.submits
    assert submit.short_message == b"" and submit.tlvs[0x0424] == text.encode("ascii")


async def test_mms_is_refused_by_an_smpp_carrier(client, settings, account):
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        message_id = await send(
            client, account, OUTSIDE, "pic", media_urls=["https://example.com/a.png"], is_mms=True
        )
        record = await wait_status(client, account, message_id, "failed")
    assert "SMS only" in record["attributes"]["delivery_receipts"][0]["status_code_description"]


async def _inbound(client, who: Provisioned) -> list[dict]:
    from tests.factories import basic

    listed = await client.get(
        "/v2.1/messages",
        params={"start_date": "2020-01-01", "end_date": "2100-01-01"},
        headers=basic(who),
    )
    return [m for m in listed.json()["data"] if m["attributes"]["direction"] == "inbound"]


async def wait_inbound(client, who: Provisioned, count: int) -> list[dict]:
    async with asyncio.timeout(10):
        while len(found := await _inbound(client, who)) < count:
            await asyncio.sleep(0.05)
    return found


async def test_mo_messages_become_inbound_and_parts_are_reassembled(client, settings, account):
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        await smsc.mo(OUTSIDE, account.numbers[0], b"single part")
        # Two parts, sent out of order, 16-bit reference (IEI 0x08).
        udh = lambda position: bytes((6, 0x08, 4, 0x01, 0x02, 2, position))  # noqa: E731
        await smsc.mo(
            OUTSIDE, account.numbers[0], udh(2) + "wörld".encode("utf-16-be"), esm_class=0x40, data_coding=8
        )
        await smsc.mo(
            OUTSIDE, account.numbers[0], udh(1) + "hello ".encode("utf-16-be"), esm_class=0x40, data_coding=8
        )
        found = await wait_inbound(client, account, 2)
    bodies = sorted(m["attributes"]["body"] for m in found)
    assert bodies == ["hello wörld", "single part"]
    assert all(m["attributes"]["from"] == OUTSIDE for m in found)


async def test_a_dropped_link_is_bound_again_and_sending_resumes(client, settings, account):
    async with scripted_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        await through(client, account)
        smsc.drop()  # the TCP link dies under the bind
        await through(client, account, timeout=15)
    assert smsc.accepted_binds == 2 and smsc.submits == 2


async def test_a_link_closed_under_a_flood_of_receipts_is_bound_again(client, settings, account):
    # Most of the flood finds smpp34's queue full (ESME_RMSGQFUL, as a real SMSC would retry);
    # the close behind it must still be noticed (test_smpp_liveness.py: when its news is lost).
    async with scripted_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        await through(client, account)
        smsc.flood_then_close(20000)
        async with asyncio.timeout(15):
            while smsc.accepted_binds < 2:
                await asyncio.sleep(0.05)
        await through(client, account, timeout=15)


async def test_a_burst_of_receipts_beyond_smpp34s_own_queue_keeps_the_session(app, client, settings, account):
    # smpp34 ends a session whose queue of deliver_sm (1,024 by default) fills up; longcode
    # gives it room for 8,192 and takes receipts without waiting on the database.
    async with scripted_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        await through(client, account)
        smsc.flood(4000)
        async with asyncio.timeout(20):
            while (await db_rows(app, "SELECT COUNT(*) FROM pending_receipt"))[0][0] < 4000:
                await asyncio.sleep(0.1)
        await through(client, account)
    assert smsc.accepted_binds == 1 and smsc.submits == 2


@pytest.mark.parametrize(
    "settings_overrides",
    [{**FAST, "pace_longcode_mps": 1000.0, "smpp_response_timeout_seconds": 5.0}],
    indirect=True,
)
async def test_no_more_submits_await_their_response_than_the_window(client, settings, account):
    outstanding = most = 0

    async def slowly(submit: Submit, event: object) -> None:
        nonlocal outstanding, most
        outstanding += 1
        most = max(most, outstanding)
        await asyncio.sleep(0.2)
        outstanding -= 1
        await smsc.accept(submit, event)

    async with driven_smsc() as smsc:
        smsc.answer = slowly
        await use_carrier(settings, account, smsc.port, "--window", "3")
        await smsc.wait_bound()
        sent = await asyncio.gather(*(send(client, account, OUTSIDE, f"w{i}") for i in range(12)))
        for message_id in sent:
            await wait_status(client, account, message_id, "smsc submit")
    assert most == 3  # the window was used, and never exceeded


async def test_a_refused_bind_is_retried_with_backoff_and_the_message_waits(client, settings, account):
    async with scripted_smsc(refuse_binds=2) as smsc:
        await use_carrier(settings, account, smsc.port)
        message_id = await send(client, account, OUTSIDE)
        await wait_status(client, account, message_id, "smsc submit", timeout=15)
    assert smsc.bind_attempts == 3 and smsc.submits == 1


async def test_a_malformed_pdu_drops_the_link_and_the_carrier_binds_again(client, settings, account):
    async with scripted_smsc(garbage_after_bind=1) as smsc:
        await use_carrier(settings, account, smsc.port)
        async with asyncio.timeout(15):
            while smsc.accepted_binds < 2:
                await asyncio.sleep(0.05)
        message_id = await send(client, account, OUTSIDE)
        await wait_status(client, account, message_id, "smsc submit", timeout=15)


@pytest.mark.parametrize("settings_overrides", [{**FAST, "smpp_reconnect_max_seconds": 0.3}], indirect=True)
async def test_shutdown_unbinds(settings, account, app):
    from longcode.app import create_app
    from tests.support.smsc import UNBIND

    async with scripted_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        second = create_app(settings)  # a second server process's worth, stopped cleanly
        async with second.router.lifespan_context(second):
            async with asyncio.timeout(10):
                while smsc.accepted_binds < 2:
                    await asyncio.sleep(0.05)
        async with asyncio.timeout(5):
            while smsc.received.count(UNBIND) < 1:
                await asyncio.sleep(0.05)


async def test_removing_an_assigned_carrier_is_refused(settings, account):
    async with driven_smsc() as smsc:
        await use_carrier(settings, account, smsc.port)
        refused = await run_cli(settings, "carriers", "remove", "smsc1")
        assert refused.exit_code == 1 and "assign them elsewhere" in refused.output
        listed = await run_cli(settings, "carriers", "list")
        assert "smsc1" in listed.output and "secret" not in listed.output
        assert (
            await run_cli(settings, "carriers", "assign", "sandbox", "--account", str(account.account_id))
        ).exit_code == 0
        assert (await run_cli(settings, "carriers", "remove", "smsc1")).exit_code == 0
