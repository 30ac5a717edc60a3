"""A real HTTP server on 127.0.0.1 for the feed and fetch tests, one per test module; and
for the feed tests a fetcher, a real SQLite store with the feed tables, and `poll`, which
polls a feed and records its entries as the daemon's main loop does (a test module's own
fixture of the same name takes precedence)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from feed_polling import limits, store
from pytest_httpserver import HTTPServer
from sqlite_utils import Database

from monitor.config import FeedConfig
from monitor.sources.feeds import PollResult, create_tables, load_state, poll_feed, recorded_keys
from monitor.sources.fetch import Fetcher


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def web(server: HTTPServer) -> Iterator[HTTPServer]:
    yield server
    server.clear()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    # Generous: under a loaded CI the local server can take more than half a second to
    # answer, and a read timeout then stands in for the status a test asserts (a 429
    # test failed so). The stalled-server test makes its own short-timeout fetcher.
    with Fetcher(limits(read_timeout=10), host_interval=0) as f:
        yield f


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "monitor.db")
    database.enable_wal()
    create_tables(database)
    yield database
    database.close()


@pytest.fixture
def poll(db: Database, fetcher: Fetcher) -> Callable[..., PollResult]:
    db.execute("CREATE TABLE IF NOT EXISTS fake_articles (id INTEGER PRIMARY KEY, origin TEXT)")

    def run(feed: FeedConfig, *, keep: bool = True, **kw: Any) -> PollResult:
        state = load_state(db, feed)
        result = poll_feed(
            feed, fetcher, state, seen=lambda keys: recorded_keys(db, feed.name, keys), **kw
        )
        if keep:
            store(db, result)
        return result

    return run
