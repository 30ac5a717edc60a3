"""The reading room (monitor/ui/reading.py), in process through Datasette's ASGI client, on
a store the real `monitor ingest` filled from the seeds (with a copy of one seed, and an
alert rule whose webhook nobody answers, so a delivery waits for a retry)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import sqlite3
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import escape, unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_of, shared_folder
from reading_store import make_store
from running import cli

pytest.importorskip("datasette", reason="the ui extra (datasette) is not installed")

from monitor.ui.server import build  # needs datasette


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = shared_folder(tmp_path_factory, "reading", make_store)
    return copy_of(template, tmp_path_factory.mktemp("reading")) / "monitor.db"


@pytest.fixture(scope="module")
def app(store: Path) -> Iterator[Any]:
    datasette = build(store)
    yield datasette
    for db in datasette.databases.values():
        db.close()


def fetch(app: Any, path: str, method: str = "GET", cookies: dict[str, str] | None = None) -> Any:
    return asyncio.run(app.client.request(method, path, cookies=cookies))


def page(app: Any, path: str, **kw: Any) -> str:
    response = fetch(app, path, **kw)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response.text


def sql(store: Path, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchall()


def story_ids(html: str) -> list[str]:
    return re.findall(r'<a class="headline" href="/story/([^"]+)"', html)


def result_ids(html: str) -> list[int]:
    block = html.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    return [int(i) for i in re.findall(r'<li>\s*<a href="/article/(\d+)"', block)]


def test_home_lists_stories_newest_first_with_their_counts(app: Any, store: Path) -> None:
    html = page(app, "/")
    expected = [r[0] for r in sql(store, "SELECT id FROM stories ORDER BY last_seen DESC")]
    assert len(expected) >= 2 and story_ids(html) == expected
    for story in expected:
        members = sql(
            store, "SELECT coalesce(source, origin) FROM articles WHERE story = ?", (story,)
        )
        item = html.split(f'href="/story/{story}"', 1)[1].split("</li>", 1)[0]
        n, m = len(members), len(set(members))
        assert f"{n} article{'s' if n != 1 else ''} from {m} source" in item
        topics = {
            t
            for (j,) in sql(store, "SELECT topics FROM articles WHERE story = ?", (story,))
            for t in json.loads(j)
        }
        assert set(re.findall(r'class="chip" href="/\?topic=([^"]+)"', item)) == topics
        assert ">ar</a>" in item  # its language


def test_the_filters_keep_the_stories_with_a_matching_article(app: Any, store: Path) -> None:
    by_story: dict[str, set[str]] = {}
    for story, entities in sql(store, "SELECT story, entities FROM articles"):
        by_story.setdefault(story, set()).update(json.loads(entities))
    (first, a), (_second, b) = sorted(by_story.items())[:2]
    only_first = sorted(a - b)[0]
    assert story_ids(page(app, "/?entity=" + urllib.parse.quote(only_first))) == [first]
    dated = sql(store, "SELECT story, published FROM articles WHERE published IS NOT NULL")[0]
    day = dated[1]
    assert story_ids(page(app, f"/?since={day}&until={day}")) == [dated[0]]
    assert story_ids(page(app, "/?since=2099-01-01")) == []
    assert story_ids(page(app, "/?lang=en")) == []
    assert len(story_ids(page(app, "/?lang=ar"))) == len(by_story)
    source = sql(store, "SELECT story, source FROM articles WHERE source IS NOT NULL")[0]
    assert story_ids(page(app, "/?source=" + urllib.parse.quote(source[1]))) == [source[0]]
    assert story_ids(page(app, "/?topic=no_such_topic")) == []
    assert len(story_ids(page(app, "/?topic=arms_transfers"))) == len(by_story)


@pytest.mark.parametrize("query", ["بالعقوبات", "عُقُوبَات", "بيونغ يانغ", "لبوتين OR sanctions"])
def test_the_search_box_gives_what_monitor_search_gives(app: Any, store: Path, query: str) -> None:
    config = store.parent / "config.toml"
    printed = cli(config, "search", query, "--json", "--limit", "50").stdout.splitlines()
    expected = [json.loads(line)["id"] for line in printed]
    assert expected, f"no result for {query}: the comparison would prove nothing"
    html = page(app, "/?q=" + urllib.parse.quote(query))
    assert result_ids(html) == expected
    assert "<mark>" in html  # the hits in each snippet


def test_the_search_box_takes_the_filters_too(app: Any, store: Path) -> None:
    config = store.parent / "config.toml"
    printed = cli(config, "search", "روسيا", "--json", "--lang", "ar", "--since", "2023-01-01")
    expected = [json.loads(line)["id"] for line in printed.stdout.splitlines()]
    html = page(app, "/?q=" + urllib.parse.quote("روسيا") + "&lang=ar&since=2023-01-01")
    assert expected and result_ids(html) == expected


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def marks(html: str) -> dict[str, str]:
    found = re.findall(r'<li class="story ?(new|updated)?">.*?href="/story/([^"]+)"', html, re.S)
    return {story: mark for mark, story in found}


def test_new_and_updated_since_the_last_visit_come_from_a_cookie(app: Any, store: Path) -> None:
    first = fetch(app, "/")
    assert set(marks(first.text).values()) == {""}  # a first visit marks nothing
    cookie = first.cookies.get("monitor_visit")
    assert cookie and cookie.startswith("|")  # the visit's start; no server write
    stories = sql(store, "SELECT id, first_seen, last_seen FROM stories ORDER BY first_seen")
    recent = iso(datetime.now(UTC))
    # A visit that started before everything: every story is new.
    before = iso(datetime(2000, 1, 1, tzinfo=UTC))
    seen = marks(page(app, "/", cookies={"monitor_visit": f"{before}|{recent}"}))
    assert seen == {s[0]: "new" for s in stories}
    # Last visit at the first story's start: it has grown since (updated), the later one is new.
    grown = [s for s in stories if s[2] > s[1]]
    assert grown, "a story with more than one article at different times is needed"
    prev = grown[0][1]
    seen = marks(page(app, "/", cookies={"monitor_visit": f"{prev}|{recent}"}))
    for story, first_seen, last_seen in stories:
        want = "new" if first_seen > prev else "updated" if last_seen > prev else ""
        assert seen[story] == want
    assert seen[grown[0][0]] == "updated"
    # A visit that started two hours ago has ended: its start becomes the last visit
    # (the stories came after it), whatever the visit before it was.
    old = iso(datetime.now(UTC) - timedelta(hours=2))
    never = "2999-01-01T00:00:00.000+00:00"
    later = fetch(app, "/", cookies={"monitor_visit": f"{never}|{old}"})
    assert set(marks(later.text).values()) == {"new"}
    assert later.cookies["monitor_visit"].startswith(old + "|")


def test_a_story_page_folds_copies_under_their_original(app: Any, store: Path) -> None:
    copy, original, similarity, story = sql(
        store,
        "SELECT id, duplicate_of, similarity, story FROM articles WHERE duplicate_of IS NOT NULL",
    )[0]
    html = page(app, f"/story/{story}")
    members = sql(
        store,
        "SELECT id FROM articles WHERE story = ? AND duplicate_of IS NULL "
        "ORDER BY coalesce(published, substr(ingested_at, 1, 10)), ingested_at, id",
        (story,),
    )
    shown = re.findall(
        r'<li class="report"[^>]*>\s*<a class="headline" href="/article/(\d+)"', html
    )
    assert [int(i) for i in shown] == [m[0] for m in members]  # originals, in time order
    report = html.split(f'href="/article/{original}"', 1)[1].split('<li class="report"', 1)[0]
    folded = report.split('<details class="copies"', 1)[1].split("</details>", 1)[0]
    assert f'href="/article/{copy}"' in folded and f"similarity {similarity:.2f}" in folded
    assert '<section class="column" aria-label="Reports in ar">' in html
    assert 'dir="rtl" lang="ar"' in html


def test_arabic_and_english_reports_sit_side_by_side(tmp_path: Path, store: Path) -> None:
    copy = tmp_path / "monitor.db"
    shutil.copy2(store, copy)
    story, article = sql(copy, "SELECT story, id FROM articles WHERE source IS NOT NULL")[0]
    with sqlite3.connect(copy) as conn:  # as if the tagger had found an English report
        conn.execute("UPDATE articles SET language = 'en' WHERE id = ?", (article,))
    app = build(copy)
    html = page(app, f"/story/{story}")
    columns = re.findall(r'<section class="column" aria-label="Reports in (\w+)">', html)
    assert columns == ["ar", "en"]
    english = html.split('aria-label="Reports in en"', 1)[1]
    assert f'href="/article/{article}"' in english and 'lang="en"' in english


def test_an_article_marks_every_matched_term_of_every_topic(app: Any, store: Path) -> None:
    article, evidence, removed, language = sql(
        store,
        "SELECT id, evidence, removed, language FROM articles WHERE removed != '[]' ORDER BY id",
    )[0]
    html = page(app, f"/article/{article}")
    assert '<div class="body" dir="rtl" lang="ar">' in html and language == "ar"
    body = html.split("<article>", 1)[1].split("</article>", 1)[0]  # title and text
    marked = re.findall(r'<mark tabindex="0" title="([^"]*)" aria-describedby="([^"]*)"', body)
    described = {ref for _, refs in marked for ref in refs.split()}
    for t, tag in enumerate(json.loads(evidence)):
        for m, match in enumerate(tag["matches"]):
            ref = f"ev-{t}-{m}"
            assert ref in described, (tag["topic"], match["term"])  # highlighted in the text
            assert f'<li id="{ref}">' in html  # and described beside it
            titles = [title for title, refs in marked if ref in refs.split()]
            assert any(
                f"topic {tag['topic']}, rule: {match['term']}" in unescape(x) for x in titles
            )
    folded = html.split('<details class="removed">', 1)[1].split("</details>", 1)[0]
    for line in json.loads(removed):
        assert escape(line["text"]) in folded and escape(line["why"]) in folded


def test_the_marks_sit_on_the_words_that_matched(app: Any, store: Path) -> None:
    from monitor.text.normalize import normalize

    article, evidence = sql(store, "SELECT id, evidence FROM articles ORDER BY id")[1]
    html = page(app, f"/article/{article}")
    body = html.split('<div class="body"', 1)[1].split("</div>", 1)[0]
    words = {unescape(w) for w in re.findall(r"<mark [^>]*>([^<]*)</mark>", body)}
    # A single-word Arabic term is in the marked word as written, clitics and all.
    terms = {
        normalize(m["term"])
        for tag in json.loads(evidence)
        for m in tag["matches"]
        if " " not in m["term"] and not m["term"].isascii()
    }
    assert terms
    folded = {normalize(w) for w in words}
    for term in terms:
        assert any(term in w or term[:-1] in w for w in folded), term


def test_entities_link_to_a_page_of_their_articles(app: Any, store: Path) -> None:
    html = page(app, "/article/1")
    names = json.loads(sql(store, "SELECT entities FROM articles WHERE id = 1")[0][0])
    for name in names:
        assert f'href="/entity?name={urllib.parse.quote(name)}"' in html
    name = names[0]
    listed = page(app, "/entity?name=" + urllib.parse.quote(name))
    expected = sql(
        store,
        "SELECT a.id FROM articles a WHERE a.duplicate_of IS NULL AND EXISTS "
        "(SELECT 1 FROM json_each(a.entities) WHERE value = ?) ORDER BY a.id DESC",
        (name,),
    )
    assert result_ids(listed) == [e[0] for e in expected] and expected
    assert result_ids(page(app, "/entity?name=Korea")) == []  # whole names only


def test_the_alerts_page_shows_rules_deliveries_and_retries(app: Any, store: Path) -> None:
    html = page(app, "/alerts")
    alerts = sql(store, "SELECT id, rule FROM alerts ORDER BY id DESC")
    assert alerts and re.findall(r'<tr id="alert-(\d+)">', html) == [str(a[0]) for a in alerts]
    assert "dprk-arms" in html
    row = html.split(f'<tr id="alert-{alerts[0][0]}">', 1)[1].split("</tr>", 1)[0]
    assert '<li class="sent"><b>log</b>: sent' in row
    assert '<li class="pending"><b>ops</b>: pending' in row and "Connection refused" in row
    waiting = html.split("Waiting for a retry", 1)[1].split("Latest alerts", 1)[0]
    pending = sql(store, "SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0]
    assert pending and waiting.count('<tr class="pending">') == pending


def test_new_alerts_are_served_to_the_pages_script(app: Any, store: Path) -> None:
    latest = sql(store, "SELECT max(id) FROM alerts")[0][0]
    assert f'data-after="{latest}"' in page(app, "/article/1")
    every = json.loads(page(app, "/alerts.json?after=0"))
    assert [a["id"] for a in every] == sorted(range(1, latest + 1), reverse=True)
    assert every[0]["deliveries"] == {"log": "sent", "ops": "pending"}
    assert json.loads(page(app, f"/alerts.json?after={latest}")) == []
    assert fetch(app, "/alerts.json?after=x").status_code == 400
    script = page(app, "/-/reading/reading.js")
    assert "/alerts.json" not in script or "data-url" in script  # the URL comes from the page


ROUTES = [
    "/",
    "/?q=%D8%B9%D9%82%D9%88%D8%A8%D8%A7%D8%AA",
    "/?topic=sanctions&entity=Russia&lang=ar&source=x&since=2020-01-01&until=2030-01-01",
    "/story/{story}",
    "/article/1",
    "/entity?name=Russia",
    "/alerts",
    "/alerts.json?after=0",
    "/-/reading/reading.css",
    "/-/reading/reading.js",
    "/-/monitor/chart",
    "/monitor",
    "/monitor/articles",
    "/monitor/search?q=x",
]


def test_nothing_in_the_reading_room_can_write(app: Any, store: Path) -> None:
    def state() -> tuple[str, int]:
        return hashlib.sha256(store.read_bytes()).hexdigest(), store.stat().st_mtime_ns

    before = state()
    counts = sql(store, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM alerts)")
    story = sql(store, "SELECT id FROM stories LIMIT 1")[0][0]
    for route in ROUTES:
        path = route.format(story=story)
        assert fetch(app, path).status_code == 200, path
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert fetch(app, path, method=method).status_code >= 400, (method, path)
    sql_route = "/monitor.json?sql=" + urllib.parse.quote("DELETE FROM articles")
    assert fetch(app, sql_route).status_code >= 400
    db = app.get_database()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute_write("DELETE FROM articles"))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute_fn(lambda conn: conn.execute("DELETE FROM alerts")))
    assert state() == before
    assert (
        sql(store, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM alerts)")
        == counts
    )


def test_a_missing_story_or_article_is_a_404_page(app: Any) -> None:
    for path in ("/story/nope", "/article/99999"):
        response = fetch(app, path)
        assert response.status_code == 404 and "There is no" in response.text


def test_the_label_index_follows_every_write_to_the_articles(tmp_path: Path, store: Path) -> None:
    copy = tmp_path / "monitor.db"
    shutil.copy2(store, copy)

    def labels(article: int) -> set[tuple[str, str]]:
        return {
            (k, v)
            for k, v in sql(
                copy, "SELECT kind, value FROM article_labels WHERE article_id = ?", (article,)
            )
        }

    topics, entities = sql(copy, "SELECT topics, entities FROM articles WHERE id = 1")[0]
    assert labels(1) == {("topic", t) for t in json.loads(topics)} | {
        ("entity", e) for e in json.loads(entities)
    }
    with sqlite3.connect(copy) as conn:  # as retagging would
        conn.execute("""UPDATE articles SET topics = '["a"]', entities = '["B", 3]' WHERE id = 1""")
    assert labels(1) == {("topic", "a"), ("entity", "B")}  # a non-string is skipped
    with sqlite3.connect(copy) as conn:  # bad JSON never fails the writer
        conn.execute("UPDATE articles SET entities = 'not json' WHERE id = 1")
    assert labels(1) == {("topic", "a")}
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM articles WHERE id = 1")
    assert labels(1) == set()


def test_a_store_without_the_label_index_gives_the_same_pages(
    tmp_path: Path, app: Any, store: Path
) -> None:
    copy = tmp_path / "monitor.db"
    shutil.copy2(store, copy)
    with sqlite3.connect(copy) as conn:  # a store the daemon has not upgraded yet
        conn.execute("DROP TABLE article_labels")
    old = build(copy)
    entity = sql(store, "SELECT value FROM article_labels WHERE kind = 'entity' LIMIT 1")[0][0]
    for path in (
        "/?entity=" + urllib.parse.quote(entity),
        "/?topic=sanctions&lang=ar",
        "/entity?name=" + urllib.parse.quote(entity),
    ):
        assert page(old, path).replace(str(copy), "") == page(app, path).replace(str(store), "")
