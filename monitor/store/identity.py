"""A store's identity: a random id made once, when the store is created or upgraded.

Alert idempotency keys include it (monitor/alerts/rules.py alert_key). Without it the
key was a hash of (rule, article id) alone, and article ids restart at 1 in every store:
two monitors sending to one receiver, or a store rebuilt from scratch, sent the same key
for different alerts, and a receiver that deduplicates on the key dropped them.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any, Protocol


class Executes(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


def create(db: Executes) -> None:
    """The store_meta table with a new random store_id (a migration calls this once)."""
    db.execute("CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "INSERT OR IGNORE INTO store_meta (name, value) VALUES ('store_id', ?)",
        [secrets.token_hex(16)],
    )


def store_id(db: Executes) -> str:
    """This store's id; "" for a store not yet upgraded (read-only, older version)."""
    try:
        row = db.execute("SELECT value FROM store_meta WHERE name = 'store_id'").fetchone()
    except sqlite3.OperationalError:
        return ""
    return str(row[0]) if row else ""
