"""The alert log: one JSON object per line, appended and flushed to disk.

Appends are fsync'd because the store marks an alert as logged right after: a power cut
must not leave the store saying "logged" for a line the disk never got.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class AlertLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, alert: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(alert, ensure_ascii=False) + "\n"
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
