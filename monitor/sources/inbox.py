"""Watched folders: which files are there, and when a file is complete enough to read.

watchdog only tells us "something happened to this path"; it cannot tell a finished file
from one a slow writer is still filling, and its queue can overflow without telling the
handler (NOTES.md). So every event just marks a path pending, and the worker decides:
a file is ready when it was closed after writing, was moved in whole, or kept the same
(size, mtime) for `settle_seconds`. A periodic rescan catches whatever events were lost.
The ledger in the store (not here) makes sure a ready file is processed once.
"""

from __future__ import annotations

import fnmatch
import os
import queue
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from monitor.config import InboxConfig

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
# A file written to and not yet closed is waited for this much longer than settle_seconds.
OPEN_WRITER_FACTOR = 10
OPEN_WRITER_MIN_SECONDS = 10.0
# A "created" event is followed within this time by "opened" when a writer made the file;
# without it, the file was renamed in whole.
MOVED_IN_GRACE_SECONDS = 0.05


def kind_of(path: Path) -> str:
    return "html" if path.suffix.lower() in HTML_SUFFIXES else "text"


@dataclass
class _Pending:
    stat: tuple[int, int] | None  # (size, mtime_ns) at the last check
    changed_at: float  # monotonic time the stat last changed
    complete: bool = False  # closed after writing, or moved in whole
    writing: bool = False  # opened or written to and not closed since: someone holds it
    created: bool = False  # appeared by an event (not found by a scan)
    changed: bool = False  # created, written or moved: not just opened by a reader
    event_at: float = 0.0  # monotonic time of the latest event


class _Handler(FileSystemEventHandler):
    """Runs in watchdog's thread: only hands (path, event kind) over, never reads files."""

    def __init__(self, events: queue.Queue[tuple[str, str]]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind == "deleted":
            return
        path = os.fsdecode(event.dest_path if kind == "moved" else event.src_path)
        if event.is_directory:
            # A folder moved or created with files in it brings no event per file.
            if kind in ("moved", "created"):
                self.events.put((path, "folder"))
            return
        self.events.put((path, kind))


class Inbox:
    def __init__(self, config: InboxConfig, *, exclude: Iterable[Path] = ()) -> None:
        self.config = config
        self.roots = [p.resolve() for p in config.paths]
        self.exclude = {p.resolve() for p in exclude}
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self._pending: dict[Path, _Pending] = {}
        self._observer: BaseObserver | None = None

    # -- watching ------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching. Call before the first scan, so no file slips between the two."""
        observer = PollingObserver() if self.config.polling else Observer()
        handler = _Handler(self.events)
        for root in self.roots:
            root.mkdir(parents=True, exist_ok=True)
            observer.schedule(handler, str(root), recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    # -- deciding what to read -----------------------------------------------------------

    def accepts(self, path: Path) -> bool:
        """A regular file inside a root, not hidden, not temporary, not our own output."""
        try:
            resolved = path.resolve()
        except OSError:
            return False
        root = next((r for r in self.roots if resolved.is_relative_to(r)), None)
        if root is None or resolved in self.exclude or _is_store_file(resolved, self.exclude):
            return False  # a symlink leading outside the inbox, or our database
        if any(part.startswith(".") for part in resolved.relative_to(root).parts):
            return False
        if any(fnmatch.fnmatch(resolved.name, pat) for pat in self.config.ignore):
            return False
        return resolved.is_file()

    def scan(self, roots: Iterable[Path] | None = None) -> Iterator[Path]:
        """Every acceptable file under the roots (or under the given folders), sorted."""
        for root in roots if roots is not None else self.roots:
            if root.is_file():
                if self.accepts(root):
                    yield root
                continue
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    path = Path(folder) / name
                    if self.accepts(path):
                        yield path

    def mark(self, path: Path, event: str | None = None) -> None:
        """Note a path as pending; a folder means every file in it.

        event is the watchdog event kind that named it, or None for a scan. "closed" and
        "moved" (a rename inside the inbox) mean the file is complete. "created" with no
        "opened" after it is a file renamed in from elsewhere: complete too. "opened" or
        "modified" mean someone holds it open, so a pause in the writing must not pass for
        the end: wait for the close, or for a much longer silence (some writers never close
        before exiting).
        """
        if path.is_dir():
            for found in self.scan([path]):
                self.mark(found)
            return
        entry = self._pending.get(path)
        if entry is None:
            entry = self._pending[path] = _Pending(None, time.monotonic())
        if event is None:
            entry.changed = True
            return
        entry.event_at = time.monotonic()
        if event in ("closed", "moved"):
            entry.complete, entry.writing, entry.changed = True, False, True
        elif event == "modified":
            entry.complete, entry.writing, entry.changed = False, not self.config.polling, True
        elif event == "created":
            entry.created, entry.changed = True, True
        elif event == "opened":
            entry.writing = True
        elif event == "closed_no_write":
            entry.writing = False
            if not entry.changed:
                del self._pending[path]  # only read (by us, or a backup tool): nothing new

    def drain_events(self, timeout: float) -> None:
        """Move events from watchdog's thread into the pending set, waiting up to timeout."""
        try:
            path, event = self.events.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            p = Path(path)
            if event == "folder" or self.accepts(p):
                self.mark(p, event)
            try:
                path, event = self.events.get_nowait()
            except queue.Empty:
                return

    def ready(self) -> list[Path]:
        """Pending files that are complete now; they leave the pending set."""
        now = time.monotonic()
        out = []
        for path, entry in list(self._pending.items()):
            try:
                st = path.stat()
            except OSError:
                del self._pending[path]  # gone before we got to it
                continue
            stat = (st.st_size, st.st_mtime_ns)
            if stat != entry.stat:
                fresh = entry.stat is None
                entry.stat = stat
                if not fresh:
                    entry.changed_at = now
                elif time.time() - st.st_mtime >= self.config.settle_seconds:
                    entry.changed_at = now - self.config.settle_seconds  # old file: no wait
            quiet = now - entry.changed_at
            settle = self.config.settle_seconds
            if entry.writing:
                settle = max(settle * OPEN_WRITER_FACTOR, OPEN_WRITER_MIN_SECONDS)
            moved_in = (
                entry.created
                and not entry.writing
                and not self.config.polling  # a polled rename is delete + create, mid-copy too
                and now - entry.event_at >= MOVED_IN_GRACE_SECONDS
            )
            if entry.complete or moved_in or quiet >= settle:
                out.append(path)
                del self._pending[path]
        return sorted(out)

    def wait_hint(self, longest: float) -> float:
        """How long the caller may block for events before a pending file may be ready:
        the next check is due in a grace or settle period, not a whole tick later."""
        if not self._pending:
            return longest
        shortest = (
            MOVED_IN_GRACE_SECONDS if any(e.created for e in self._pending.values()) else 0.05
        )
        return min(longest, max(0.01, shortest))

    @property
    def pending_count(self) -> int:
        return len(self._pending)


def _is_store_file(path: Path, exclude: set[Path]) -> bool:
    """SQLite's -wal, -shm and -journal files and our .lock (store/lock.py) sit beside
    the database."""
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        if path.name.endswith(suffix) and path.with_name(path.name[: -len(suffix)]) in exclude:
            return True
    return False
