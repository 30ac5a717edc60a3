"""One writer per store: an flock on `<db>.lock`, held for the whole life of a writer.

Two processes that each run the pipeline into one store both store a file before either
has written its ledger row, and both alert (issue 14: two daemons and 20 files gave 40
articles). SQLite's own locks cannot prevent that: each transaction is fine on its own.
So `monitor run` and every one-shot command that writes through the pipeline (`ingest`,
`retry-failed`, `feeds poll`) hold this lock while they work. Readers (search, show,
stats, status, export, ui) never take it.

The lock file holds who has it (pid, command, since), so the one refused can say whom to
stop. The kernel drops an flock when its holder dies, SIGKILL included: a lock is never
stale, and the file's content matters only while someone holds the lock.

Own code on fcntl rather than the `filelock` package: filelock opens the file with
O_TRUNC on every attempt, so each waiter would erase the holder's pid, and it cannot tell
"held by a daemon" from "held by a one-shot command", which decide what the caller does.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DAEMON = "run"
_POLL = 0.2  # seconds between looks at a lock held by a one-shot command


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class StoreUnavailable(Exception):
    """The store's folder or files cannot be created or written; the message says which
    path and what to do."""


class StoreLocked(Exception):
    """Another process writes to the store; the message names it and what to do."""

    def __init__(self, message: str, holder: Holder) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    since: str

    @property
    def is_daemon(self) -> bool:
        return self.command == DAEMON

    def describe(self) -> str:
        what = "the monitor daemon" if self.is_daemon else f"`monitor {self.command}`"
        return f"{what} (pid {self.pid or '?'}, since {self.since or '?'})"


def unwritable(db: Path, exc: OSError | None = None) -> str:
    reason = f" ({exc.strerror or exc})" if exc is not None else ""
    return (
        f"cannot write the store {db}{reason}: make its folder {db.parent} writable by the "
        "user running monitor, or set [store] path to a writable place"
    )


def store_problem(db: Path) -> str | None:
    """Why the store could not be created or written here, without creating anything
    (`check-config`); None when it can."""
    probe = db.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return unwritable(db) + f"; {probe} is not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return unwritable(db) + f"; {probe} is not writable"
    for path in (db, lock_path(db)):
        if path.is_dir():
            return unwritable(db) + f"; {path} is a folder"
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            return unwritable(db) + f"; {path} is not writable"
    return None


class StoreLock:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.path = lock_path(db)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, command: str) -> Holder | None:
        """Take the lock if it is free (None), else say who holds it."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return self._holder()
        except OSError as exc:
            os.close(fd)
            raise StoreUnavailable(
                f"cannot lock {self.path} ({exc.strerror}): put the store on a local file "
                "system that supports flock"
            ) from exc
        me = {"pid": os.getpid(), "command": command, "since": _now()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        self._fd = fd
        return None

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)  # nobody holds it: nothing to name
        os.close(self._fd)  # closing drops the flock
        self._fd = None

    def __enter__(self) -> StoreLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _open(self) -> int:
        try:
            self.db.parent.mkdir(parents=True, exist_ok=True)
            # O_CLOEXEC: a command channel's child must not inherit (and keep) the lock.
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o640)
        except OSError as exc:
            raise StoreUnavailable(unwritable(self.db, exc)) from exc

    def _holder(self) -> Holder:
        """Who holds the lock: the holder writes it just after taking the lock, so an
        empty file is read again for a moment."""
        deadline = time.monotonic() + 1.0
        while True:
            try:
                data = json.loads(self.path.read_bytes() or b"null")
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict):
                return Holder(int(data.get("pid", 0)), str(data.get("command", "?")),
                              str(data.get("since", "")))  # fmt: skip
            if time.monotonic() >= deadline:
                return Holder(0, "?", "")
            time.sleep(0.02)


def claim(
    db: Path,
    command: str,
    *,
    waiting: Callable[[Holder], None] | None = None,
    stop: threading.Event | None = None,
) -> StoreLock | Holder | None:
    """The store's lock for `command`: waits while a one-shot command holds it (it ends on
    its own; `waiting` is told once per holder), and returns the Holder when a daemon
    does: the caller hands its work over or refuses. None when stop was set meanwhile."""
    lock = StoreLock(db)
    told: Holder | None = None
    while True:
        holder = lock.try_acquire(command)
        if holder is None:
            return lock
        if holder.is_daemon:
            return holder
        if holder != told and waiting is not None:
            waiting(holder)
        told = holder
        if stop is not None:
            if stop.wait(_POLL):
                return None
        else:
            time.sleep(_POLL)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
