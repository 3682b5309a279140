"""A small SMSC for staging and benchmarks (`longcode smsc`), on `smpp34`'s server.

It accepts any bind, answers every submit_sm with a message id (hex or decimal), sends an SMSC
delivery receipt after a delay (text and TLVs, as real SMSCs do), failing a share of messages at
random, and sends mobile-originated messages an operator types (split into concatenated parts
when long). It is not a carrier: nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import smpp34

from longcode.delivery.carriers.smpp import codec, sockets
from longcode.delivery.carriers.smpp.receipts import (
    RECEIPT_TYPE,
    TLV_MESSAGE_STATE,
    TLV_RECEIPTED_MESSAGE_ID,
)
from longcode.messaging.encoding import ENCODING_GSM7, ENCODING_UCS2, is_gsm7

log = logging.getLogger(__name__)

DELIVERED, UNDELIVERABLE = 2, 5
RECEIPT_ATTEMPTS, RECEIPT_RETRY_SECONDS = 5, 1.0
"""A receipt the ESME refuses (ESME_RMSGQFUL) or cannot take (no bind) is sent again, as an SMSC does."""
ID_FORMATS = ("hex", "decimal")


@dataclass
class SimulatorStats:
    binds: int = 0
    submitted: int = 0
    receipts: int = 0
    failed: int = 0
    mo: int = 0


@dataclass
class SmscSimulator:
    host: str = "127.0.0.1"
    port: int = 2775
    receipt_delay: float = 1.0
    failure_ratio: float = 0.0
    id_format: str = "hex"
    system_id: str = "longcode-smsc"
    stats: SimulatorStats = field(default_factory=SimulatorStats)

    def __post_init__(self) -> None:
        if self.id_format not in ID_FORMATS:
            raise ValueError(f"id_format is one of {', '.join(ID_FORMATS)}")
        if not 0 <= self.failure_ratio <= 1:
            raise ValueError("failure_ratio is between 0 and 1")
        self._sessions: dict[str, Any] = {}
        self._ids = itertools.count(random.randrange(1, 1 << 20))
        self._pending: set[asyncio.Task[None]] = set()
        self._random = random.Random()

    async def run(self, stop: asyncio.Event, ready: asyncio.Event | None = None) -> None:
        """Serve until `stop` is set; `ready` is set once the port listens."""
        server = smpp34.Server(self.host, self.port, system_id=self.system_id)
        await server.start()
        if ready is not None:
            ready.set()
        # One task takes events for as long as the server runs: racing each `next()` against
        # `stop` cost two futures and an `asyncio.wait` per PDU, a third of the simulator's CPU.
        serving = asyncio.ensure_future(self._serve(server))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (serving, stopping, *self._pending):
                task.cancel()
            for session in list(self._sessions.values()):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(session.unbind(), 2)
            await server.stop()
        if serving.done() and not serving.cancelled():
            serving.result()  # it only ends by raising: the server failed

    async def _serve(self, server: Any) -> None:
        while True:
            self._handle(await server.next())

    def _handle(self, event: Any) -> None:
        if isinstance(event, smpp34.Esme):
            self._sessions[event.session_id] = event
            sockets.no_delay(local_port=self.port)
            self.stats.binds += 1
            log.info("bind from %s (%s)", event.system_id, event.session_id)
        elif isinstance(event, smpp34.Unbound):
            self._sessions.pop(event.session_id, None)
            log.info("unbind (%s)", event.session_id)
        elif isinstance(event, smpp34.SubmitSmEvent):
            self._submitted(event)

    def _submitted(self, event: Any) -> None:
        number = next(self._ids)
        message_id = format(number, "x") if self.id_format == "hex" else str(number)
        event.accept(message_id)
        self.stats.submitted += 1
        if event.registered_delivery & 0x03:
            self._spawn(self._receipt(event.session_id, event, message_id))

    def _spawn(self, job: Any) -> None:
        task = asyncio.ensure_future(job)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _receipt(self, session_id: str, submit: Any, message_id: str) -> None:
        submitted_at = datetime.now(UTC)
        await asyncio.sleep(self.receipt_delay)
        failed = self._random.random() < self.failure_ratio
        state, stat, err = (UNDELIVERABLE, "UNDELIV", 1) if failed else (DELIVERED, "DELIVRD", 0)
        stamp = "%y%m%d%H%M"
        text = (
            f"id:{message_id} sub:001 dlvrd:{0 if failed else 1:03d} submit date:{submitted_at:{stamp}}"
            f" done date:{datetime.now(UTC):{stamp}} stat:{stat} err:{err:03d} text:"
        )
        for attempt in range(RECEIPT_ATTEMPTS):  # refused (the ESME's queue full) or no link: again later
            if attempt:
                await asyncio.sleep(RECEIPT_RETRY_SECONDS)
            session = self._sessions.get(session_id) or self._receiver()
            if session is None:
                continue
            with contextlib.suppress(Exception):
                response = await session.deliver_sm(
                    submit.source_addr,
                    text.encode("ascii"),
                    source_addr=submit.destination_addr,
                    source_addr_ton=submit.dest_addr_ton,
                    source_addr_npi=submit.dest_addr_npi,
                    dest_addr_ton=submit.source_addr_ton,
                    dest_addr_npi=submit.source_addr_npi,
                    esm_class=RECEIPT_TYPE,
                    tlvs=[
                        smpp34.Tlv(TLV_RECEIPTED_MESSAGE_ID, message_id.encode("ascii") + b"\x00"),
                        smpp34.Tlv(TLV_MESSAGE_STATE, bytes((state,))),
                    ],
                )
                if response.is_success:
                    self.stats.receipts += 1
                    self.stats.failed += failed
                    return
        log.warning("receipt for %s dropped after %d attempts", message_id, RECEIPT_ATTEMPTS)

    def _receiver(self) -> Any | None:
        return next((session for session in self._sessions.values() if session.can_receive), None)

    async def mo(self, source: str, destination: str, text: str) -> int:
        """Send a handset's message to a bound ESME; how many deliver_sm it took (0: nobody bound)."""
        session = self._receiver()
        if session is None:
            return 0
        data_coding = ENCODING_GSM7 if is_gsm7(text) else ENCODING_UCS2
        parts = codec.parts(text, data_coding)
        for part in parts:
            response = await session.deliver_sm(
                destination,
                part.short_message,
                source_addr=source,
                source_addr_ton=1,
                source_addr_npi=1,
                dest_addr_ton=1,
                dest_addr_npi=1,
                esm_class=part.esm_class,
                data_coding=data_coding,
            )
            if not response.is_success:
                raise RuntimeError(f"the ESME answered deliver_sm with status {response.command_status:#x}")
        self.stats.mo += 1
        return len(parts)
