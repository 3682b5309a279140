"""A scratch SQLite file with one table `t (id, v TEXT UNIQUE)`, for tests of the database
plumbing (writer, coalescer) below the schema."""

from __future__ import annotations

import sqlite3


def create(path: str, *, wal: bool = False) -> str:
    """Create the file and its table; the path, for chaining."""
    setup = sqlite3.connect(path)
    if wal:
        setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
    setup.commit()
    setup.close()
    return path


def values(path: str) -> list[str]:
    """Every `v` stored, in order (read on a connection of its own: only what was committed)."""
    connection = sqlite3.connect(path)
    try:
        return [v for (v,) in connection.execute("SELECT v FROM t ORDER BY v")]
    finally:
        connection.close()
