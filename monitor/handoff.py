"""`monitor ingest` beside a running daemon: the files are handed to the daemon.

One writer per store (store/lock.py): while the daemon holds the store, `ingest` does
not run a second pipeline beside it (that stored files twice and alerted twice, issue
14). It writes its list of files into the store in one short transaction
(`ingest_requests`, `ingest_request_files`) and waits; the daemon looks for requests
between its other work, runs the files through its own `process_files` (its ledger
stores a file once, whoever asked), records each file's outcome, and marks the request
finished. `ingest` then prints the same summary as when it works alone.

If the daemon stops before it is done, the waiting `ingest` takes the lock itself and
processes what is left; if the daemon does not answer (stuck, or busy with a long
backlog) for `patience` seconds, `ingest` gives up with a clear message and the request
stays queued, to be done when the daemon gets to it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import structlog

from monitor.store.busy import Retry, is_busy, transaction
from monitor.store.db import Store, now
from monitor.store.lock import Holder, StoreLock

log = structlog.get_logger("monitor")

LOOK_EVERY = 0.25  # seconds between the daemon's looks for requests (one indexed query)
POLL = 0.2  # seconds between the waiting ingest's looks at its request
KEEP_FINISHED = timedelta(days=1)  # requests whose asker died without cleaning up

Process = Callable[
    [Iterable[Path], threading.Event | None, Callable[[], None] | None],
    Iterator[tuple[Path, str]],
]


class HandOffError(Exception):
    """The daemon did not take or finish the request; the message says what to do."""


@dataclass
class Served:
    """What the daemon did with a request; when it stopped first, `left` are the files
    nobody processed and `lock` is the store's lock, now held by the asker."""

    counts: Counter[str] = field(default_factory=Counter)
    left: list[Path] = field(default_factory=list)
    lock: StoreLock | None = None


# -- the asking side (`monitor ingest`) ------------------------------------------------------


def hand_over(
    db: Path,
    files: list[Path],
    daemon: Holder,
    *,
    retry: Retry,
    patience: float,
    progress: Callable[[int], None] | None = None,
) -> Served:
    """Queue the files for the daemon and wait for their outcomes."""
    conn = sqlite3.connect(db, timeout=retry.busy_timeout)
    try:
        request = _submit(conn, files, retry, daemon, patience)
        return _wait(conn, db, request, daemon, retry=retry, patience=patience, progress=progress)
    finally:
        conn.close()


def _submit(
    conn: sqlite3.Connection, files: list[Path], retry: Retry, daemon: Holder, patience: float
) -> int:
    """The request and its files, in one transaction. A daemon stuck inside a write of its
    own (stopped, or hung holding SQLite's lock) is waited for `patience` seconds (at least
    one busy timeout), as one that does not answer is (_wait), not forever."""

    def insert() -> int:
        cur = conn.execute(
            "INSERT INTO ingest_requests (pid, requested_at) VALUES (?, ?)", [os.getpid(), now()]
        )
        request = cur.lastrowid
        assert request is not None
        conn.executemany(
            "INSERT INTO ingest_request_files (request_id, seq, path) VALUES (?, ?, ?)",
            [(request, seq, os.fsencode(path)) for seq, path in enumerate(files)],
        )
        return request

    try:
        return retry.run(
            lambda: transaction(conn, insert), what="hand files to the daemon", patience=patience
        )
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise HandOffError(
                f"{daemon.describe()} holds the store's write lock and has not let go of it "
                f"for {patience:g} s or more: it may be stuck. Nothing was handed over; see "
                "`monitor status`, or stop the daemon and run `monitor ingest` again"
            ) from exc
        if "no such table" not in str(exc):
            raise
        raise HandOffError(
            f"{daemon.describe()} is an older version that cannot take files from "
            "`monitor ingest`: restart it (systemctl restart monitor), or stop it and ingest "
            "again"
        ) from exc


def _wait(
    conn: sqlite3.Connection,
    db: Path,
    request: int,
    daemon: Holder,
    *,
    retry: Retry,
    patience: float,
    progress: Callable[[int], None] | None,
) -> Served:
    lock = StoreLock(db)
    done = 0
    answered = time.monotonic()
    while True:
        counts, finished = _outcomes(conn, request)
        if sum(counts.values()) != done:
            if progress is not None:
                progress(sum(counts.values()) - done)
            done = sum(counts.values())
            answered = time.monotonic()
        if finished:
            _forget(conn, request, retry)
            return Served(counts)
        holder = lock.try_acquire("ingest")
        if holder is None:  # the daemon is gone: what it left is ours to do
            left = [
                Path(os.fsdecode(p))
                for (p,) in conn.execute(
                    "SELECT path FROM ingest_request_files WHERE request_id = ? "
                    "AND outcome IS NULL ORDER BY seq",
                    [request],
                )
            ]
            _forget(conn, request, retry)
            return Served(counts, left, lock)
        if not holder.is_daemon or holder != daemon:
            daemon, answered = holder, time.monotonic()  # a one-shot ends on its own
        if time.monotonic() - answered > patience:
            raise HandOffError(
                f"{daemon.describe()} holds {db} but has not processed the files handed "
                f"to it for {patience:g} s ({done} of {_total(conn, request)} done): it may "
                "be busy with a long backlog or stuck. The request stays queued and the "
                "daemon will process it; see `monitor status`, or stop the daemon and run "
                "`monitor ingest` again (files already stored are skipped)"
            )
        time.sleep(POLL)


def _outcomes(conn: sqlite3.Connection, request: int) -> tuple[Counter[str], bool]:
    counts: Counter[str] = Counter(
        dict(
            conn.execute(
                "SELECT outcome, count(*) FROM ingest_request_files WHERE request_id = ? "
                "AND outcome IS NOT NULL GROUP BY outcome",
                [request],
            ).fetchall()
        )
    )
    row = conn.execute("SELECT finished_at FROM ingest_requests WHERE id = ?", [request]).fetchone()
    return counts, row is not None and row[0] is not None


def _total(conn: sqlite3.Connection, request: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM ingest_request_files WHERE request_id = ?", [request]
    ).fetchone()
    return int(row[0])


def _forget(conn: sqlite3.Connection, request: int, retry: Retry) -> None:
    def delete() -> None:
        conn.execute("DELETE FROM ingest_request_files WHERE request_id = ?", [request])
        conn.execute("DELETE FROM ingest_requests WHERE id = ?", [request])

    retry.run(lambda: transaction(conn, delete), what="clean up an ingest request")


# -- the daemon's side -----------------------------------------------------------------------


class HandOffs:
    """Requests from `monitor ingest`, served by the daemon's working loop."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._next_look = 0.0
        self._purged = False

    def serve(
        self, process: Process, stop: threading.Event, alive: Callable[[], None]
    ) -> Counter[str]:
        """Every waiting request, oldest first (a cheap query, at most every LOOK_EVERY)."""
        counts: Counter[str] = Counter()
        if time.monotonic() < self._next_look:
            return counts
        self._next_look = time.monotonic() + LOOK_EVERY
        if not self._purged:
            self._purge()
        requests = self.store.db.execute(
            "SELECT id FROM ingest_requests WHERE finished_at IS NULL ORDER BY id"
        ).fetchall()
        for (request,) in requests:
            if stop.is_set():
                break
            counts += self._serve(request, process, stop, alive)
        return counts

    def _serve(
        self, request: int, process: Process, stop: threading.Event, alive: Callable[[], None]
    ) -> Counter[str]:
        rows = self.store.db.execute(
            "SELECT seq, path FROM ingest_request_files WHERE request_id = ? "
            "AND outcome IS NULL ORDER BY seq",
            [request],
        ).fetchall()
        seqs: defaultdict[Path, deque[int]] = defaultdict(deque)
        for seq, raw in rows:
            seqs[Path(os.fsdecode(raw))].append(seq)
        log.info("ingest request taken", request=request, files=len(rows))
        counts: Counter[str] = Counter()
        recorded: list[tuple[str, int, int]] = []
        flush_at = time.monotonic() + 0.5
        # process() yields each path once per time it was given, in any order.
        order = [Path(os.fsdecode(raw)) for _seq, raw in rows]
        for path, outcome in process(order, stop, alive):
            counts[outcome] += 1
            recorded.append((outcome, request, seqs[path].popleft()))
            if time.monotonic() >= flush_at:
                self._record(recorded)
                recorded, flush_at = [], time.monotonic() + 0.5
        self._record(recorded)
        if sum(counts.values()) == len(rows):
            self.store.write(
                lambda: self.store.db.execute(
                    "UPDATE ingest_requests SET finished_at = ? WHERE id = ?", [now(), request]
                ),
                what="finish an ingest request",
            )
            log.info("ingest request done", request=request, **counts)
        return counts

    def _record(self, recorded: list[tuple[str, int, int]]) -> None:
        if not recorded:
            return
        self.store.write(
            lambda: self.store.db.conn.executemany(
                "UPDATE ingest_request_files SET outcome = ? WHERE request_id = ? AND seq = ?",
                recorded,
            ),
            what="record ingest outcomes",
        )

    def _purge(self) -> None:
        """Finished requests whose asker died before it cleaned up."""
        before = (datetime.now(UTC) - KEEP_FINISHED).isoformat(timespec="milliseconds")

        def delete() -> None:
            old = "SELECT id FROM ingest_requests WHERE finished_at < ?"
            self.store.db.execute(
                f"DELETE FROM ingest_request_files WHERE request_id IN ({old})", [before]
            )
            self.store.db.execute("DELETE FROM ingest_requests WHERE finished_at < ?", [before])

        self._purged = True
        old = self.store.db.execute(
            "SELECT 1 FROM ingest_requests WHERE finished_at < ? LIMIT 1", [before]
        ).fetchone()
        if old is not None:  # an idle daemon writes nothing but its heartbeat
            self.store.write(delete, what="purge old ingest requests")
