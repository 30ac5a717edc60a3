"""The reading room in a real headless Chromium against a real `monitor ui` process: from
the home page to a story to an article, as a reader would click, then a new alert that the
open page shows without a reload."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import CHROMIUM, Browser
from conftest import copy_of, shared_folder
from reading_store import make_store
from running import ui_server, wait_for

pytest.importorskip("datasette", reason="the ui extra (datasette) is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def served(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    store = copy_of(shared_folder(tmp_path_factory, "reading", make_store), tmp_path) / "monitor.db"
    with ui_server(tmp_path / "config.toml") as base:
        yield base, store


def test_a_reader_follows_a_story_to_an_article_in_a_browser(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, store = served
    with Browser(tmp_path / "profile") as browser:
        browser.open(base + "/")
        assert browser.js("document.querySelectorAll('li.story').length") >= 2
        browser.click("li.story a.headline")
        assert "/story/" in browser.js("location.pathname")
        assert browser.js("document.querySelectorAll('li.report').length") >= 1
        browser.click("li.report a.headline")
        path = browser.js("location.pathname")
        assert path.startswith("/article/")
        article = int(path.rsplit("/", 1)[1])

        # The Arabic text is laid out right to left.
        assert browser.js("getComputedStyle(document.querySelector('.body')).direction") == "rtl"
        assert browser.js("getComputedStyle(document.querySelector('.body p')).direction") == "rtl"
        # Every matched term of every topic is highlighted, and a highlight says why.
        evidence = json.loads(sql(store, "SELECT evidence FROM articles WHERE id = ?", article))
        wanted = {
            f"ev-{t}-{m}" for t, tag in enumerate(evidence) for m in range(len(tag["matches"]))
        }
        refs = browser.js(
            "[...document.querySelectorAll('article mark')].flatMap("
            "m => m.getAttribute('aria-describedby').split(' '))"
        )
        assert wanted and set(refs) == wanted
        assert browser.js(
            "[...document.querySelectorAll('article mark')].every("
            "m => m.tabIndex === 0 && m.title.startsWith('topic ') && "
            "getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"
        )
        first = browser.js(
            "document.querySelector('article mark').getAttribute('aria-describedby')"
        )
        description = browser.js(f"document.getElementById('{first.split()[0]}').textContent")
        assert "rule" in description and "matched" in description
        # The lines the cleaner removed are listed, folded, each with its reason.
        removed = json.loads(sql(store, "SELECT removed FROM articles WHERE id = ?", article))
        shown = browser.js(
            "[...document.querySelectorAll('details.removed li')].map(li => li.textContent)"
        )
        assert len(shown) == len(removed)
        for line, text in zip(removed, shown, strict=True):
            assert line["why"] in text and line["text"] in text
        assert browser.js("document.querySelector('details.removed').open") is False

        # A new alert reaches the open page without a reload (the daemon's write, made here).
        assert browser.js("document.getElementById('live-alerts').hidden") is True
        with sqlite3.connect(store) as conn:
            conn.execute(
                "INSERT INTO alerts (rule, article_id, kind, key, at, payload) "
                "VALUES ('live-rule', ?, 'article', 'k-live', '2026-01-01T00:00:00+00:00', '{}')",
                (article,),
            )
        shown_alert = wait_for(
            lambda: browser.js(
                "[...document.querySelectorAll('#live-alerts li')].map(li => li.textContent)"
                ".join(' ')"
            ),
            "the new alert on the open page",
            timeout=60,
        )
        assert "live-rule" in shown_alert
        assert browser.js("location.pathname") == path  # no reload


def sql(store: Path, query: str, *params: object) -> str:
    with sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchone()[0]
