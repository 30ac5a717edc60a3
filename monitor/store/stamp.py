"""Is a store's schema up to date? Answered without importing sqlite_utils.

Opening the store for writing applied the migrations (schema.py) through sqlite_utils,
whose import brings numpy: 0.2 s of CPU at every start of every `monitor` process that
writes, although a store is almost always up to date. sqlite_utils decides what is
pending from two things: the migrations schema.py lists and the names recorded in the
store's `_sqlite_migrations` table. So a digest of those two (the source of schema.py,
byte for byte, and the recorded names) is kept in the store's `PRAGMA user_version`
after the migrations ran, and the next open compares it: equal, nothing can be pending,
and sqlite_utils is imported only when the store is first written to. Any edit of
schema.py (a new migration) or of the recorded names (an older store, a test that
unrecords one) gives another digest, and the migrations run as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

_SCHEMA = Path(__file__).with_name("schema.py")


def _stamp(conn: sqlite3.Connection) -> int | None:
    """The digest for this store and this code, or None when it cannot be known (no
    migrations table yet, no schema.py source installed): then the migrations run."""
    try:
        source = _SCHEMA.read_bytes()
        names = conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall()
    except (OSError, sqlite3.Error):
        return None
    digest = hashlib.blake2b(source, digest_size=4)
    for (name,) in names:
        digest.update(f"{name}\x1e".encode())
    # user_version is a signed 32-bit integer, and 0 is every new store's.
    return int.from_bytes(digest.digest(), "big") % (2**31 - 1) + 1


def up_to_date(conn: sqlite3.Connection) -> bool:
    stamp = _stamp(conn)
    return stamp is not None and conn.execute("PRAGMA user_version").fetchone()[0] == stamp


def mark_up_to_date(conn: sqlite3.Connection) -> None:
    """After the migrations ran (the caller holds no transaction: a PRAGMA cannot be
    rolled back with one, and this one is written at once)."""
    stamp = _stamp(conn)
    if stamp is not None:
        conn.execute(f"PRAGMA user_version = {stamp}")
