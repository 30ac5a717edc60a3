"""A new store copied from the cached empty store (store/template.py) is the store the
migrations make, with its own id; a template that cannot serve costs only the migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.store.db import Store
from monitor.store.stamp import up_to_date


def _shape(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return (
            sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")),
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA journal_mode").fetchone(),
            conn.execute(
                "SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid"
            ).fetchall(),
        )
    finally:
        conn.close()


def _templates(folder: Path) -> list[Path]:
    return sorted(folder.glob("store-*.db")) if folder.exists() else []


def test_a_new_store_from_the_template_is_the_migrated_store_with_its_own_id(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    first = Store(tmp_path / "first.db", templates=cache)
    first.close()
    assert len(_templates(cache)) == 1
    # The template is what the copy starts from: mark it, and the copy carries the mark.
    conn = sqlite3.connect(_templates(cache)[0])
    conn.execute("INSERT INTO store_meta (name, value) VALUES ('from', 'template')")
    conn.commit()
    conn.close()

    second = Store(tmp_path / "second.db", templates=cache)
    try:
        assert up_to_date(second._conn)
        assert second.db.execute("SELECT value FROM store_meta WHERE name = 'from'").fetchone()
        assert second.store_id and second.store_id != Store(tmp_path / "first.db").store_id
        # It takes articles like any store.
        second.db.execute("INSERT INTO raw (sha256, size, content) VALUES ('x', 1, x'00')")
    finally:
        second.close()
    unmarked = sqlite3.connect(tmp_path / "second.db")
    unmarked.execute("DELETE FROM store_meta WHERE name = 'from'")
    unmarked.commit()
    unmarked.close()
    assert _shape(tmp_path / "second.db") == _shape(tmp_path / "first.db")


def test_a_damaged_template_costs_the_migrations_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Store(tmp_path / "first.db", templates=cache).close()
    _templates(cache)[0].write_bytes(b"not a database" * 100)
    store = Store(tmp_path / "second.db", templates=cache)
    try:
        assert up_to_date(store._conn) and store.store_id
    finally:
        store.close()
    assert _shape(tmp_path / "second.db") == _shape(tmp_path / "first.db")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".new") == []


def test_an_existing_store_is_opened_not_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Store(tmp_path / "first.db", templates=cache).close()
    store = Store(tmp_path / "kept.db")
    store.db.execute("INSERT INTO raw (sha256, size, content) VALUES ('kept', 1, x'00')")
    ident = store.store_id
    store.close()
    again = Store(tmp_path / "kept.db", templates=cache)
    try:
        assert again.store_id == ident
        assert again.db.execute("SELECT sha256 FROM raw").fetchall() == [("kept",)]
    finally:
        again.close()


def test_a_store_holding_rows_never_becomes_the_template(tmp_path: Path) -> None:
    from monitor.store.template import keep_template

    cache = tmp_path / "cache"
    store = Store(tmp_path / "busy.db")
    store.db.execute("INSERT INTO raw (sha256, size, content) VALUES ('x', 1, x'00')")
    keep_template(store._conn, cache)
    store.close()
    assert _templates(cache) == []
