"""Work done once and workers started only when needed (issue 19).

In-process, with a real store and real worker processes: what a worker sends back, what
the article carries from the extract step on, and when the pool starts.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from monitor import pipeline
from monitor.config import load
from monitor.dedup import body_hash, shingles, shingles_of
from monitor.extract.html import extract_html
from monitor.models import Item, removed_json
from monitor.service import Service
from monitor.store.columns import article_row
from monitor.text.language import LanguageDetector
from monitor.text.normalize import words
from monitor.workers import Extractor


def _page(seed: Path, n: int) -> bytes:
    lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>" for line in lines[1:])
    return (
        f"<html><head><meta charset='utf-8'><title>{lines[0]}</title></head><body>"
        f"<article><h1>{lines[0]}</h1><p>Report {n}.</p>{body}</article></body></html>"
    ).encode()


def test_the_words_and_hash_are_made_once_with_the_body(seeds: list[Path]) -> None:
    for seed in seeds:
        item = Item(str(seed), seed.read_bytes(), "text", datetime.now(UTC))
        article = pipeline.prepare(item)
        assert article.words == tuple(words(article.body)) != ()
        assert article.body_hash == body_hash(article.body)
        assert shingles_of(article.words) == shingles(article.body)


def test_a_worker_sends_back_the_article_without_the_input(seeds: list[Path]) -> None:
    items = [
        Item(f"/in/{n}.html", _page(seed, n), "html", datetime.now(UTC))
        for n, seed in enumerate(seeds)
    ]
    extractor = Extractor(1, 60.0)
    try:
        futures = [extractor.submit(item) for item in items]
        sent = [f.result(60) for f in futures]
        got = [extractor.result(f, item) for f, item in zip(futures, items, strict=True)]
    finally:
        extractor.close()
    for item, light, article in zip(items, sent, got, strict=True):
        # what crossed the process boundary: neither the page's bytes nor its decoded text
        assert light.item.raw == b"" and light.text == ""
        # what the batch gets: the article as prepared here, with the item it submitted
        assert article.item is item
        here = pipeline.prepare(item)
        # and the language step's answer, detected in the worker
        assert article.language == LanguageDetector().detect(here.body) is not None
        # the removed lines as the store keeps them, the named tuples left behind
        assert article.removed_json == here.removed_json
        assert article_row(article)["removed"] == article_row(here)["removed"]
        expected = replace(here, text="", removed_json=article.removed_json)
        assert replace(expected, language=article.language) == article
        assert article.body and article.words and article.encoding == "utf-8"
    # lines were sent as JSON: the cleaner's removed lines, each an object of its fields
    # (origins here are paths: the pipeline passes no URL)
    cleaned = [extract_html(item.raw.decode("utf-8")) for item in items]
    for item, page in zip(items, cleaned, strict=True):
        assert pipeline.prepare(item).removed_json == removed_json(page.removed)
    assert any(page.removed for page in cleaned)


def test_a_lone_text_file_needs_no_pool_and_a_backlog_starts_it(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    settings = load(make_config("[pipeline]\nworkers = 2\n"))
    inbox = tmp_path / "inbox"
    one = inbox / seeds[0].name
    shutil.copy2(seeds[0], one)
    service = Service.build(settings)
    try:
        assert service.process_file(one) == "new"
        assert not service.extractor.running  # nothing started for one text file
        pages = []
        for n, seed in enumerate(seeds[1:]):
            pages.append(inbox / f"{n}.html")
            pages[-1].write_bytes(_page(seed, n))
        assert service.ingest(pages) == {"new": len(pages)}
        assert service.extractor.running  # a run of pages: the workers extract them
        stored = service.store.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        service.close()
    assert stored == len(seeds)
