"""A file that grows or is edited after it was stored: the later version replaces the
article (same id), and alerts are not sent twice (docs/revisions.md).

The writer here is the hostile one of issue 14: it appends in bursts, closing the file
between them and pausing longer than settle_seconds, so the daemon stores a fragment first.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from running import Daemon, alert_lines, cli, query, wait_for

from monitor.config import Settings, load
from monitor.dedup import NearDuplicates, shingles
from monitor.models import Item
from monitor.service import Service, build_pipeline
from monitor.text.clitics import index_text, query_forms
from monitor.text.normalize import words

SEED = "002_911ee84ec367d659.txt"  # the longest seed: about 5,500 characters of body


def bursts(seed: Path, first: int = 600, parts: int = 3) -> list[str]:
    """The seed's text in `parts` pieces at line ends: the first just over `first`
    characters (a fragment the pipeline still accepts), the rest split evenly."""
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    head: list[str] = []
    while lines and sum(map(len, head)) <= first:
        head.append(lines.pop(0))
    step = -(-len(lines) // (parts - 1))
    return ["".join(head)] + ["".join(lines[i : i + step]) for i in range(0, len(lines), step)]


def body_of(text: str) -> tuple[str | None, str]:
    """Title and clean body, as the pipeline (offline, no store) makes them."""
    item = Item(origin="x.txt", raw=text.encode(), kind="text", seen_at=datetime.now(UTC))
    article = build_pipeline(Settings()).run(item)
    return article.title, article.body


def last_paragraph_word(pieces: list[str]) -> str:
    """A word of the complete article's last paragraph that nothing before the last burst
    would match in a search: what only the complete article can be found by."""
    title, body = body_of("".join(pieces))
    before = set(index_text("".join(pieces[:-1]) + "\n" + (title or "")).split())
    last = body.split("\n")[-1]
    found = sorted(
        (w for w in set(words(last)) if len(w) >= 5 and not set(query_forms(w)) & before),
        key=lambda w: (-len(w), w),
    )
    assert found, "the last paragraph has no word of its own"
    return found[0]


def settled(db: Path) -> bool:
    return not query(db, "SELECT 1 FROM deliveries WHERE status != 'sent'")


# -- the daemon, with a writer that closes the file between bursts ---------------------


def test_a_file_written_in_bursts_is_one_article_found_by_its_last_paragraph(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    pieces = bursts(next(s for s in seeds if s.name == SEED))
    assert len(pieces) == 3
    word = last_paragraph_word(pieces)
    config = make_config(
        "[[alerts.rules]]\nname = 'summits'\ntopics = ['diplomacy_summits']\n"
        "channels = ['log']\n"
        f"[[alerts.rules]]\nname = 'last-paragraph'\nquery = '{word}'\nchannels = ['log']\n"
    )
    db, target = tmp_path / "monitor.db", tmp_path / "inbox" / "wire.txt"
    d = Daemon(config)
    try:
        d.wait_event("watching")
        for n, piece in enumerate(pieces, 1):
            with target.open("a", encoding="utf-8") as fh:  # open, write, close
                fh.write(piece)
            # The pause: longer than settle_seconds, until the daemon has stored what it saw.
            wait_for(
                lambda n=n: (
                    sum(
                        e.get("event") == "article stored" and e.get("path") == str(target)
                        for e in d.events()
                    )
                    >= n
                ),
                f"version {n} of the file stored",
            )
        stored = [e for e in d.events() if e.get("event") == "article stored"]
        wait_for(lambda: settled(db), "alerts delivered")
    finally:
        assert d.stop() == 0
    rows = query(db, "SELECT id, duplicate_of, text FROM articles WHERE origin = ?", (str(target),))
    assert len(rows) == 1, f"one article for the file, not {len(rows)}"
    article_id, duplicate_of, text = rows[0]
    assert duplicate_of is None
    assert word in words(text)
    assert [e["outcome"] for e in stored] == ["new", "revised", "revised"]
    assert {e["id"] for e in stored} == {article_id}
    found = [json.loads(line) for line in cli(config, "search", word, "--json").stdout.splitlines()]
    assert [f["id"] for f in found] == [article_id]
    alerts = alert_lines(tmp_path / "alerts.jsonl")
    assert sorted(a["rule"] for a in alerts) == ["last-paragraph", "summits"]  # each once
    by_rule = {a["rule"]: a for a in alerts}
    assert by_rule["summits"].get("revised") is None  # it fired on the fragment
    assert by_rule["last-paragraph"]["revised"] is True
    assert by_rule["last-paragraph"]["article_id"] == article_id
    assert by_rule["last-paragraph"]["key"] != by_rule["summits"]["key"]
    shown = cli(config, "show", str(article_id)).stdout
    assert "revised: 2 times" in shown


# -- in-process, against a real store ------------------------------------------------


@pytest.fixture
def service(make_config: Callable[..., Path]) -> Iterator[Service]:
    svc = Service.build(load(make_config()))
    try:
        yield svc
    finally:
        svc.close()


def rows(service: Service, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return service.store.db.execute(sql, list(args)).fetchall()


def assert_story_counts(service: Service) -> None:
    """Every story counts each member once, in its role: what a revision must keep."""
    counted = rows(service, "SELECT id, articles, copies FROM stories WHERE articles + copies > 0")
    members = rows(
        service,
        "SELECT story, sum(duplicate_of IS NULL), sum(duplicate_of IS NOT NULL) FROM articles "
        "WHERE story IS NOT NULL GROUP BY story",
    )
    assert sorted(counted) == sorted(members)


def test_a_longer_version_replaces_the_fragment_in_place(
    service: Service, tmp_path: Path, seeds: list[Path]
) -> None:
    pieces = bursts(next(s for s in seeds if s.name == SEED), parts=2)
    target, copy = tmp_path / "inbox" / "wire.txt", tmp_path / "inbox" / "reposted.txt"
    target.write_text(pieces[0], encoding="utf-8")
    assert service.process_file(target) == "new"
    fragment_sha = rows(service, "SELECT sha256 FROM ledger")[0][0]
    # Another site's copy of the fragment: it points at the article the fragment became.
    copy.write_text(pieces[0].replace("\n", "  \n\n"), encoding="utf-8")
    assert service.process_file(copy) == "duplicate"
    [(article_id, story)] = rows(
        service, "SELECT id, story FROM articles WHERE origin = ?", str(target)
    )
    documents = rows(service, "SELECT df FROM term_df WHERE term = ''")
    word = last_paragraph_word(pieces)
    assert service.store.search(word) == []

    with target.open("a", encoding="utf-8") as fh:
        fh.write(pieces[1])
    assert service.process_file(target) == "revised"

    [(same_id, text, duplicate_of, same_story)] = rows(
        service, "SELECT id, text, duplicate_of, story FROM articles WHERE origin = ?", str(target)
    )
    assert (same_id, duplicate_of, same_story) == (article_id, None, story)
    assert [r["id"] for r in service.store.search(word)] == [article_id]
    assert rows(service, "SELECT article_id FROM ledger WHERE path = ?", str(target)) == [
        (article_id,)
    ]
    # The near-duplicate index holds the complete text's bands, and only those.
    near = NearDuplicates(service.settings.dedup.jaccard, service.settings.dedup.containment)
    bands = {k for (k,) in rows(service, "SELECT key FROM lsh_bands WHERE article_id = ?", same_id)}
    assert bands == set(near.band_keys(shingles(text)))
    # The copy still points at it, and it lists the copy.
    assert rows(service, "SELECT duplicate_of FROM articles WHERE origin = ?", str(copy)) == [
        (article_id,)
    ]
    record = service.store.article(article_id)
    assert record is not None and [c["origin"] for c in record["copies"]] == [str(copy)]
    # One story, each member counted once; one more document in no document count.
    assert rows(service, "SELECT articles, copies FROM stories WHERE id = ?", story) == [(1, 1)]
    assert_story_counts(service)
    assert rows(service, "SELECT df FROM term_df WHERE term = ''") == documents
    assert rows(service, "SELECT df FROM term_df WHERE term = ?", word) == [(1,)]
    # The fragment's bytes are kept, and named as the replaced version.
    assert record["revisions"][0]["raw_sha256"] == fragment_sha
    assert rows(service, "SELECT length(content) FROM raw WHERE sha256 = ?", fragment_sha) == [
        (len(pieces[0].encode()),)
    ]


def test_an_edit_replaces_the_searchable_text(
    service: Service, tmp_path: Path, seeds: list[Path]
) -> None:
    """What the new version no longer says is no longer found."""
    seed = next(s for s in seeds if s.name == SEED)
    target = tmp_path / "inbox" / "wire.txt"
    shutil.copy(seed, target)
    assert service.process_file(target) == "new"
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    _, body = body_of("".join(lines))
    first = body.split("\n")[0]
    rest = set(index_text(body[len(first) :]).split())
    gone = sorted(w for w in set(words(first)) if len(w) >= 5 and not set(query_forms(w)) & rest)
    assert gone
    [(article_id,)] = rows(service, "SELECT id FROM articles")
    assert [r["id"] for r in service.store.search(gone[0])] == [article_id]
    # The editor cuts the first paragraph.
    target.write_text("".join(line for line in lines if line.strip() != first), encoding="utf-8")
    assert service.process_file(target) == "revised"
    assert service.store.search(gone[0]) == []
    assert rows(service, "SELECT count(*) FROM articles") == [(1,)]
    record = service.store.article(article_id)
    assert record is not None and len(record["revisions"]) == 1
    assert_story_counts(service)


def test_an_unrelated_article_in_the_same_file_is_a_new_article_and_revises_alone(
    service: Service, tmp_path: Path, seeds: list[Path]
) -> None:
    """Replaced by another article (not a revision): stored as a new article, as before;
    the old one stays. A later append to the new content revises the new article only."""
    target = tmp_path / "inbox" / "desk.txt"
    shutil.copy(seeds[0], target)
    assert service.process_file(target) == "new"
    [(first, first_text)] = rows(service, "SELECT id, text FROM articles")
    pieces = bursts(next(s for s in seeds if s.name == SEED), parts=2)
    target.write_text(pieces[0], encoding="utf-8")
    assert service.process_file(target) == "new"
    [(second,)] = rows(service, "SELECT id FROM articles WHERE id != ?", first)
    assert rows(service, "SELECT article_id FROM ledger") == [(second,)]
    with target.open("a", encoding="utf-8") as fh:
        fh.write(pieces[1])
    assert service.process_file(target) == "revised"
    assert rows(service, "SELECT id, text, duplicate_of FROM articles WHERE id = ?", first) == [
        (first, first_text, None)
    ]
    assert rows(service, "SELECT count(*) FROM articles") == [(2,)]
    assert service.store.article(first)["revisions"] == []  # type: ignore[index]
    assert len(service.store.article(second)["revisions"]) == 1  # type: ignore[index]
    assert_story_counts(service)


def test_a_fragment_filed_as_a_copy_becomes_an_original_when_its_file_grows_apart(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """A copy's later version is checked again (never against itself): here it is no
    copy any more, so it leaves its original's story as a copy and counts as an article,
    and alerts as one."""
    seed = next(s for s in seeds if s.name == SEED)
    known = set(index_text(seed.read_text() + seeds[3].read_text()).split())
    word = max(
        (w for w in set(words(seeds[4].read_text())) if not set(query_forms(w)) & known),
        key=lambda w: (len(w), w),
    )
    config = make_config(
        f"[[alerts.rules]]\nname = 'appended'\nquery = '{word}'\nchannels = ['log']\n"
        '[stories]\nupdates = "alert"\n'
    )
    service = Service.build(load(config))
    try:
        copy_becomes_original(service, tmp_path, seeds, seed)
    finally:
        service.close()


def copy_becomes_original(service: Service, tmp_path: Path, seeds: list[Path], seed: Path) -> None:
    shutil.copy(seed, tmp_path / "inbox" / "complete.txt")
    assert service.process_file(tmp_path / "inbox" / "complete.txt") == "new"
    target = tmp_path / "inbox" / "quote.txt"
    # Its first 60%: long enough to be found as a copy (a short cut is not: docs/revisions.md).
    target.write_text(bursts(seed, first=len(seed.read_text()) * 6 // 10, parts=2)[0])
    assert service.process_file(target) == "duplicate"
    [(article_id, original)] = rows(
        service, "SELECT id, duplicate_of FROM articles WHERE origin = ?", str(target)
    )
    assert original is not None
    with target.open("a", encoding="utf-8") as fh:
        fh.write(seeds[3].read_text(encoding="utf-8"))  # then two whole other articles
        fh.write(seeds[4].read_text(encoding="utf-8"))
    assert service.process_file(target) == "revised"
    assert rows(service, "SELECT id, duplicate_of FROM articles WHERE origin = ?", str(target)) == [
        (article_id, None)
    ]
    assert rows(service, "SELECT count(*) FROM lsh_bands WHERE article_id = ?", article_id) != [
        (0,)
    ]
    assert_story_counts(service)
    # As a copy it raised no alert; as an original it does, once, marked as a revision.
    alerts = rows(service, "SELECT rule, payload FROM alerts WHERE article_id = ?", article_id)
    assert [(r, json.loads(p)["revised"]) for r, p in alerts] == [("appended", True)]
