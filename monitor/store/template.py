"""A new store made by copying an empty one, instead of running the migrations again.

Creating a store runs every migration of schema.py through sqlite_utils, whose import
brings numpy: about 0.2 s before a daemon on a new store is watching its inbox, and a
fifth of a first `monitor ingest`. The result is the same empty schema every time, for
the same migrations and the same libraries. So the first new store is copied (VACUUM
INTO, a consistent copy) into the cache folder, keyed by the code that decides the
schema, and later new stores start as a copy of it; the copy then gets what must not be
shared, its own random store_id (store/identity.py), and its migrations' times.

The key covers the sources the migrations run (schema.py and the modules it calls) and
the versions of sqlite_utils (its FTS and table SQL) and of SQLite: any change is a new
key, so a stale template is never used. A template that cannot be read, written or
copied costs the migrations, never the store: Store opens the file as before, and the
migrations run on whatever is not up to date (store/stamp.py).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_MAGIC = b"monitor-store-template-1"
# The modules whose code decides the empty schema (the migrations, and what they call).
_SOURCES = ("store/schema.py", "store/identity.py", "sources/feeds/state.py")


def _key() -> str | None:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(_MAGIC + sqlite3.sqlite_version.encode(), digest_size=16)
    try:
        digest.update(version("sqlite-utils").encode())
        for name in _SOURCES:
            digest.update((root / name).read_bytes())
    except (OSError, PackageNotFoundError):
        return None
    return digest.hexdigest()


def _template(folder: Path) -> Path | None:
    key = _key()
    return folder / f"store-{key}.db" if key else None


def copy_template(path: Path, folder: Path | None) -> bool:
    """Create the store at `path` (which does not exist) from the cached template; False
    when there is none (or it cannot be copied): then the migrations create it."""
    template = _template(folder) if folder is not None else None
    if template is None or path.exists() or not template.is_file():
        return False
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".new", delete=False) as tmp:
            partial = Path(tmp.name)
        try:
            shutil.copyfile(template, partial)
            conn = sqlite3.connect(partial, isolation_level=None)
            try:
                # What each store has of its own: its id, and when its migrations ran.
                with conn:
                    conn.execute("BEGIN")
                    conn.execute(
                        "UPDATE store_meta SET value = ? WHERE name = 'store_id'",
                        [secrets.token_hex(16)],
                    )
                    conn.execute(
                        "UPDATE _sqlite_migrations SET applied_at = ?",
                        [str(datetime.now(UTC))],  # sqlite_utils' format
                    )
            finally:
                conn.close()
            # A link, not a rename: it fails if another process created the store
            # meanwhile, and that store is kept.
            os.link(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        return False
    return True


def _empty(conn: sqlite3.Connection) -> bool:
    """No row stored yet (another process may have written to a store it found just
    created): the migrations' own rows and the full-text indexes' tables aside (an
    empty index has rows of its own)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    indexes = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
    tables = [
        name
        for name, _sql in rows
        if name not in ("_sqlite_migrations", "store_meta")
        and not any(name == v or name.startswith(f"{v}_") for v in indexes)
    ]
    return not any(conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables)


def keep_template(conn: sqlite3.Connection, folder: Path | None) -> None:
    """Copy the store just created (migrated, still empty) as the template for the next."""
    template = _template(folder) if folder is not None else None
    if template is None or template.exists() or not _empty(conn):
        return
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=template.parent, suffix=".new", delete=False) as tmp:
            partial = Path(tmp.name)
        try:
            partial.unlink()  # VACUUM INTO writes a file that does not exist
            conn.execute("VACUUM INTO ?", [str(partial)])
            os.replace(partial, template)  # whole or absent for a reader
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        return
