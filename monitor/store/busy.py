"""Writes that outlive a busy database: retries with backoff at transaction boundaries.

Another process may hold the store's write lock for as long as it likes (a `BEGIN
EXCLUSIVE` in the sqlite3 shell, a backup tool, a long `monitor retag` batch). SQLite
waits `busy_timeout` for it and then fails with "database is locked" (NOTES.md). A
context manager cannot run its body again, so each write is a function that Retry calls
until it goes through: the transaction is rolled back after each failed attempt and the
whole of it is run again, never half of it.

While it waits, Retry keeps the daemon alive (the systemd watchdog ping) and gives up at
once when the daemon is asked to stop: the input in hand is then left unrecorded, so the
next start reads it again. It logs one line when a busy episode starts and one when it
ends, not one per attempt.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar


def _log() -> Any:
    """structlog, imported when a write first has to wait: the read commands open the
    store without it (configfile.py says why they stay light)."""
    import structlog

    return structlog.get_logger("monitor.store")


T = TypeVar("T")

BUSY_TIMEOUT = 10.0  # seconds SQLite itself waits for a lock on each attempt


class Stopped(Exception):
    """Stop was asked while a write waited for a busy store: the write did not happen."""


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED, extended codes included (BUSY_SNAPSHOT: a deferred
    transaction that read before another process wrote)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(exc)
    return "database is locked" in text or "database table is locked" in text


@dataclass
class Retry:
    """How one connection's writes wait for a busy store; the daemon sets `stop` and
    `alive` (its stop event and watchdog ping) once it runs."""

    busy_timeout: float = BUSY_TIMEOUT
    first_backoff: float = 0.05
    max_backoff: float = 2.0
    stop: threading.Event | None = None
    alive: Callable[[], None] | None = None
    _busy_since: float | None = field(default=None, repr=False)

    @property
    def busy_timeout_ms(self) -> int:
        return max(0, round(self.busy_timeout * 1000))

    def run(self, attempt: Callable[[], T], *, what: str, patience: float | None = None) -> T:
        """attempt() until it is not refused for a busy store. `patience`: give up (the
        busy error is raised) once this many seconds have gone by; None: keep trying
        until stop is set (then Stopped is raised)."""
        started = time.monotonic()
        delay = self.first_backoff
        while True:
            try:
                result = attempt()
            except sqlite3.Error as exc:
                if not is_busy(exc):
                    raise
                self._episode(what, exc)
                if self.alive is not None:
                    self.alive()
                if self.stop is not None and self.stop.is_set():
                    raise Stopped(f"stopped while the store was busy ({what})") from exc
                if patience is not None and time.monotonic() - started >= patience:
                    raise
                if self.stop is not None:
                    if self.stop.wait(delay):
                        raise Stopped(f"stopped while the store was busy ({what})") from exc
                else:
                    time.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
                continue
            if self._busy_since is not None:
                _log().info(
                    "store writable again",
                    what=what,
                    waited=round(time.monotonic() - self._busy_since, 1),
                )
                self._busy_since = None
            return result

    def _episode(self, what: str, exc: sqlite3.Error) -> None:
        if self._busy_since is None:
            self._busy_since = time.monotonic()
            _log().warning(
                "store busy, retrying",
                what=what,
                error=str(exc),
                hint="another process holds the database's write lock",
            )


def transaction(conn: sqlite3.Connection, body: Callable[[], T]) -> T:
    """One attempt: body() inside BEGIN IMMEDIATE ... COMMIT, rolled back on any error.

    IMMEDIATE takes the write lock first, so SQLite's busy wait applies to it and the body
    never finds its read snapshot stale halfway (SQLITE_BUSY_SNAPSHOT, which is not
    waited for). Inside a transaction already open, body() runs in a savepoint: the
    outer transaction's retry covers it."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT busy_retry")
        try:
            result = body()
        except BaseException:
            conn.execute("ROLLBACK TO SAVEPOINT busy_retry")
            conn.execute("RELEASE SAVEPOINT busy_retry")
            raise
        conn.execute("RELEASE SAVEPOINT busy_retry")
        return result
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = body()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    return result
