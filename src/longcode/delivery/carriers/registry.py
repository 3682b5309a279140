"""Keeping a worker's SMPP carriers in step with the `carrier` table (`longcode carriers`):
binds start for a carrier added, restart for one changed, and unbind for one removed."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from longcode.accounts import sealing
from longcode.config import Settings
from longcode.db.tx import Sql, Tx, TxRunner
from longcode.delivery.carriers.smpp.client import CarrierConfig, SmppCarrier
from longcode.delivery.worker import Carriers

log = logging.getLogger(__name__)

CONFIGS = Sql(
    "SELECT name, host, port, system_id, password_sealed, system_type, binds, window_size, tls,"
    " long_messages, gsm_packed FROM carrier ORDER BY name"
)


def password_label(name: str) -> str:
    """What a carrier's sealed password is bound to (it cannot be moved to another carrier)."""
    return f"carrier:{name}"


async def load(tx: Tx, pepper: bytes) -> list[CarrierConfig]:
    configs = []
    for row in await tx.fetchall(CONFIGS, {}):
        name = str(row[0])
        password = sealing.unseal(pepper, password_label(name), row[4])
        if password is None:
            log.error("carrier %s: its password cannot be unsealed (another server's?); skipped", name)
            continue
        configs.append(
            CarrierConfig(
                name,
                row[1],
                int(row[2]),
                row[3],
                password,
                row[5] or "",
                int(row[6]),
                int(row[7]),
                bool(row[8]),
                row[9],
                bool(row[10]),
            )
        )
    return configs


class CarrierRegistry:
    def __init__(self, runner: TxRunner, settings: Settings, pepper: bytes, carriers: Carriers) -> None:
        self._runner = runner
        self._settings = settings
        self._pepper = pepper
        self._carriers = carriers
        self._running: dict[str, SmppCarrier] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Refresh every `carrier_refresh_seconds` (the caller has done the first refresh)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._settings.carrier_refresh_seconds)
            await self.refresh_logged()

    async def refresh_logged(self) -> None:
        try:
            await self.refresh()
        except Exception:
            log.exception("reading the carriers failed; trying again")

    async def refresh(self) -> None:
        wanted = {
            config.name: config for config in await self._runner.read(lambda tx: load(tx, self._pepper))
        }
        for name, carrier in list(self._running.items()):
            if wanted.get(name) != carrier.config:
                await self._stop(name)
        started = []
        for name, config in wanted.items():
            if name not in self._running:
                carrier = SmppCarrier(config, self._runner, self._settings)
                carrier.start()
                self._running[name] = carrier
                self._carriers.add(carrier)
                started.append(carrier.first_bind_tried.wait())
        if started:  # binds tried once (up or refused), at most one connect timeout
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*started), self._settings.smpp_response_timeout_seconds)

    async def _stop(self, name: str) -> None:
        carrier = self._running.pop(name)
        self._carriers.remove(name)
        await carrier.close()

    async def close(self) -> None:
        for name in list(self._running):
            await self._stop(name)
