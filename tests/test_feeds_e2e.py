"""Feeds through the whole system: `monitor feeds poll` and the daemon, a real HTTP server."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from running import Daemon, alert_lines, cli, query, wait_for
from servers import static_server


def rss(entries: list[tuple[str, str, str]], title: str = "أخبار العالم") -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{html.escape(t)}</title>"
        f"<link>https://news.example.org/{guid}</link><pubDate>Mon, 11 Sep 2023 10:00:00 GMT</pubDate>"
        f"<description>{html.escape(body)}</description></item>"
        for guid, t, body in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://news.example.org/</link>{items}</channel></rss>"
    ).encode()


def seed_entries(seeds: list[Path], n: int) -> list[tuple[str, str, str]]:
    out = []
    for i in range(n):
        lines = [
            line
            for line in seeds[i % len(seeds)].read_text(encoding="utf-8").splitlines()
            if len(line) > 80
        ]
        out.append((f"id-{i}", lines[0][:80], "\n".join(f"<p>{p}</p>" for p in lines[:6])))
    return out


def feed_config(url: str, interval: str = "1h") -> str:
    # allow_private: the test server is on 127.0.0.1, refused unless the feed allows it.
    return (
        f'[[feeds]]\nname = "world"\nurl = "{url}/feed.xml"\ninterval = "{interval}"\n'
        'jitter = "0s"\nallow_private = true\n'
    )


def test_feeds_poll_ingests_new_entries_once_with_feed_metadata(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    files = {"/feed.xml": rss(seed_entries(seeds, 3))}
    with static_server(files) as base:
        config = make_config(feed_config(base))
        first = cli(config, "feeds", "poll")
        assert "world: 3 entries, 3 new" in first.stdout
        second = cli(config, "feeds", "poll", "world")
        assert "0 new" in second.stdout
        # The feed re-orders and re-dates its entries and adds one: only the new one is new.
        files["/feed.xml"] = rss(list(reversed(seed_entries(seeds, 4))))
        assert "1 new" in cli(config, "feeds", "poll").stdout
    db = tmp_path / "monitor.db"
    rows = query(db, "SELECT origin, title, source, published FROM articles ORDER BY id")
    assert len(rows) == 4
    assert all(o.startswith("https://news.example.org/id-") for o, *_ in rows)
    assert all(
        source == "أخبار العالم" and published == "2023-09-11" for _o, _t, source, published in rows
    )
    keys = [(a["rule"], a["article_id"]) for a in alert_lines(tmp_path / "alerts.jsonl")]
    assert len(keys) == len(set(keys))
    health = cli(config, "feeds").stdout
    assert "world  [ok]" in health and "entries seen 4" in health


def test_a_broken_feed_is_reported_and_the_others_are_polled(
    make_config: Callable[..., Path], seeds: list[Path]
) -> None:
    files = {
        "/feed.xml": rss(seed_entries(seeds, 1)),
        "/page.html": b"<html><body>not a feed</body></html>",
    }
    with static_server(files) as base:
        extra = (
            feed_config(base)
            + f'[[feeds]]\nname = "broken"\nurl = "{base}/page.html"\nallow_private = true\n'
        )
        config = make_config(extra)
        result = cli(config, "feeds", "poll", check=False)
    assert result.returncode == 1
    assert "broken: error:" in result.stdout and "world: 1 entries, 1 new" in result.stdout
    listing = cli(config, "feeds").stdout
    assert "broken  [1 errors in a row]" in listing and "last error" in listing


def test_an_unknown_feed_name_is_an_error_with_a_suggestion(
    make_config: Callable[..., Path],
) -> None:
    config = make_config(feed_config("http://127.0.0.1:9"))
    result = cli(config, "feeds", "poll", "wrld", check=False)
    assert result.returncode == 2 and "world" in result.stderr


def test_the_daemon_polls_feeds_and_a_restart_does_not_realert(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    files = {"/feed.xml": rss(seed_entries(seeds, 5))}
    db = tmp_path / "monitor.db"
    with static_server(files) as base:
        config = make_config(feed_config(base, interval="1s"))
        d = Daemon(config)
        d.wait_until(
            lambda: len(query(db, "SELECT id FROM articles")) == 5, "the feed's entries stored"
        )
        d.wait_until(
            lambda: query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)],
            "alerts out",
        )
        assert d.stop() == 0
        alerts_before = alert_lines(tmp_path / "alerts.jsonl")
        d2 = Daemon(config)
        d2.wait_event("feed poller started")
        wait_for(
            lambda: (
                query(
                    db,
                    "SELECT count(*) FROM feed_state WHERE last_poll > ?",
                    (query(db, "SELECT started_at FROM daemon")[0][0],),
                )
                != [(0,)]
            ),
            "a poll after the restart",
        )
        assert d2.stop() == 0
    assert len(query(db, "SELECT id FROM articles")) == 5
    assert alert_lines(tmp_path / "alerts.jsonl") == alerts_before
