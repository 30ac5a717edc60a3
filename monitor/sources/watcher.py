"""watchdog's side of the inbox: the observer, and the handler that runs in its thread.

Apart from inbox.py so that watchdog is imported only by a process that watches (the
daemon): `monitor ingest` reads the inbox's rules (inbox.py, selection.py) and never
watches, and importing watchdog cost it about 10 ms of CPU at every start.
"""

from __future__ import annotations

import os
import queue

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver


class Handler(FileSystemEventHandler):
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


def observer(polling: bool) -> BaseObserver:
    """inotify's observer, or the polling one (NFS/CIFS: NOTES.md)."""
    return PollingObserver() if polling else Observer()
