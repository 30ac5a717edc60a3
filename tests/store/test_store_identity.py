"""A random id per store, in every alert's idempotency key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.alerts.rules import alert_key
from monitor.store.db import Store


def test_each_store_gets_its_own_id(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    try:
        assert len(a.store_id) == 32 and len(b.store_id) == 32
        assert a.store_id != b.store_id
        again = Store(tmp_path / "a.db")
        assert again.store_id == a.store_id  # made once, kept
        again.close()
    finally:
        a.close()
        b.close()


def test_an_existing_store_gets_an_id_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)  # what a store made before this migration looks like
    conn.execute("DROP TABLE store_meta")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_store_identity'")
    conn.commit()
    conn.close()
    store = Store(path)
    try:
        assert len(store.store_id) == 32
    finally:
        store.close()


def test_keys_differ_across_stores_and_stay_stable_within_one() -> None:
    assert alert_key("arms", 1, "a" * 32) == alert_key("arms", 1, "a" * 32)
    assert alert_key("arms", 1, "a" * 32) != alert_key("arms", 1, "b" * 32)
    assert alert_key("arms", 1, "a" * 32) != alert_key("arms", 2, "a" * 32)
    assert alert_key("arms", 1, "a" * 32) != alert_key("trade", 1, "a" * 32)
