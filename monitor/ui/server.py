"""`monitor ui`: Datasette over the store, read-only, on 127.0.0.1 by default."""

from __future__ import annotations

from pathlib import Path

from monitor.ui import plugin
from monitor.ui.metadata import metadata


def build(db_path: Path):  # type: ignore[no-untyped-def]  # datasette ships no type hints
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name="monitor_ui")
    # Read-only: Datasette opens a file database with mode=ro; nothing here can write.
    return Datasette(
        [str(db_path)],
        metadata=metadata(db_path.stem),
        settings={"sql_time_limit_ms": 5000, "allow_download": False, "default_page_size": 50},
    )


def serve(db_path: Path, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(build(db_path).app(), host=host, port=port, log_level="warning")
