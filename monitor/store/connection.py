"""The writing store's connection, with the four calls the store's code makes of
sqlite_utils.Database: execute, query, atomic and close.

Why not sqlite_utils.Database itself (readonly.py says the same for the readers):
importing sqlite_utils costs about 45 ms of CPU at each start of `monitor ingest` and of
the daemon's first write (its 4,000-line module, pluggy and its plugins' entry points;
numpy comes later anyway), and after the migrations, which an up-to-date store skips
(stamp.py), nothing of the pipeline, the outbox or the commands uses more of it than
these calls. The migrations still run through sqlite_utils (schema.py), on the same
connection.

What is kept of sqlite_utils' behaviour, so the store writes the same rows the same way:
`PRAGMA recursive_triggers=on` (its Database sets it on every connection it wraps: the
full-text triggers fire on REPLACE), a write made by `execute` outside a transaction is
committed at once, and `atomic` nests in savepoints.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

Params = Sequence[Any] | Mapping[str, Any] | None

# sqlite_utils.db._TRANSACTION_CONTROL_KEYWORDS: statements that run their own
# transaction control, and so are never committed behind the caller's back.
_CONTROL = ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")


class Database:
    """sqlite_utils.Database's execute, query, atomic and close over an open connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """A statement; a write that opened a transaction (none was open) is committed
        at once, as sqlite_utils' execute does."""
        conn = self.conn
        was_open = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_open and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if (
            not was_open
            and conn.in_transaction
            and cursor.description is None
            and not sql.lstrip().upper().startswith(_CONTROL)
        ):
            conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts keyed by column name (the store's queries name each column once)."""
        cursor = self.conn.execute(sql, () if params is None else params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction, or a savepoint inside the one open; undone on any error."""
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT monitor_atomic")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO SAVEPOINT monitor_atomic")
                    conn.execute("RELEASE SAVEPOINT monitor_atomic")
                raise
            conn.execute("RELEASE SAVEPOINT monitor_atomic")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
