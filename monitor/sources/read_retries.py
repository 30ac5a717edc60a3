"""When to try again a file that could not be read (permission denied, I/O error).

The ledger skips a file whose size and mtime are unchanged, and `chmod` changes neither,
so a file fixed with chmod was never read again. A file we could not read is therefore
tried again: at once when its inode changed (st_ctime: chmod, chown, a new link), else
on the rescans, backing off (doubling from the rescan interval, at most MAX_BACKOFF) so a
file that stays unreadable costs one line in the log now and then, not one a minute.
The state lives in memory: a restart (or `monitor ingest`) tries once more at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MAX_BACKOFF_SECONDS = 6 * 3600.0


@dataclass
class _Attempt:
    failures: int
    due: float  # monotonic
    ctime_ns: int


class ReadRetries:
    def __init__(self, base_seconds: float) -> None:
        self.base = base_seconds
        self._tries: dict[str, _Attempt] = {}

    def due(self, key: str, ctime_ns: int) -> bool:
        tried = self._tries.get(key)
        return tried is None or tried.ctime_ns != ctime_ns or time.monotonic() >= tried.due

    def failed(self, key: str, ctime_ns: int) -> float:
        """Note one more failed read; returns the seconds until the next try."""
        tried = self._tries.get(key)
        failures = tried.failures + 1 if tried else 1
        wait = min(self.base * 2 ** (failures - 1), MAX_BACKOFF_SECONDS)
        self._tries[key] = _Attempt(failures, time.monotonic() + wait, ctime_ns)
        return wait

    def forget(self, key: str) -> None:
        self._tries.pop(key, None)
