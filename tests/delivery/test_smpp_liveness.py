"""A bind whose session died without saying so is given up (and bound again by its caller).

smpp34 announces a dropped link with a `Disconnected` event, but drops that event when its
inbound queue is full; the session then fails every submit at once while looking bound. Which
of the two comes first on a real link is a race inside smpp34, so this is shown with stand-ins
for the session: `next()` never returns, and only `is_alive()` tells the truth.
"""

from __future__ import annotations

import asyncio

from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.delivery.carriers.base import Retry
from longcode.delivery.carriers.smpp.client import LIVENESS_SECONDS, CarrierConfig, SmppCarrier, _Bind
from longcode.delivery.queue import Claimed


class SilentSession:
    session_id = "silent"

    async def next(self) -> None:
        await asyncio.Event().wait()  # the Disconnected that never comes

    async def submit_sm(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("ESME_RSYSERR")  # what a dead smpp34 session answers at once


class Client:
    def __init__(self) -> None:
        self.alive = True
        self.asked = 0

    async def is_alive(self) -> bool:
        self.asked += 1
        return self.alive


def claimed() -> Claimed:
    return Claimed(
        id="mdr2-1", account_id=1, from_number="12065550100", to_number="13035550142", body="hi",
        is_mms=False, media_urls="[]", dlr_callback=None, message_encoding=0, segments=1,
        message_type="long-code", created_at=utcnow(), token=1, stage="submit", retries=0,
        paced_at=None, carrier="smsc1", carrier_message_id=None,
    )  # fmt: skip


def carrier(settings: Settings) -> SmppCarrier:
    config = CarrierConfig("smsc1", "127.0.0.1", 2775, "longcode", "secret")
    return SmppCarrier(config, runner=None, settings=settings)  # type: ignore[arg-type]


async def test_a_session_that_died_silently_is_given_up(settings: Settings):
    client = Client()
    bind = _Bind(client, SilentSession(), asyncio.Semaphore(1))
    serving = asyncio.create_task(carrier(settings)._serve(bind))
    await asyncio.sleep(LIVENESS_SECONDS * 1.5)
    assert not serving.done() and client.asked >= 1  # alive: kept
    client.alive = False
    await asyncio.wait_for(serving, LIVENESS_SECONDS * 3)


async def test_a_failed_submit_has_the_session_checked_at_once(settings: Settings):
    smpp = carrier(settings)
    client = Client()
    bind = _Bind(client, SilentSession(), asyncio.Semaphore(1))
    serving = asyncio.create_task(smpp._serve(bind))
    smpp._binds.append(bind)
    await asyncio.sleep(0)  # the watch starts, and would wait a whole interval before asking
    asked = client.asked
    client.alive = False
    result = await smpp.submit(claimed())
    assert isinstance(result, Retry) and "no response" in result.reason
    await asyncio.wait_for(serving, LIVENESS_SECONDS / 2)  # well before the next regular check
    assert client.asked == asked + 1
