"""Several inputs' writes committed in one transaction, and what each announces held
back until that transaction has committed.

A commit is the dearest part of storing an article: each one writes every page the
article touched again (the articles table and its indexes, the full-text index, whose
FTS5 makes a new segment per transaction, the story keys, the copy check's bands, the
term counts) and 1.5-3 ms a document went to COMMIT alone, a sixth of the text path.
Committed in groups, those pages are written once for several articles.

Nothing becomes less safe: each input's ledger row (or feed entry, or failure) is
written inside the same transaction as its article, so an input counts as done only
once its group has committed; a crash or a kill before that leaves the whole group
unrecorded, and the next start reads its inputs again. What an input announces (its
Outcome to the caller, its "article stored" line, the outbox's wake-up) waits for the
commit too: the dispatcher reads with its own connection and would find nothing before.

The group takes the store's write lock when its first input is written and keeps it
until it commits: after GROUP_INPUTS inputs or GROUP_SECONDS, and at the end of each
batch (a file dropped alone is a batch of its own, so a daemon's drop-to-alert time
gains nothing but its own write). A busy store (another process holding the lock) is
met when the group begins, before any of its inputs is written, and waited for as every
write is (store/busy.py): a stop then ends the wait with nothing of the group written.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from monitor.store.db import Store

# Inputs, or seconds, that one transaction may hold: short enough that another writer
# (the outbox's deliveries, a `monitor` command) waits a quarter of a second at most for
# the lock, long enough that a commit is shared by a dozen texts or a handful of pages.
# On the 181 aeb text dumps in-process (4 interleaved rounds, load average 4-5): 22.4 CPU
# ms a document with 0.05 s, 19.5 with 0.25 s (23.5 with one input a transaction).
GROUP_INPUTS = 32
GROUP_SECONDS = 0.25


class CommitGroup:
    """One open transaction at a time on the store's connection; the writes inside it
    (Store.write) run in savepoints of it, so one input's failed write is undone alone."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.inputs = max(1, GROUP_INPUTS)
        self.seconds = GROUP_SECONDS
        self._opened: float | None = None
        self._written = 0
        self._after: list[Callable[[], None]] = []

    @property
    def open(self) -> bool:
        return self._opened is not None

    def begin(self) -> None:
        """Take the write lock for the next inputs, unless the group holds it already.
        A busy store is waited for here (Stopped if the daemon stops meanwhile)."""
        if self._opened is not None:
            return
        conn = self.store.db.conn
        # Called only between inputs, with no transaction of ours open (the service's
        # other writes run between batches, on this thread).
        self.store.retry.run(lambda: conn.execute("BEGIN IMMEDIATE"), what="article")
        self._opened = time.monotonic()
        self._written = 0

    def written(self, announce: Callable[[], None]) -> None:
        """One input written inside the group: `announce` runs once it has committed
        (at once when no group is open, as a lone write has committed already)."""
        if self._opened is None:
            announce()
            return
        self._written += 1
        self._after.append(announce)

    def due(self) -> bool:
        """Time to commit: the group is as large, or as old, as a group may be."""
        return self._opened is not None and (
            self._written >= self.inputs or time.monotonic() - self._opened >= self.seconds
        )

    def commit(self) -> None:
        """Commit what the group wrote, then announce it. A failed commit (a full disk)
        undoes the whole group and raises: none of its inputs is recorded, so each is
        read again (the inbox's rescan, the next start)."""
        if self._opened is None:
            return
        conn = self.store.db.conn
        after, self._after, self._opened = self._after, [], None
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        for announce in after:
            announce()
