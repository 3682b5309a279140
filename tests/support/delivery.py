"""Helpers for tests that run the workers: fast settings, sending, waiting for a status."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from longcode.accounts.provisioning import Provisioned
from tests.factories import basic

FAST = {
    "workers": True,
    "worker_poll_seconds": 0.01,
    "sandbox_receipt_delay_seconds": 0.05,
    "delivery_retry_base_seconds": 0.05,
    "webhook_retry_base_seconds": 0.05,
    "pace_longcode_mps": 1000.0,
    "carrier_refresh_seconds": 0.2,
}


async def send(client: httpx.AsyncClient, who: Provisioned, to: str, body: str = "hi", **extra: Any) -> str:
    payload = {"to": to, "from": extra.pop("from_", who.numbers[0]), "body": body, **extra}
    response = await client.post("/v2.1/messages", json=payload, headers=basic(who))
    assert response.status_code == 202, response.text
    return str(response.json()["data"]["id"])


async def mdr(client: httpx.AsyncClient, who: Provisioned, message_id: str) -> dict[str, Any]:
    response = await client.get(f"/v2.1/messages/{message_id}", headers=basic(who))
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


async def wait_status(
    client: httpx.AsyncClient, who: Provisioned, message_id: str, *statuses: str, timeout: float = 10.0
) -> dict[str, Any]:
    """The MDR once its status is one of `statuses`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        record = await mdr(client, who, message_id)
        if record["attributes"]["status"] in statuses:
            return record
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{message_id} is {record['attributes']['status']!r}, not {statuses}")
        await asyncio.sleep(0.02)


async def set_callback(client: httpx.AsyncClient, who: Provisioned, callback_type: str, url: str) -> None:
    response = await client.put(
        f"/v2.1/messages/{callback_type}", json={"callback_url": url}, headers=basic(who)
    )
    assert response.status_code == 204, response.text


async def db_rows(app: Any, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query on the test's database (to look where the API does not show)."""
    from sqlalchemy import text

    from tests.factories import state_of

    async with state_of(app).engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]
