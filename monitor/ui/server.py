"""`monitor ui`: Datasette over the store, read-only, on 127.0.0.1 by default."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from monitor.ui import plugin
from monitor.ui.metadata import metadata


def build(db_path: Path):  # type: ignore[no-untyped-def]  # datasette ships no type hints
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name="monitor_ui")
    datasette = Datasette(
        [str(db_path)],
        metadata=metadata(db_path.stem),
        settings={"sql_time_limit_ms": 5000, "allow_download": False, "default_page_size": 50},
    )
    # Swapped for the read-only kind below; the first database stays the store, as the
    # reading room's views (get_database()) expect.
    name = next(n for n, db in datasette.databases.items() if db.path == str(db_path))
    datasette.remove_database(name)
    datasette.add_database(_read_only_database(datasette, db_path), name=name)
    return datasette


def _read_only_database(datasette: Any, db_path: Path) -> Any:
    """Datasette's Database with every connection opened mode=ro, its write one included.

    Datasette opens its read connections mode=ro already, but its write connection
    (execute_write, used by plugins) read-write; here that one is read-only too, so no
    page, route or plugin of this server can change the store (tests/test_reading.py).
    `Path.as_uri()` also escapes a path holding `?` or `#`, which Datasette's own
    f"file:{path}" would cut.
    """
    from datasette.database import Database

    class ReadOnlyDatabase(Database):  # type: ignore[misc]
        def connect(self, write: bool = False) -> sqlite3.Connection:
            conn = sqlite3.connect(
                f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            self._all_file_connections.append(conn)
            return conn

    return ReadOnlyDatabase(datasette, path=str(db_path), is_mutable=True)


def serve(db_path: Path, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(build(db_path).app(), host=host, port=port, log_level="warning")
