"""TCP_NODELAY on SMPP links: smpp34 leaves Nagle's algorithm on, and longcode turns it off on
the sockets it finds by port (an ESME's link to its SMSC, the simulator's accepted links)."""

from __future__ import annotations

import asyncio
import os
import socket
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
    """This process's connected TCP sockets with `port` at either end: which end, and NODELAY."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue
        with sock:
            try:
                if sock.type != socket.SOCK_STREAM or sock.family != socket.AF_INET:
                    continue
                local, peer = sock.getsockname(), sock.getpeername()
            except OSError:
                continue
            if port in (local[1], peer[1]):
                found.append(("smsc" if local[1] == port else "esme", nodelay(sock)))
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
