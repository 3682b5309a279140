"""An SMPP 3.4 carrier: N `bind_transceiver` sessions, submits, and what the SMSC sends back.

`smpp34` does the protocol: PDUs, `enquire_link` keep-alive and timers. This class keeps the
binds up (reconnecting with exponential backoff when a link drops or a bind is refused), keeps
each bind's window (at most W submit_sm awaiting their response: smpp34 1.5 takes a
`window_size` but does not enforce it), turns a message into submit_sm PDUs, maps
`command_status` to retry or failure, and hands every deliver_sm to `inbound.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import smpp34

from longcode.config import Settings
from longcode.db.coalesce import Coalescer
from longcode.db.tx import Tx, TxRunner
from longcode.delivery import statuses
from longcode.delivery.carriers.base import Accepted, Failed, Retry, SubmitResult
from longcode.delivery.carriers.smpp import codec, errors, inbound, receipts, sockets
from longcode.delivery.carriers.smpp.receipts import CarrierReceipt
from longcode.delivery.models import LONG_PAYLOAD
from longcode.delivery.queue import Claimed
from longcode.delivery.retry import backoff
from longcode.delivery.statuses import Receipt

log = logging.getLogger(__name__)

REGISTERED_DELIVERY = 0x01
"""Ask for a receipt on success and failure."""
TON_INTERNATIONAL, NPI_E164 = 1, 1
TLV_MESSAGE_PAYLOAD = 0x0424
RECEIVE_CONCURRENCY = 256
"""Mobile-originated deliver_sm being stored at once per bind (they share group commits)."""
INBOUND_CAPACITY = 8192
"""deliver_sm smpp34 holds for a bind until `_receive` takes them (its default is 1024). When the
queue is full, smpp34 1.5 ends the session: every submit then fails with ESME_RSYSERR (measured:
the 1,025th submit of a client that took no receipts). `_receive` therefore never waits on the
database for a receipt, and submits wait instead (`RECEIPTS_HIGH_WATER`)."""
RECEIPTS_HIGH_WATER = 2048
"""Receipts of a carrier waiting for their transaction at most before its submits wait: the
SMSC sends a receipt for every submit, so a database slower than the link slows the submits
rather than letting receipts pile up without bound."""
RECEIPTS_MAX_BACKLOG = 4 * INBOUND_CAPACITY
"""A safety net only: reached, `_receive` waits, and smpp34's own queue fills behind it."""
LIVENESS_SECONDS = 1.0
"""How often a bind's session is asked whether it is alive (see `_watch`)."""


@dataclass(eq=False, slots=True)
class _Bind:
    """One bound session, the client that owns it, and its window."""

    client: Any
    session: Any
    window: asyncio.Semaphore
    suspect: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when a submit failed in a way a dead session fails: `_watch` checks at once."""


@dataclass(frozen=True, slots=True)
class CarrierConfig:
    name: str
    host: str
    port: int
    system_id: str
    password: str
    system_type: str = ""
    binds: int = 1
    window: int = 10
    tls: bool = False
    long_messages: str = "udh"
    gsm_packed: bool = False


class SmppCarrier:
    carries_mms = False  # SMPP carries SMS; MMS needs MM4/MM7, which longcode does not speak

    def __init__(self, config: CarrierConfig, runner: TxRunner, settings: Settings) -> None:
        self.name = config.name
        self.config = config
        self._runner = runner
        self._settings = settings
        self._binds: list[_Bind] = []
        self._turn = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False
        self.last_bind_error: str | None = None
        self.first_bind_tried = asyncio.Event()
        """Set once every bind has been tried once: a starting worker waits for it, so that
        it does not bounce its first messages off a link that is a moment from being up."""
        self._tried = 0
        self._receipts: Coalescer[CarrierReceipt, bool] = Coalescer(
            runner,
            self._take_receipts,
            max_backlog=RECEIPTS_MAX_BACKLOG,
            what=f"storing carrier {config.name}'s receipts",
        )

    def start(self) -> None:
        for index in range(self.config.binds):
            self._tasks.append(asyncio.create_task(self._keep_bound(index), name=f"smpp {self.name}#{index}"))

    @property
    def bound(self) -> int:
        return len(self._binds)

    async def close(self) -> None:
        """Unbind every session and stop reconnecting."""
        self._closing = True
        for bind in list(self._binds):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(bind.session.unbind(), 5)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._binds.clear()

    async def _keep_bound(self, index: int) -> None:
        failures = 0
        while not self._closing:
            client = smpp34.Client(
                self.config.host,
                self.config.port,
                self.config.system_id,
                self.config.password,
                bind_type="TRX",
                system_type=self.config.system_type,
                tls=self.config.tls,
                window_size=self.config.window,
                inbound_capacity=INBOUND_CAPACITY,
                connect_timeout_ms=int(self._settings.smpp_response_timeout_seconds * 1000),
            )
            try:
                session = await client.connect()
            except Exception as exc:  # refused connection, bind refused, TLS failure
                self._tried_once(failures == 0)
                failures += 1
                self.last_bind_error = str(exc) or type(exc).__name__
                delay = backoff(failures - 1, base=1.0, cap=self._settings.smpp_reconnect_max_seconds)
                log.warning(
                    "carrier %s bind #%d failed (%s); again in %.1f s",
                    self.name,
                    index,
                    self.last_bind_error,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            self._tried_once(failures == 0)
            failures, self.last_bind_error = 0, None
            # In a thread: a busy server has thousands of descriptors to look through.
            await asyncio.to_thread(sockets.no_delay, peer_port=self.config.port)
            log.info("carrier %s bind #%d up (%s)", self.name, index, session.session_id)
            bind = _Bind(client, session, asyncio.Semaphore(self.config.window))
            self._binds.append(bind)
            try:
                await self._serve(bind)
            finally:
                if bind in self._binds:
                    self._binds.remove(bind)
                with contextlib.suppress(Exception):
                    await client.stop()
            if not self._closing:
                log.warning("carrier %s bind #%d dropped; binding again", self.name, index)
                await asyncio.sleep(backoff(0, base=1.0, cap=self._settings.smpp_reconnect_max_seconds))

    def _tried_once(self, first: bool) -> None:
        if first and not self.first_bind_tried.is_set():
            self._tried += 1
            if self._tried >= self.config.binds:
                self.first_bind_tried.set()

    async def _serve(self, bind: _Bind) -> None:
        """Until the session ends: take what the SMSC sends, and watch that it is alive."""
        receiving = asyncio.create_task(self._receive(bind.session))
        watching = asyncio.create_task(self._watch(bind))
        try:
            await asyncio.wait({receiving, watching}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (receiving, watching):
                task.cancel()
            await asyncio.gather(receiving, watching, return_exceptions=True)

    async def _watch(self, bind: _Bind) -> None:
        """Return once the session is dead. smpp34 announces a dropped link with a
        `Disconnected` event, but drops that event when its inbound queue is full (receipts
        arriving faster than they are stored): the session then fails every submit at once
        while looking bound, and would until a restart. Asking `is_alive` catches it."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bind.suspect.wait(), LIVENESS_SECONDS)
            bind.suspect.clear()
            if not await bind.client.is_alive():
                log.warning("carrier %s: session %s is dead", self.name, bind.session.session_id)
                return

    async def _receive(self, session: Any) -> None:
        """Take every deliver_sm as it comes. A receipt joins the next shared transaction
        without a task or a future of its own (smpp34 has acknowledged it already, and nothing
        waits for its answer); waiting for each commit in turn, a bind would read receipts
        slower than an SMSC sends them, and the submit_sm_resp PDUs queued behind them on the
        same link would stall every submit. A mobile-originated message is its own transaction."""
        slots = asyncio.Semaphore(RECEIVE_CONCURRENCY)
        taking: set[asyncio.Task[None]] = set()
        try:
            while True:
                event = await session.next()
                if isinstance(event, smpp34.Disconnected):
                    return
                if receipts.is_receipt(event.esm_class):
                    try:
                        receipt = receipts.parse(
                            event.short_message, {tlv.tag: tlv.value for tlv in event.tlvs}
                        )
                    except Exception:  # one odd PDU must not end the session
                        log.exception("carrier %s: a delivery receipt could not be read", self.name)
                        continue
                    if receipt is not None:
                        await self._receipts.put(receipt)
                    continue
                await slots.acquire()
                task = asyncio.create_task(self._take_mo(event, slots))
                taking.add(task)
                task.add_done_callback(taking.discard)
        finally:
            if taking:
                await asyncio.wait(taking)
            await self._receipts.drained()

    async def _take_mo(self, event: Any, slots: asyncio.Semaphore) -> None:
        settings = self._settings
        try:
            await self._runner.transaction(
                lambda tx: inbound.take_mo(
                    tx,
                    settings,
                    self.name,
                    source=event.source_addr,
                    destination=event.destination_addr,
                    short_message=event.short_message,
                    esm_class=event.esm_class,
                    data_coding=event.data_coding,
                )
            )
        except Exception:
            log.exception("carrier %s: a mobile-originated deliver_sm could not be stored", self.name)
        finally:
            slots.release()

    async def _take_receipts(self, tx: Tx, batch: list[CarrierReceipt]) -> list[bool]:
        return await inbound.take_receipts(tx, self._settings, self.name, batch)

    async def submit(self, message: Claimed) -> SubmitResult:
        if not self._binds:
            reason = f"carrier {self.name}: no bind is up" + (
                f" ({self.last_bind_error})" if self.last_bind_error else ""
            )
            return Retry(reason)
        if self._receipts.backlog >= RECEIPTS_HIGH_WATER:
            try:  # bounded: a message held past its lease would be sent twice
                async with asyncio.timeout(self._settings.smpp_response_timeout_seconds):
                    await self._receipts.below(RECEIPTS_HIGH_WATER)
            except TimeoutError:
                return Retry(
                    f"carrier {self.name}: its receipts are waiting to be stored (the database is behind)"
                )
        bind = self._binds[next(self._turn) % len(self._binds)]
        message_id: str | None = None
        for pdu in self._pdus(message):
            try:
                async with bind.window:
                    # asyncio.timeout, not wait_for: no task per submit on the hot path.
                    async with asyncio.timeout(self._settings.smpp_response_timeout_seconds):
                        response = await bind.session.submit_sm(message.to_number, **pdu)
            except (TimeoutError, smpp34.SmppError, OSError, RuntimeError) as exc:
                bind.suspect.set()  # a dead session fails this way: have it checked now
                return Retry(f"carrier {self.name}: submit_sm got no response ({type(exc).__name__} {exc})")
            if response.command_status != 0:
                described = errors.describe(response.command_status)
                if errors.is_temporary(response.command_status):
                    return Retry(f"carrier {self.name}: {described}")
                return Failed(statuses.SMSC_REJECT.because(f"The carrier refused the message: {described}"))
            message_id = response.message_id
        # The receipt that ends the message is the one for its last part (docs/delivery.md).
        return Accepted(message_id)

    def _pdus(self, message: Claimed) -> list[dict[str, Any]]:
        text = message.body or ""
        data_coding = codec.data_coding_for(message.message_encoding)
        common: dict[str, Any] = {
            "source_addr": message.from_number,
            "source_addr_ton": TON_INTERNATIONAL,
            "source_addr_npi": NPI_E164,
            "dest_addr_ton": TON_INTERNATIONAL,
            "dest_addr_npi": NPI_E164,
            "registered_delivery": REGISTERED_DELIVERY,
            "data_coding": data_coding,
        }
        if self.config.long_messages == LONG_PAYLOAD and message.segments > 1:
            payload = codec.encode_text(text, data_coding, packed=self.config.gsm_packed)
            return [{**common, "tlvs": [smpp34.Tlv(TLV_MESSAGE_PAYLOAD, payload)]}]
        return [
            {**common, "short_message": part.short_message, "esm_class": part.esm_class}
            for part in codec.parts(text, data_coding, packed=self.config.gsm_packed)
        ]

    async def settle(self, tx: Tx, message: Claimed) -> Receipt | None:
        return None  # receipts arrive by deliver_sm; being due means the validity has run out
