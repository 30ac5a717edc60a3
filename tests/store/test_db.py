from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.models import Article, Item
from monitor.store.db import Store


def article(body: str, origin: str = "/in/a.txt") -> Article:
    item = Item(origin=origin, raw=body.encode(), kind="text", seen_at=datetime.now(UTC))
    return Article(item=item, text=body, body=body, title="عنوان", body_hash=f"h-{body}")


def test_opening_twice_applies_migrations_once(tmp_path: Path) -> None:
    Store(tmp_path / "m.db").close()
    store = Store(tmp_path / "m.db")
    names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations").fetchall()]
    assert names == sorted(set(names))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_raw_bytes_are_kept_once_per_content(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    with store.db.atomic():
        store.save_article(article("same", "/in/a.txt"))
        store.save_article(article("same", "/in/b.txt"))
    assert store.db.execute("SELECT count(*) FROM raw").fetchone()[0] == 1


def test_an_alert_is_queued_once_per_key_with_a_delivery_per_channel(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")

    def queue(key: str, digest: bool = False) -> int | None:
        return store.add_alert(
            rule="r",
            article_id=aid,
            kind="article",
            story=None,
            key=key,
            payload={"at": "now"},
            channels=("log", "ops"),
            digest=digest,
        )

    with store.db.atomic():
        aid = store.save_article(article("body"))
        assert queue("k1") is not None
        assert queue("k1") is None  # the same (rule, article) again
        assert queue("k2", digest=True) is not None
    rows = store.db.execute(
        "SELECT a.key, d.channel FROM deliveries d JOIN alerts a ON a.id = d.alert_id ORDER BY d.id"
    ).fetchall()
    assert rows == [("k1", "log"), ("k1", "ops")]  # a digest member waits for its digest


def test_readonly_store_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no store yet"):
        Store(tmp_path / "absent.db", readonly=True)
