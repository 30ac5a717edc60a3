"""Watched folders: which files are there, and when a file is complete enough to read.

watchdog only tells us "something happened to this path"; it cannot tell a finished file
from one a slow writer is still filling, and its queue can overflow without telling the
handler (NOTES.md). So every event just marks a path pending, and the worker decides:
a file is ready when it was moved in whole, or has been quiet (no write, same size and
mtime) for `settle_seconds` after its writer closed it; a writer that still holds it, or
one that closes between appends (closed, then written again), is waited for much longer.
A periodic rescan catches whatever events were lost. The ledger in the store (not here)
makes sure a ready file is processed once.

The inbox is a folder other people write to, so nothing found in it may stop the daemon:
symlink loops, dangling links, files that vanish mid-scan and folders we may not enter
are skipped (each loop and each unreadable folder reported once), never raised.
"""

from __future__ import annotations

import difflib
import errno
import fnmatch
import os
import queue
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from monitor.config import ConfigError, InboxConfig

if TYPE_CHECKING:  # watchdog is imported only to watch (watcher.py)
    from watchdog.observers.api import BaseObserver

log = structlog.get_logger("monitor")

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
# A file written to and not yet closed is waited for this much longer than settle_seconds.
OPEN_WRITER_FACTOR = 10
OPEN_WRITER_MIN_SECONDS = 10.0
# A "created" event is followed within this time by "opened" when a writer made the file;
# without it, the file was renamed in whole.
MOVED_IN_GRACE_SECONDS = 0.05
# A file written again this soon after it was handed over to be read is a writer that
# closes between appends: its next version waits as long as an open writer's.
APPEND_MEMORY_SECONDS = 60.0

# Why a path is not read (the keys `monitor ingest` counts).
HIDDEN = "hidden (a dotfile or inside a dot-folder)"
TEMPORARY = "temporary name (matches [inbox] ignore)"
LOOP = "symlink loop"
BROKEN_LINK = "broken symlink"
OUTSIDE = "symlink leading outside the folder"
OWN_FILE = "monitor's own store or alert log"
NOT_REGULAR = "not a regular file (a FIFO, socket or device)"
VANISHED = "vanished before it was read"
UNREADABLE_FOLDER = "unreadable folder"


def kind_of(path: Path) -> str:
    return "html" if path.suffix.lower() in HTML_SUFFIXES else "text"


def resolve(path: Path) -> tuple[Path | None, str | None]:
    """(the real path, None), or (None, why not). Path.resolve() raises RuntimeError (not
    OSError) on a symlink loop (NOTES.md); strict realpath raises OSError for every case
    we meet here (loop, dangling link, vanished file, folder we may not enter)."""
    try:
        return Path(os.path.realpath(path, strict=True)), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, LOOP
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return None, BROKEN_LINK if os.path.islink(path) else VANISHED
        return None, f"cannot look at it ({exc.strerror})"
    except (RuntimeError, ValueError):  # ValueError: a NUL byte in the name
        return None, LOOP


def is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def skip_reason(
    path: Path, roots: Sequence[Path], exclude: set[Path], ignore: Sequence[str]
) -> str | None:
    """None for a regular file inside a root, not hidden, not temporary, not our own
    output; else why it is skipped. Never raises."""
    resolved, problem = resolve(path)
    if resolved is None:
        return problem
    root = next((r for r in roots if resolved.is_relative_to(r)), None)
    if root is None:
        return OUTSIDE  # a symlink leading out of the watched folders
    if resolved in exclude or is_store_file(resolved, exclude):
        return OWN_FILE
    if any(part.startswith(".") for part in resolved.relative_to(root).parts):
        return HIDDEN
    if any(fnmatch.fnmatch(resolved.name, pat) for pat in ignore):
        return TEMPORARY
    return None if is_regular_file(resolved) else NOT_REGULAR


def walk(root: Path, on_error: Callable[[OSError], None]) -> Iterator[tuple[Path, list[str]]]:
    """(folder, file names) under root, sorted, dot-folders left out. os.walk reports a
    folder it cannot list to on_error instead of raising; a folder that vanished
    mid-scan is not worth a word."""

    def error(exc: OSError) -> None:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            on_error(exc)

    for folder, dirs, files in os.walk(root, onerror=error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield Path(folder), sorted(files)


@dataclass
class _Pending:
    stat: tuple[int, int] | None  # (size, mtime_ns) at the last check
    changed_at: float  # monotonic time of the last write seen (event or new stat)
    moved: bool = False  # renamed inside the inbox: complete at once
    writing: bool = False  # opened or written to and not closed since: someone holds it
    written: bool = False  # opened or written since it appeared: not a plain move-in
    closed: bool = False  # closed after writing at least once
    appended: bool = False  # written again after a close: a writer that closes between appends
    created: bool = False  # appeared by an event (not found by a scan)
    changed: bool = False  # created, written, moved or chmod-ed: not just opened by a reader
    event_at: float = 0.0  # monotonic time of the latest event


class Inbox:
    def __init__(self, config: InboxConfig, *, exclude: Iterable[Path] = ()) -> None:
        self.config = config
        # Not Path.resolve(): it raises RuntimeError on a loop; realpath leaves it as is.
        self.roots = [Path(os.path.realpath(p)) for p in config.paths]
        self.exclude = {Path(os.path.realpath(p)) for p in exclude}
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self._pending: dict[Path, _Pending] = {}
        self._recent: dict[Path, float] = {}  # handed over to be read, at (monotonic)
        self._observer: BaseObserver | None = None
        self._loops: set[Path] = set()  # warned about once each
        self._bad_folders: set[str] = set()
        # Folders found unreadable, for the service to record as failures (once each).
        self.problems: list[tuple[Path, str]] = []

    # -- watching ------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching. Call before the first scan, so no file slips between the two."""
        from monitor.sources.watcher import Handler
        from monitor.sources.watcher import observer as make_observer

        observer = make_observer(self.config.polling)
        handler = Handler(self.events)
        for root in self.roots:
            if self.config.create:
                root.mkdir(parents=True, exist_ok=True)
            try:
                observer.schedule(handler, str(root), recursive=True)
            except OSError as exc:  # checked at start-up; gone since, or not ours to read
                log.error("cannot watch an inbox folder", path=str(root), error=str(exc))
                self._report_folder(exc, root)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    def adopt(self, old: Inbox) -> None:
        """Take over another inbox's pending files that this one also watches (a reload
        that changed [inbox]), so a file half-written across the reload keeps its state."""
        for path, entry in old._pending.items():
            if self.accepts(path):
                self._pending[path] = entry
        self._recent.update(old._recent)
        self._loops |= old._loops
        self._bad_folders |= old._bad_folders

    # -- deciding what to read -----------------------------------------------------------

    def accepts(self, path: Path) -> bool:
        """A regular file inside a root, not hidden, not temporary, not our own output.
        A symlink loop is skipped with one warning, not one per rescan."""
        reason = skip_reason(path, self.roots, self.exclude, self.config.ignore)
        if reason == LOOP and path not in self._loops:
            self._loops.add(path)
            log.warning("symlink loop in the inbox; ignored", path=_shown(path))
        return reason is None

    def _report_folder(self, exc: OSError, folder: Path | None = None) -> None:
        where = Path(os.fsdecode(exc.filename)) if exc.filename is not None else folder
        name = _shown(where or Path())
        if name in self._bad_folders:
            return
        self._bad_folders.add(name)
        reason = (
            f"cannot read this folder ({exc.strerror}); its files are skipped until it is "
            "readable by the user monitor runs as (fix its permissions; the next rescan "
            "reads it)"
        )
        log.warning("unreadable folder in the inbox", path=name, reason=reason)
        self.problems.append((where or Path(), reason))

    def scan(self, roots: Iterable[Path] | None = None) -> Iterator[Path]:
        """Every acceptable file under the roots (or under the given folders), sorted."""
        for root in roots if roots is not None else self.roots:
            if not is_folder(root):
                if self.accepts(root):
                    yield root
                continue
            for folder, files in walk(root, self._report_folder):
                for name in files:
                    path = folder / name
                    if self.accepts(path):
                        yield path

    def mark(self, path: Path, event: str | None = None) -> None:
        """Note a path as pending; a folder means every file in it.

        event is the watchdog event kind that named it, or None for a scan. "moved" (a
        rename inside the inbox) means the file is complete. "created" with no "opened"
        after it is a file renamed in from elsewhere: complete too. "closed" (after
        writing) makes it a candidate, read once quiet for settle_seconds: a writer that
        closes between appends reopens it within that time. "opened" or "modified" mean
        someone holds it open, so a pause in the writing must not pass for the end: wait
        for the close, or for a much longer silence (some writers never close before
        exiting). A file written again after a close (or after we read it) is such an
        appending writer, and waits as long.
        """
        if is_folder(path):
            for found in self.scan([path]):
                self.mark(found)
            return
        entry = self._pending.get(path)
        now = time.monotonic()
        if entry is None:
            entry = self._pending[path] = _Pending(None, now)
        if event is None:
            entry.changed = True
            return
        entry.event_at = now
        if event in ("modified", "closed"):
            read_at = self._recent.get(path)
            if entry.closed or (read_at is not None and now - read_at < APPEND_MEMORY_SECONDS):
                entry.appended = True
            entry.written = entry.changed = True
            entry.changed_at = now
        if event == "moved":
            entry.moved, entry.writing, entry.changed = True, False, True
        elif event == "closed":
            entry.closed, entry.writing = True, False
        elif event == "modified":
            entry.moved, entry.writing = False, not self.config.polling
        elif event == "created":
            entry.created, entry.changed = True, True
            entry.changed_at = now
        elif event == "opened":
            entry.writing = entry.written = True
        elif event == "attrib":
            entry.changed = True  # e.g. chmod: a file that could not be read may be now
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
                del self._pending[path]  # gone before we got to it (or a loop by now)
                continue
            stat_now = (st.st_size, st.st_mtime_ns)
            if stat_now != entry.stat:
                fresh = entry.stat is None
                entry.stat = stat_now
                if not fresh:
                    entry.changed_at = now
                elif time.time() - st.st_mtime >= self.config.settle_seconds:
                    entry.changed_at = min(entry.changed_at, now - self.config.settle_seconds)
            quiet = now - entry.changed_at
            settle = self.config.settle_seconds
            if entry.writing or entry.appended:
                settle = max(settle * OPEN_WRITER_FACTOR, OPEN_WRITER_MIN_SECONDS)
            moved_in = (
                entry.created
                and not entry.written
                and not self.config.polling  # a polled rename is delete + create, mid-copy too
                and now - entry.event_at >= MOVED_IN_GRACE_SECONDS
            )
            if entry.moved or moved_in or quiet >= settle:
                out.append(path)
                del self._pending[path]
                self._recent[path] = now
        if len(self._recent) > 1000 or out:
            self._recent = {
                p: t for p, t in self._recent.items() if now - t < APPEND_MEMORY_SECONDS
            }
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


def check_folders(config: InboxConfig, source: Path | None = None) -> None:
    """Refuse an inbox folder that does not exist (a misspelt path would otherwise be
    watched, empty, forever), naming the nearest existing folder; `create = true` asks
    for it to be created instead (a first run)."""
    if config.create:
        return
    where = f"{source}: " if source else ""
    for path in config.paths:
        if is_folder(path):
            continue
        if os.path.lexists(path):
            raise ConfigError(f"{where}[inbox] paths: {path} is not a folder")
        raise ConfigError(
            f"{where}[inbox] paths: folder {path} does not exist; {nearest_folder(path)}. "
            "Fix the path, create the folder, or set [inbox] create = true to have monitor "
            "create it."
        )


def nearest_folder(path: Path) -> str:
    """'did you mean X' for the closest existing sibling of the first missing part, else
    the deepest folder on the way that exists."""
    parent = path
    missing: list[str] = []
    while not is_folder(parent) and parent != parent.parent:
        missing.insert(0, parent.name)
        parent = parent.parent
    try:
        siblings = [e.name for e in os.scandir(parent) if e.is_dir()]
    except OSError:
        siblings = []
    near = difflib.get_close_matches(missing[0], siblings, n=1, cutoff=0.6) if missing else []
    if near:
        return f"did you mean {parent / near[0] / Path(*missing[1:])}?"
    return f"the nearest existing folder is {parent}"


def _shown(path: Path) -> str:
    """For the log: a name that is not UTF-8 keeps its bytes as escapes (as origins do)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_store_file(path: Path, exclude: set[Path]) -> bool:
    """SQLite's -wal, -shm and -journal files and our .lock (store/lock.py) sit beside
    the database."""
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        if path.name.endswith(suffix) and path.with_name(path.name[: -len(suffix)]) in exclude:
            return True
    return False
