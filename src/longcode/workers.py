"""The background workers, listed explicitly: what `longcode serve` runs beside the API and
`longcode worker` runs alone (N API processes and M worker processes can share one PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging

from longcode.config import Settings
from longcode.db.tx import TxRunner
from longcode.delivery.carriers.registry import CarrierRegistry
from longcode.delivery.carriers.sandbox import SandboxCarrier
from longcode.delivery.worker import Carriers, DeliveryWorker
from longcode.webhooks.worker import WebhookWorker

log = logging.getLogger(__name__)

ROLES = ("delivery", "webhooks")


async def run_workers(
    runner: TxRunner, settings: Settings, pepper: bytes, stop: asyncio.Event, roles: tuple[str, ...] = ROLES
) -> None:
    """Run the workers of `roles` until `stop` is set, then shut them down gracefully."""
    jobs = []
    registry: CarrierRegistry | None = None
    if "delivery" in roles:
        carriers = Carriers(SandboxCarrier(runner, settings))
        registry = CarrierRegistry(runner, settings, pepper, carriers)
        jobs.append(registry.run(stop))
        jobs.append(DeliveryWorker(runner, settings, carriers).run(stop))
    if "webhooks" in roles:
        jobs.append(WebhookWorker(runner, settings).run(stop))
    log.info("workers running: %s", ", ".join(roles))
    try:
        if registry is not None:
            await registry.refresh_logged()  # carriers bound before the first claim
        await asyncio.gather(*jobs)
    finally:
        if registry is not None:
            await registry.close()
