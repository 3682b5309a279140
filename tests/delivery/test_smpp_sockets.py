"""TCP_NODELAY on SMPP links: smpp34 leaves Nagle's algorithm on, and longcode turns it off on
the sockets it finds by port (an ESME's link to its SMSC, the simulator's accepted links)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from longcode.delivery.carriers.smpp import sockets
from tests.delivery.test_smpp import use_carrier
from tests.delivery.test_smsc_simulator import simulator

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd (Linux)")


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@contextmanager
def loopback_link() -> Iterator[tuple[socket.socket, socket.socket, socket.socket]]:
    """A listening socket, a client connected to it, and the accepted end."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                yield listener, client, accepted


def test_the_link_to_a_peer_port_gets_nodelay_and_nothing_else():
    with loopback_link() as (listener, client, accepted), loopback_link() as (_, other, _):
        port = listener.getsockname()[1]
        assert not nodelay(client)
        assert sockets.no_delay(peer_port=port) == 1
        assert nodelay(client)
        assert not nodelay(accepted) and not nodelay(other)


def test_the_links_accepted_on_a_local_port_get_nodelay():
    with loopback_link() as (listener, client, accepted):
        assert sockets.no_delay(local_port=listener.getsockname()[1]) == 1
        assert nodelay(accepted) and not nodelay(client)


def test_no_matching_socket_sets_nothing():
    with loopback_link() as (listener, client, accepted):
        assert sockets.no_delay(peer_port=1) == 0
        assert not nodelay(client) and not nodelay(accepted)


def tcp_sockets_on(port: int) -> list[tuple[str, bool]]:
    """This process's connected TCP sockets with `port` at either end: which end, and NODELAY
    (borrowed, never closed: closing a descriptor of the test's database would drop its locks)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if not stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                continue
            sock = socket.socket(fileno=int(name))
        except OSError:
            continue
        try:
            if sock.type == socket.SOCK_STREAM and sock.family == socket.AF_INET:
                local, peer = sock.getsockname(), sock.getpeername()
                if port in (local[1], peer[1]):
                    found.append(("smsc" if local[1] == port else "esme", nodelay(sock)))
        except OSError:
            pass
        finally:
            sock.detach()
    return sorted(found)


async def test_both_ends_of_a_bind_to_the_simulator_send_without_delay(client, settings, account):
    async with simulator() as smsc:
        await use_carrier(settings, account, smsc.port)
        deadline = asyncio.get_running_loop().time() + 10
        found = tcp_sockets_on(smsc.port)
        while found != [("esme", True), ("smsc", True)] and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)  # each end sets it once its side of the bind is done
            found = tcp_sockets_on(smsc.port)
    assert found == [("esme", True), ("smsc", True)]


def test_looking_for_sockets_keeps_the_processs_file_locks(tmp_path):
    # Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
    # included: the first version did, and another process then deleted the database's WAL.
    locked = tmp_path / "locked"
    locked.write_bytes(b"x")
    with open(locked, "r+b") as held, loopback_link() as (listener, _, _):
        fcntl.lockf(held, fcntl.LOCK_EX)
        sockets.no_delay(peer_port=listener.getsockname()[1])
        probe = subprocess.run(
            [sys.executable, "-c", PROBE_LOCK, str(locked)], capture_output=True, text=True, timeout=30
        )
    assert probe.stdout.strip() == "held elsewhere", probe.stderr


PROBE_LOCK = """
import fcntl, sys
with open(sys.argv[1], "r+b") as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("held elsewhere")
    else:
        print("free")
"""
