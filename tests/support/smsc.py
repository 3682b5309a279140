"""SMSCs for the SMPP tests, on loopback, that are not the code under test.

`DrivenSmsc` is `smpp34`'s server, driven by the test: it records every submit_sm, answers each
as the test's `answer` says (accept with an id, reject with a status, receipt first), and sends
receipts and MO messages when the test asks. `ScriptedSmsc` is a few lines of raw SMPP over
asyncio streams for what a well-behaved server cannot do: refuse a bind, send a malformed PDU,
drop the TCP link; it records the PDUs it was sent (an `unbind` at shutdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import smpp34

TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427
STATES = {
    "ENROUTE": 1,
    "DELIVRD": 2,
    "EXPIRED": 3,
    "DELETED": 4,
    "UNDELIV": 5,
    "ACCEPTD": 6,
    "UNKNOWN": 7,
    "REJECTD": 8,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Submit:
    session_id: str
    source: str
    destination: str
    source_ton: int
    dest_ton: int
    esm_class: int
    data_coding: int
    registered_delivery: int
    short_message: bytes
    tlvs: dict[int, bytes]
    message_id: str | None = None


Answer = Callable[[Submit, Any], Awaitable[None]]
"""What the SMSC does with a submit: call `event.accept(id)` or `event.reject(status)`."""


@dataclass
class DrivenSmsc:
    port: int = field(default_factory=free_port)
    submits: list[Submit] = field(default_factory=list)
    sessions: dict[str, Any] = field(default_factory=dict)
    binds: int = 0
    answer: Answer | None = None
    ids: Any = field(default_factory=lambda: itertools.count(0x1A2B3C))

    async def accept(self, submit: Submit, event: Any) -> str:
        submit.message_id = format(next(self.ids), "x")
        event.accept(submit.message_id)
        return submit.message_id

    async def _serve(self, server: Any) -> None:
        while True:
            event = await server.next()
            if isinstance(event, smpp34.Esme):
                self.sessions[event.session_id] = event
                self.binds += 1
            elif isinstance(event, smpp34.Unbound):
                self.sessions.pop(event.session_id, None)
            elif isinstance(event, smpp34.SubmitSmEvent):
                submit = Submit(
                    event.session_id,
                    event.source_addr,
                    event.destination_addr,
                    event.source_addr_ton,
                    event.dest_addr_ton,
                    event.esm_class,
                    event.data_coding,
                    event.registered_delivery,
                    bytes(event.short_message),
                    {tlv.tag: bytes(tlv.value) for tlv in event.tlvs},
                )
                self.submits.append(submit)
                if self.answer is None:
                    await self.accept(submit, event)
                else:
                    asyncio.ensure_future(self.answer(submit, event))

    async def wait_submits(self, count: int, timeout: float = 10.0) -> list[Submit]:
        async with asyncio.timeout(timeout):
            while len(self.submits) < count:
                await asyncio.sleep(0.01)
        return self.submits

    async def wait_bound(self, timeout: float = 10.0) -> Any:
        async with asyncio.timeout(timeout):
            while not self.sessions:
                await asyncio.sleep(0.01)
        return next(iter(self.sessions.values()))

    async def receipt(
        self,
        submit: Submit,
        state: str = "DELIVRD",
        *,
        message_id: str | None = None,
        err: int = 0,
        text: bool = True,
        tlvs: bool = True,
    ) -> None:
        """A delivery receipt for `submit` (naming `message_id`, default the one it was given)."""
        named = message_id or submit.message_id or ""
        body = (
            f"id:{named} sub:001 dlvrd:{int(state == 'DELIVRD'):03d} submit date:2611230800"
            f" done date:2611230801 stat:{state} err:{err:03d} text:"
        ).encode()
        extra = (
            [
                smpp34.Tlv(TLV_RECEIPTED_MESSAGE_ID, named.encode() + b"\x00"),
                smpp34.Tlv(TLV_MESSAGE_STATE, bytes((STATES[state],))),
            ]
            if tlvs
            else []
        )
        session = self.sessions.get(submit.session_id) or await self.wait_bound()
        response = await session.deliver_sm(
            submit.source,
            body if text else b"",
            source_addr=submit.destination,
            esm_class=0x04,
            tlvs=extra,
        )
        assert response.is_success

    async def mo(self, source: str, destination: str, short_message: bytes, **fields: Any) -> None:
        session = await self.wait_bound()
        response = await session.deliver_sm(
            destination, short_message, source_addr=source, source_addr_ton=1, dest_addr_ton=1, **fields
        )
        assert response.is_success


@asynccontextmanager
async def driven_smsc(port: int | None = None) -> AsyncIterator[DrivenSmsc]:
    smsc = DrivenSmsc() if port is None else DrivenSmsc(port=port)
    server = smpp34.Server("127.0.0.1", smsc.port, system_id="test-smsc")
    await server.start()
    task = asyncio.create_task(smsc._serve(server))
    try:
        yield smsc
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        await server.stop()


# Raw SMPP 3.4 for the scripted SMSC: a 16-octet header (length, id, status, sequence).
BIND_TRANSCEIVER, BIND_TRANSCEIVER_RESP = 0x00000009, 0x80000009
SUBMIT_SM, SUBMIT_SM_RESP = 0x00000004, 0x80000004
ENQUIRE_LINK, ENQUIRE_LINK_RESP = 0x00000015, 0x80000015
UNBIND, UNBIND_RESP = 0x00000006, 0x80000006
DELIVER_SM = 0x00000005
ESME_RBINDFAIL = 0x0D


def pdu(command_id: int, status: int, sequence: int, body: bytes = b"") -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, sequence) + body


@dataclass
class ScriptedSmsc:
    """Refuses the first `refuse_binds` binds; after `garbage_after_bind` binds answered it sends
    a malformed PDU (command_length 4) on that link; `drop()` closes every open link."""

    refuse_binds: int = 0
    garbage_after_bind: int = 0
    port: int = field(default_factory=free_port)
    received: list[int] = field(default_factory=list)
    bind_attempts: int = 0
    accepted_binds: int = 0
    submits: int = 0
    _writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        try:
            while True:
                header = await reader.readexactly(16)
                length, command_id, _, sequence = struct.unpack(">IIII", header)
                await reader.readexactly(length - 16)
                self.received.append(command_id)
                if command_id == BIND_TRANSCEIVER:
                    self.bind_attempts += 1
                    if self.bind_attempts <= self.refuse_binds:
                        writer.write(pdu(BIND_TRANSCEIVER_RESP, ESME_RBINDFAIL, sequence))
                        await writer.drain()
                        continue
                    self.accepted_binds += 1
                    writer.write(pdu(BIND_TRANSCEIVER_RESP, 0, sequence, b"scripted\x00"))
                    if self.accepted_binds == self.garbage_after_bind:
                        writer.write(struct.pack(">IIII", 4, 0xDEAD, 0, 1))
                elif command_id == SUBMIT_SM:
                    self.submits += 1
                    writer.write(pdu(SUBMIT_SM_RESP, 0, sequence, f"s{self.submits}\x00".encode()))
                elif command_id == ENQUIRE_LINK:
                    writer.write(pdu(ENQUIRE_LINK_RESP, 0, sequence))
                elif command_id == UNBIND:
                    writer.write(pdu(UNBIND_RESP, 0, sequence))
                    await writer.drain()
                    return
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self._writers.remove(writer)
            writer.close()

    def drop(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()

    def flood(self, receipts: int) -> None:
        """Send `receipts` delivery receipts (for ids nobody knows) on every link in one burst."""
        for writer in list(self._writers):
            writer.write(b"".join(_receipt_pdu(1000 + n) for n in range(receipts)))

    def flood_then_close(self, receipts: int) -> None:
        """`flood`, and close every link behind it: far more than smpp34 queues for the ESME,
        so that its news of the closed link comes while its queue is full."""
        self.flood(receipts)
        for writer in list(self._writers):
            writer.close()


def _receipt_pdu(sequence: int) -> bytes:
    text = (
        f"id:x{sequence} sub:001 dlvrd:001 submit date:2611230800 done date:2611230801"
        " stat:DELIVRD err:000 text:"
    )
    body = (
        b"\x00"  # service_type
        + b"\x01\x0113035550142\x00"  # source: TON, NPI, address
        + b"\x01\x0112065550100\x00"  # destination
        + bytes((0x04, 0, 0))  # esm_class (a receipt), protocol_id, priority_flag
        + b"\x00\x00"  # schedule_delivery_time, validity_period
        + bytes((0, 0, 0, 0, len(text)))  # registered_delivery, replace, data_coding, default id, length
        + text.encode()
    )
    return pdu(DELIVER_SM, 0, sequence, body)


@asynccontextmanager
async def scripted_smsc(**script: Any) -> AsyncIterator[ScriptedSmsc]:
    smsc = ScriptedSmsc(**script)
    server = await asyncio.start_server(smsc._session, "127.0.0.1", smsc.port)
    try:
        yield smsc
    finally:
        smsc.drop()
        server.close()
        await server.wait_closed()
