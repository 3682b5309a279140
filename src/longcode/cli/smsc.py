"""`longcode smsc`: a small SMPP 3.4 SMSC simulator for staging (nothing leaves the machine)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Annotated

import typer
import uvloop

if TYPE_CHECKING:
    from longcode.delivery.carriers.smpp.simulator import SmscSimulator

USAGE = "type an MO message as: FROM TO text   (e.g. 13035550100 12065550123 hello)"


def smsc(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 2775,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    receipt_delay: Annotated[
        float, typer.Option("--receipt-delay", min=0, help="Seconds from submit to delivery receipt.")
    ] = 1.0,
    failure_ratio: Annotated[
        float, typer.Option("--failure-ratio", min=0, max=1, help="Share of messages that end UNDELIV.")
    ] = 0.0,
    id_format: Annotated[str, typer.Option("--ids", help="Message ids in 'hex' or 'decimal'.")] = "hex",
) -> None:
    """Accept any bind, answer submits, send receipts; type MO messages on standard input."""
    from longcode.delivery.carriers.smpp.simulator import ID_FORMATS, SmscSimulator

    if id_format not in ID_FORMATS:
        raise typer.BadParameter(f"--ids is one of {', '.join(ID_FORMATS)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    simulator = SmscSimulator(
        host=host, port=port, receipt_delay=receipt_delay, failure_ratio=failure_ratio, id_format=id_format
    )
    try:
        uvloop.run(_main(simulator))  # as `serve` runs: the simulator should not be the bottleneck
    except OSError as exc:
        typer.secho(f"error: cannot listen on {host}:{port}: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    _exit_now()


def _exit_now() -> None:
    """End the process without finalizing the interpreter.

    smpp34 1.5's server leaves tasks on its Rust runtime that call into Python after the event
    loop has closed; when they do while the interpreter finalizes, the process dies with SIGSEGV,
    SIGBUS or SIGABRT (5 of 30 measured stops), and a supervisor sees a clean stop as a crash.
    Everything is said and stored by now, so nothing is lost by skipping finalization.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


async def _main(simulator: SmscSimulator) -> None:
    stop, ready = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read_stdin() -> None:  # a daemon thread: a blocked readline never holds up the exit
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    server = asyncio.create_task(simulator.run(stop, ready))
    await asyncio.wait({server, asyncio.ensure_future(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
    if server.done():
        await server  # raises the listen error
        return
    print(f"SMSC simulator on {simulator.host}:{simulator.port}; any system_id and password bind", flush=True)
    print(USAGE, flush=True)
    threading.Thread(target=read_stdin, name="stdin", daemon=True).start()
    typing = asyncio.create_task(_type_mo(simulator, lines))
    await server
    typing.cancel()
    s = simulator.stats
    print(
        f"stopped: {s.binds} binds, {s.submitted} submits,"
        f" {s.receipts} receipts ({s.failed} failed), {s.mo} MO"
    )


async def _type_mo(simulator: SmscSimulator, lines: asyncio.Queue[str | None]) -> None:
    while (line := await lines.get()) is not None:
        fields = line.strip().split(maxsplit=2)
        if not fields:
            continue
        if len(fields) < 3:
            print(USAGE, flush=True)
            continue
        try:
            parts = await simulator.mo(*fields)
        except Exception as exc:
            print(f"MO not delivered: {exc}", flush=True)
            continue
        print(f"MO sent in {parts} part(s)" if parts else "MO not sent: no ESME is bound", flush=True)
