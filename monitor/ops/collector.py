"""Python's cyclic garbage collector paused while `monitor run` and `ingest` start.

Starting, a process imports some 500 modules, builds its settings and service and reads
the tagging tables: hundreds of thousands of objects that live as long as the process.
The collector, run every 700 new objects, traversed them again and again and found next
to nothing (in one `monitor ingest` of one file: 226 collections, 0.1 s of CPU, 640
objects freed). So these commands pause it until their start is over (the daemon built,
an ingest's first input stored), then freeze what exists (gc.freeze: never traversed
again, still freed by reference counting) and turn it on again for the long run, where
cycles do get made.
"""

from __future__ import annotations

import gc
import threading


class Paused:
    """The collector off from now until resume() (unless a caller had turned it off)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = gc.isenabled()
        gc.disable()

    def resume(self) -> None:
        """Freeze what the start made and turn the collector on again; called more than
        once (the start's end, then the command's), it acts once."""
        with self._lock:
            if self._paused:
                self._paused = False
                gc.freeze()
                gc.enable()
