"""Feed entries against real HTTP servers on 127.0.0.1, with a real SQLite store
(conftest.py): each entry offered once however the feed reorders or repeats it, full text,
durations and health, and the scheduler. The formats and bad feeds: test_feeds.py.
"""

from __future__ import annotations

import io
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from feed_polling import DATA, RSS, make_feed, serve, store
from pytest_httpserver import HTTPServer
from sqlite_utils import Database
from werkzeug import Request, Response

from monitor.config import ConfigError
from monitor.sources import feeds
from monitor.sources.feeds import (
    FeedPoller,
    FeedState,
    PollResult,
    entry_key,
    feed_health,
    parse_duration,
    record_entry,
    recorded_keys,
    save_state,
)
from monitor.sources.fetch import Fetcher

# -- identity and "seen once" ------------------------------------------------------------


def big_feed(n: int, *, start: int = 0, reverse: bool = False, day: int = 1) -> bytes:
    numbers = list(range(start, start + n))
    if reverse:
        numbers.reverse()
    items = "".join(
        f"<item><title>Story {i}</title><link>https://big.example.org/{i}</link>"
        f"<guid isPermaLink='false'>big-{i}</guid>"
        f"<pubDate>{format_datetime(datetime(2024, 3, day, tzinfo=UTC) + timedelta(minutes=i), usegmt=True)}</pubDate>"
        f"<description>Story number {i} of the big feed.</description></item>"
        for i in numbers
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


def test_thousand_entries_polled_twice_yield_each_once(
    web: HTTPServer, poll: Callable[..., PollResult], db: Database
) -> None:
    versions = iter([
        big_feed(1000),
        big_feed(1000, reverse=True, day=9),  # re-ordered and re-dated
        big_feed(1000, start=5, day=10),  # five new at the end, five dropped at the start
    ])  # fmt: skip
    web.expect_request("/big").respond_with_handler(
        lambda request: Response(next(versions), content_type=RSS)
    )
    feed = make_feed(web.url_for("/big"), name="big")
    first = poll(feed)
    assert len(first.entries) == 1000 and first.total == 1000
    assert len({e.key for e in first.entries}) == 1000
    second = poll(feed)
    assert second.outcome == "unchanged" and second.total == 1000 and not second.entries
    third = poll(feed)
    assert [e.key for e in third.entries] == [f"id:big-{i}" for i in range(1000, 1005)]
    count = db.execute("SELECT count(*) FROM feed_entries WHERE feed = 'big'").fetchone()[0]
    assert count == 1005
    articles = db.execute("SELECT count(*) FROM fake_articles").fetchone()[0]
    assert articles == 1005


def test_unstored_result_is_offered_again(
    web: HTTPServer, poll: Callable[..., PollResult], db: Database
) -> None:
    """A crash after the poll but before the main loop stored anything loses nothing: the
    state (and its ETag) was never saved, so the next poll fetches the entries again."""
    web.expect_request("/crash").respond_with_data(
        (DATA / "rss20.xml").read_bytes(), content_type=RSS, headers={"ETag": '"x"'}
    )
    feed = make_feed(web.url_for("/crash"))
    lost = poll(feed, keep=False)
    assert len(lost.entries) == 2
    again = poll(feed)
    request, _ = web.log[1]
    assert "If-None-Match" not in request.headers
    assert [e.key for e in again.entries] == [e.key for e in lost.entries]


def test_duplicate_entry_in_one_document_is_offered_once(
    web: HTTPServer, poll: Callable[..., PollResult]
) -> None:
    item = "<item><title>Same</title><guid isPermaLink='false'>dup-1</guid><description>Same story twice.</description></item>"
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>{item}{item}</channel></rss>'
    web.expect_request("/dup").respond_with_data(body, content_type=RSS)
    result = poll(make_feed(web.url_for("/dup")))
    assert [e.key for e in result.entries] == ["id:dup-1"] and result.total == 2


def parse_entries(body: str) -> list[Any]:
    return list(feedparser.parse(io.BytesIO(body.encode())).entries)


def test_entry_key_falls_back_to_link_then_content_hash() -> None:
    entries = parse_entries(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>'
        "<item><title>a</title><guid>  id-1  </guid><link>https://k.example.org/a</link></item>"
        "<item><title>b</title><link>https://k.example.org/b</link></item>"
        "<item><title>c</title><description>Only text, no id, no link.</description>"
        "<pubDate>Mon, 04 Mar 2024 16:00:00 GMT</pubDate></item>"
        "</channel></rss>"
    )
    keys = [entry_key(e) for e in entries]
    assert keys[0] == "id:id-1"
    assert keys[1] == "link:https://k.example.org/b"
    assert keys[2].startswith("sha256:") and len(keys[2]) == 7 + 64
    redated = parse_entries(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>'
        "<item><title>c</title><description>Only text, no id, no link.</description>"
        "<pubDate>Fri, 08 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    assert entry_key(redated[0]) == keys[2]  # the date is not part of the identity
    edited = parse_entries(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>'
        "<item><title>c</title><description>Other text.</description></item></channel></rss>"
    )
    assert entry_key(edited[0]) != keys[2]
    long_id = parse_entries(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>'
        f"<item><title>d</title><guid>{'x' * 2000}</guid></item></channel></rss>"
    )
    assert entry_key(long_id[0]).startswith("id:sha256:")


def test_entries_without_id_or_link_get_feed_url_origins(
    web: HTTPServer, poll: Callable[..., PollResult]
) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
        "<item><title>Bare</title><description>An entry with nothing but text in it.</description></item>"
        "</channel></rss>"
    )
    web.expect_request("/bare").respond_with_data(body, content_type=RSS)
    url = web.url_for("/bare")
    first = poll(make_feed(url))
    (entry,) = first.entries
    assert entry.key.startswith("sha256:")
    assert entry.item.origin == f"{url}#{entry.key}"
    assert entry.item.published_hint is None
    assert not poll(make_feed(url)).entries


def test_record_entry_is_once_and_transactional(db: Database) -> None:
    with db.atomic():
        assert record_entry(db, "f", "id:1", 7)
    assert not record_entry(db, "f", "id:1", 8)  # already seen
    try:
        with db.atomic():
            record_entry(db, "f", "id:2", 9)
            raise RuntimeError("the article insert failed")
    except RuntimeError:
        pass
    assert recorded_keys(db, "f", ["id:1", "id:2", "id:3"]) == {"id:1"}
    assert recorded_keys(db, "other", ["id:1"]) == set()


# -- full text ---------------------------------------------------------------------------


def full_text_server(web: HTTPServer) -> str:
    base = web.url_for("/").rstrip("/")
    items = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><description>Summary of {t}.</description></item>"
        for t, p in [("ok", "/page/ok"), ("missing", "/page/missing"), ("pdf", "/page/pdf")]
    )
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>FT</title>{items}</channel></rss>'
    )
    web.expect_request("/ft").respond_with_data(body, content_type=RSS)
    web.expect_request("/page/ok").respond_with_data(
        "<html><body><article><p>The whole article.</p></article></body></html>",
        content_type="text/html; charset=utf-8",
    )
    web.expect_request("/page/missing").respond_with_data("gone", status=404)
    web.expect_request("/page/pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    return web.url_for("/ft")


def test_full_text_fetches_pages_and_falls_back_to_summary(
    web: HTTPServer, poll: Callable[..., PollResult], db: Database
) -> None:
    result = poll(make_feed(full_text_server(web), full_text=True))
    by_title = {e.item.title_hint: e for e in result.entries}
    ok = by_title["ok"]
    assert ok.full_text_error is None and b"The whole article." in ok.item.raw
    assert ok.item.origin == web.url_for("/page/ok")
    missing = by_title["missing"]
    assert missing.full_text_error == "HTTP 404 NOT FOUND"
    assert b"Summary of missing." in missing.item.raw
    assert by_title["pdf"].full_text_error == "the page is application/pdf, not HTML"
    reasons = dict(db.execute("SELECT entry_key, full_text_error FROM feed_entries").fetchall())
    assert sorted(r for r in reasons.values() if r) == [
        "HTTP 404 NOT FOUND", "the page is application/pdf, not HTML",
    ]  # fmt: skip
    page_requests = [r for r, _ in web.log if r.path.startswith("/page/")]
    assert all("text/html" in r.headers["Accept"] for r in page_requests)


def test_full_text_pages_per_poll_are_capped(
    web: HTTPServer, poll: Callable[..., PollResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds.poll, "MAX_PAGES_PER_POLL", 1)
    result = poll(make_feed(full_text_server(web), full_text=True))
    pages = [r.path for r, _ in web.log if r.path.startswith("/page/")]
    assert pages == ["/page/ok"]  # the newest entry (first in the document) only
    capped = [
        e
        for e in result.entries
        if e.full_text_error == "not fetched: more than 1 new entries in one poll"
    ]
    assert len(capped) == 2


# -- durations, health, one-shot selection ------------------------------------------------


def test_parse_duration() -> None:
    assert parse_duration("15m") == 900
    assert parse_duration("90s") == 90
    assert parse_duration("2h") == 7200
    assert parse_duration("1d") == 86400
    assert parse_duration("1h30m") == 5400
    assert parse_duration("45") == 45
    assert parse_duration("0s", key="jitter") == 0
    with pytest.raises(
        ConfigError, match=r"feeds\['wire'\]\.interval = '15 minutes' is not a duration"
    ):
        parse_duration("15 minutes", feed="wire")
    with pytest.raises(
        ConfigError, match=r"feeds\['wire'\]\.interval = '0s' must be longer than zero"
    ):
        parse_duration("0s", feed="wire")
    with pytest.raises(ConfigError, match="jitter"):
        parse_duration("soon", feed="wire", key="jitter")


def test_check_feeds_rejects_duplicates_and_bad_durations() -> None:
    with pytest.raises(ConfigError, match="two feeds are named 'a'"):
        feeds.check_feeds([make_feed("http://x/1", "a"), make_feed("http://x/2", "a")])
    with pytest.raises(ConfigError, match=r"feeds\['b'\]\.jitter"):
        feeds.check_feeds([make_feed("http://x/1", "b", jitter="lots")])


def test_select_feeds() -> None:
    on, off = make_feed("http://x/1", "on"), make_feed("http://x/2", "off", enabled=False)
    assert feeds.select_feeds([on, off]) == [on]
    assert feeds.select_feeds([on, off], ["off"]) == [off]  # named: polled even if disabled
    with pytest.raises(ConfigError, match="no feed named 'onn'; did you mean 'on'"):
        feeds.select_feeds([on, off], ["onn"])


def test_feed_health(web: HTTPServer, poll: Callable[..., PollResult], db: Database) -> None:
    good = make_feed(serve(web, "/good", "rss20.xml"), name="good")
    web.expect_request("/bad").respond_with_data("", status=500)
    bad = make_feed(web.url_for("/bad"), name="bad")
    never = make_feed("http://127.0.0.1:9/never", name="never", enabled=False)
    poll(good)
    poll(bad)
    save_state(db, FeedState(feed="gone", url="http://old.example.org/feed"))
    health = {h["name"]: h for h in feed_health(db, [good, bad, never])}
    assert list(health) == ["good", "bad", "never", "gone"]
    assert health["good"]["entries_seen"] == 2 and health["good"]["last_success"]
    assert health["good"]["error_count"] == 0 and health["good"]["next_poll"]
    assert health["good"]["title"] == "Example Wire"
    assert health["bad"]["error_count"] == 1 and health["bad"]["last_error"].startswith("HTTP 500")
    assert health["bad"]["last_success"] is None and health["bad"]["entries_seen"] == 0
    assert health["never"]["last_poll"] is None and health["never"]["enabled"] is False
    assert health["gone"]["configured"] is False
    expected = {"name", "url", "enabled", "configured", "last_success", "last_error",
                "error_count", "entries_seen", "next_poll", "backoff_until"}  # fmt: skip
    assert expected <= set(health["good"])


def test_feed_health_without_tables(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "empty.db")
    try:
        (row,) = feed_health(conn, [make_feed("http://x/1", "a")])
    finally:
        conn.close()
    assert row["name"] == "a" and row["entries_seen"] == 0 and row["last_poll"] is None


# -- the scheduler -----------------------------------------------------------------------


def test_poller_polls_on_schedule_and_waits_for_done(
    web: HTTPServer, db: Database, fetcher: Fetcher, tmp_path: Path
) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS fake_articles (id INTEGER PRIMARY KEY, origin TEXT)")
    body = (DATA / "rss20.xml").read_bytes()
    seen_headers: list[str | None] = []
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            seen_headers.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"s"':
            return Response(status=304)
        return Response(body, content_type=RSS, headers={"ETag": '"s"'})

    web.expect_request("/sched").respond_with_handler(handler)
    feed = make_feed(web.url_for("/sched"), name="sched", interval="1s", jitter="0s")
    disabled = make_feed(web.url_for("/off"), name="off", enabled=False)
    results: queue.Queue[PollResult] = queue.Queue()
    poller = FeedPoller([feed, disabled], tmp_path / "monitor.db", fetcher, results=results)
    poller.start()
    try:
        assert set(poller.next_runs()) == {"sched"}
        first = results.get(timeout=10)
        assert first.feed == "sched" and len(first.entries) == 2
        time.sleep(2.5)  # two more intervals: skipped, the first result is not stored yet
        assert len(seen_headers) == 1 and results.empty()
        store(db, first)
        poller.done(first)
        second = results.get(timeout=10)
        assert second.not_modified
    finally:
        poller.stop()
    assert seen_headers[:2] == [None, '"s"']
    (health,) = [h for h in feed_health(db, [feed]) if h["name"] == "sched"]
    assert health["entries_seen"] == 2 and health["last_status"] == 200


def test_poller_starts_at_stored_next_poll(
    web: HTTPServer, db: Database, fetcher: Fetcher, tmp_path: Path
) -> None:
    """A restart does not poll a feed that is backing off or polled a moment ago."""
    feed = make_feed(web.url_for("/later"), name="later", interval="1h", jitter="0s")
    soon = datetime.now(UTC) + timedelta(minutes=20)
    save_state(
        db, FeedState(feed="later", url=feed.url, next_poll=soon.isoformat(timespec="seconds"))
    )
    poller = FeedPoller([feed], tmp_path / "monitor.db", fetcher)
    poller.start()
    try:
        due = poller.next_runs()["later"]
        assert due is not None and abs((due - soon).total_seconds()) < 2
    finally:
        poller.stop()
    assert poller.results.empty() and not web.log


def test_poller_set_feeds_adds_and_removes_jobs(
    fetcher: Fetcher, db: Database, tmp_path: Path
) -> None:
    a = make_feed("http://127.0.0.1:9/a", name="a", interval="1h", jitter="0s")
    b = make_feed("http://127.0.0.1:9/b", name="b", interval="1h", jitter="0s")
    poller = FeedPoller([a], tmp_path / "monitor.db", fetcher)
    save_state(
        db,
        FeedState(
            feed="a", url=a.url, next_poll=(datetime.now(UTC) + timedelta(minutes=30)).isoformat()
        ),
    )
    save_state(
        db,
        FeedState(
            feed="b", url=b.url, next_poll=(datetime.now(UTC) + timedelta(minutes=30)).isoformat()
        ),
    )
    poller.start()
    try:
        before = poller.next_runs()["a"]
        poller.set_feeds([a, b])
        assert set(poller.next_runs()) == {"a", "b"}
        assert poller.next_runs()["a"] == before  # unchanged feed, unchanged schedule
        poller.set_feeds([b])
        assert set(poller.next_runs()) == {"b"}
        with pytest.raises(ConfigError):
            poller.set_feeds([b, b])
    finally:
        poller.stop()
