"""The alert log: one JSON object per line, fsync'd, rotated by size.

A retried delivery first looks for its key in the current file: the crash it recovers
from may have come after the append and before the outbox recorded it, and the log must
hold each alert once.
"""

from __future__ import annotations

import os
from pathlib import Path

from monitor.alerts.channels.base import DeliveryError, Message

_TAIL = 1 << 20  # how far back a retry looks for its own line


class LogFileChannel:
    reads_text = False  # it sends the payload (base.Channel)

    def __init__(self, name: str, path: Path, *, max_bytes: int, keep: int) -> None:
        self.name = name
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep

    def send(self, message: Message) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if message.retry and self._already_logged(message.key):
                return
            self._rotate_if_needed()
            line = message.json_bytes() + b"\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, line)  # one write() of the whole line: readers never see half
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.path}: {exc}") from exc

    def _already_logged(self, key: str) -> bool:
        try:
            with self.path.open("rb") as fh:
                fh.seek(max(0, self.path.stat().st_size - _TAIL))
                return f'"key": "{key}"'.encode() in fh.read()
        except FileNotFoundError:
            return False

    def _rotate_if_needed(self) -> None:
        """alerts.jsonl -> .1 -> .2 ...; the oldest beyond `keep` is dropped."""
        try:
            if self.path.stat().st_size < self.max_bytes:
                return
        except FileNotFoundError:
            return
        if self.keep == 0:
            self.path.unlink()
            return
        for n in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{n + 1}"))
        self.path.replace(self.path.with_name(f"{self.path.name}.1"))
