"""Per-number pacing (a burst waits its turn, none is refused) and graceful shutdown (work in
hand is handed back at once, not left to a lease that runs for 30 s)."""

from __future__ import annotations

import asyncio

import pytest

from longcode.app import create_app
from longcode.db.base import as_utc, utcnow
from tests.delivery.test_smpp import OUTSIDE, use_carrier
from tests.support.delivery import FAST, db_rows, send, wait_status
from tests.support.smsc import driven_smsc


@pytest.mark.parametrize("settings_overrides", [{**FAST, "pace_longcode_mps": 10.0}], indirect=True)
async def test_a_burst_from_one_number_is_paced_not_refused(app, client, account):
    sent = await asyncio.gather(*(send(client, account, "13035550100", f"m{i}") for i in range(10)))
    for message_id in sent:
        await wait_status(client, account, message_id, "delivered")
    times = sorted(as_utc(row[0]) for row in await db_rows(app, "SELECT submitted_at FROM sandbox_outbox"))
    # Ten messages at 10 a second: the tenth leaves about 0.9 s after the first, never sooner.
    assert len(times) == 10
    assert (times[-1] - times[0]).total_seconds() >= 0.85


@pytest.mark.parametrize(
    "settings_overrides",
    [{**FAST, "workers": False, "shutdown_grace_seconds": 0.2, "smpp_response_timeout_seconds": 30.0}],
    indirect=True,
)
async def test_shutdown_hands_back_work_in_hand(app, client, settings, account):
    async def never_answer(submit, event) -> None:
        await asyncio.sleep(3600)

    async with driven_smsc() as smsc:
        smsc.answer = never_answer
        await use_carrier(settings, account, smsc.port)
        # The only workers: a second process's worth, stopped while a submit waits for its answer.
        worker_app = create_app(settings.model_copy(update={"workers": True}))
        async with worker_app.router.lifespan_context(worker_app):
            message_id = await send(client, account, OUTSIDE)
            await smsc.wait_submits(1)
        ((stage, due),) = await db_rows(
            app, "SELECT stage, next_attempt_at FROM message WHERE id = :id", id=message_id
        )
    assert stage == "submit"
    assert as_utc(due) <= utcnow()  # due again now, for the next worker
