"""Helpers for the feed tests (tests/sources/test_feeds.py, test_feed_entries.py): the
feeds served from tests/data/feeds, a feed's configuration for the local server, and what
the daemon's main loop does with a poll's result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from sqlite_utils import Database

from monitor.config import FeedConfig
from monitor.sources import feeds
from monitor.sources.feeds import PollResult, record_entry, save_state
from monitor.sources.fetch import FetchLimits

DATA = Path(__file__).resolve().parent / "data" / "feeds"
RSS = "application/rss+xml"


def limits(read_timeout: float) -> FetchLimits:
    return FetchLimits(connect_timeout=2, read_timeout=read_timeout, max_bytes=256 * 1024,
                       max_redirects=3, user_agent="monitor-test/1.0",
                       total_timeout=read_timeout * 6)  # fmt: skip


def serve(web: HTTPServer, path: str, name: str, content_type: str = RSS) -> str:
    web.expect_request(path).respond_with_data(
        (DATA / name).read_bytes(), content_type=content_type
    )
    return web.url_for(path)


def make_feed(url: str, name: str = "test", **kw: Any) -> FeedConfig:
    # The test server is on 127.0.0.1, which feeds may reach only when allowed.
    kw.setdefault("allow_private", True)
    return FeedConfig(name=name, url=url, **kw)


def store(db: Database, result: PollResult) -> list[int]:
    """What the daemon's main loop does with a result: each entry with a stand-in article in
    one transaction, then the feed's state."""
    ids = []
    for entry in result.entries:
        with db.atomic():
            if feeds.is_recorded(db, result.feed, entry.key):
                continue
            cursor = db.execute(
                "INSERT INTO fake_articles (origin) VALUES (?)", [entry.item.origin]
            )
            assert cursor.lastrowid is not None
            assert record_entry(db, result.feed, entry.key, cursor.lastrowid,
                                full_text_error=entry.full_text_error)  # fmt: skip
            ids.append(cursor.lastrowid)
    with db.atomic():
        save_state(db, result.state)
    return ids
