"""Recording webhook attempts together (the worker's coalesced transactions): each attempt's
answer in its place, a lost lease refusing only its own."""

from __future__ import annotations

import dataclasses

import pytest

from longcode.db.base import utcnow
from longcode.webhooks import events, queue
from longcode.webhooks.queue import Outcome
from tests.factories import state_of
from tests.support.delivery import db_rows


@pytest.mark.parametrize("settings_overrides", [{"workers": False}], indirect=True)
async def test_attempts_recorded_together_each_get_their_own_answer(app, account):
    runner = state_of(app).runner
    for n in range(3):
        await runner.transaction(
            lambda tx, n=n: events.queue_event(
                tx, account_id=account.account_id, message_id=f"mdr2-{n}", kind="dlr",
                dedupe_key=f"k{n}", url="http://127.0.0.1:9/x", payload={"n": n},
            )
        )  # fmt: skip
    claimed = await runner.transaction(lambda tx: queue.claim_due(tx, limit=10, lease_seconds=30, busy=[]))
    assert len(claimed) == 3
    first, second, third = claimed
    now = utcnow()
    ok, refused = Outcome(now, 200, 5, None), Outcome(now, 500, 5, "HTTP 500")
    stale = dataclasses.replace(first, token=first.token + 1)  # another worker's lease by now
    attempts = [(third, ok, None), (stale, ok, None), (second, refused, now)]
    recorded = await runner.transaction(lambda tx: queue.record_all(tx, attempts))
    assert recorded == [True, False, True]
    rows = dict(await db_rows(app, "SELECT id, status FROM webhook_event"))
    assert rows == {first.id: "pending", second.id: "pending", third.id: "delivered"}
    tried = await db_rows(app, "SELECT event_id, status_code FROM webhook_attempt ORDER BY status_code")
    assert tried == [(third.id, 200), (second.id, 500)]
