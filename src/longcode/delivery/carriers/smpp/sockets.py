"""TCP_NODELAY on the sockets smpp34 opens, which it leaves with Nagle's algorithm on.

SMPP is a stream of small PDUs, each waited for. With Nagle's algorithm on, a PDU written while
an earlier one is unacknowledged waits for that ACK, and the peer delays its ACK by up to 40 ms
when it has nothing to send back at once: measured on loopback, 1 submit_sm in 100 took 42 ms
instead of 0.7 ms, and with a window of 10 the whole window waits behind it. Every SMPP stack
worth the name turns it off (Jasmin, Kannel, Cloudhopper). smpp34 1.5 does not, and keeps its
socket to itself, so it is found among the process's descriptors: each TCP socket to (or on)
the SMSC's port is given the option. Another socket to the same port getting it would do no harm.

No descriptor is ever duplicated or closed here, only borrowed (`detach`): closing any
descriptor of a file releases every POSIX lock the process holds on that file, and SQLite's
locks are POSIX locks. A first version closed duplicates of every descriptor it looked at,
the database's among them; another process then found the database unlocked, checkpointed it
and deleted its WAL under the server, and the server's later commits were lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
from pathlib import Path

log = logging.getLogger(__name__)

_FD_DIRS = (Path("/proc/self/fd"), Path("/dev/fd"))


def _descriptors() -> list[int]:
    for directory in _FD_DIRS:
        with contextlib.suppress(OSError):
            return [int(name) for name in os.listdir(directory) if name.isdigit()]
    return []


def no_delay(*, peer_port: int | None = None, local_port: int | None = None) -> int:
    """Set TCP_NODELAY on this process's connected TCP sockets whose remote port is `peer_port`
    (an ESME's link to its SMSC) or whose local port is `local_port` (an SMSC's accepted links);
    how many were set. Descriptors that close meanwhile are skipped."""
    count = 0
    for descriptor in _descriptors():
        try:
            if not stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                continue  # a file (the database's, say): not to be touched
            # Borrowed, not owned: should the descriptor have been closed and reused by a file
            # since fstat, this fails without taking it.
            sock = socket.socket(fileno=descriptor)
        except OSError:
            continue
        try:
            if _matches(sock, peer_port, local_port):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.detach()  # never close: the descriptor is smpp34's
    if count == 0:
        log.debug("no SMPP socket found for TCP_NODELAY (peer %s, local %s)", peer_port, local_port)
    return count


def _matches(sock: socket.socket, peer_port: int | None, local_port: int | None) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return False
    try:
        peer, local = sock.getpeername(), sock.getsockname()
    except OSError:  # a listening or unconnected socket
        return False
    return (peer_port is not None and peer[1] == peer_port) or (
        local_port is not None and local[1] == local_port
    )
