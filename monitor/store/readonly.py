"""A read-only connection offering the two calls the store's readers make: query, execute.

Why not sqlite_utils.Database here, as for writing: importing sqlite_utils imports numpy
(and pandas when installed) to map their column types, 0.1-0.2 s that `monitor search`,
`show`, `stats` and `status` would pay on every run only to read rows as dicts, which
sqlite3 does in a few lines. Writing (migrations, transactions) keeps sqlite_utils.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

Params = Sequence[Any] | Mapping[str, Any] | None


class ReadOnlyDatabase:
    """sqlite_utils.Database's `query` and `execute` over a connection opened mode=ro."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, () if parameters is None else parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts keyed by column name (the store's queries name each column once)."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def close(self) -> None:
        self.conn.close()
