"""The pipeline's steps, called directly with real inputs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor import pipeline
from monitor.models import Article, Item, Rejected


def item(raw: bytes, kind: str = "text", origin: str = "/in/x") -> Item:
    return Item(origin=origin, raw=raw, kind=kind, seen_at=datetime.now(UTC))  # type: ignore[arg-type]


def run_until(article: Article, *steps: pipeline.Step) -> Article:
    for step in steps:
        article = step(article)
    return article


PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Talks resume | World</title>
<meta property="og:site_name" content="Example News"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume</h1>
<p>Negotiators from both countries met in Geneva on Monday to resume talks on the disputed
shipments, officials said, after a pause of several months.</p>
<p>The delegations agreed to meet again next week, according to a joint statement released
after the meeting ended late in the evening.</p></article>
<footer>All rights reserved</footer></body></html>"""


def test_html_goes_through_trafilatura_with_its_metadata() -> None:
    a = run_until(Article(item=item(PAGE, "html")), pipeline.decode_step, pipeline.extract_step)
    assert a.title == "Talks resume"
    assert a.source == "Example News"
    assert "Negotiators" in a.body and "joint statement" in a.body
    assert "Home" not in a.body and "rights reserved" not in a.body


def test_html_is_recognised_by_content_whatever_the_suffix() -> None:
    assert pipeline.is_html(item(b"  <!doctype html><html><body>x</body></html>"))
    assert pipeline.is_html(item(b"<!-- saved --><html>"))
    assert not pipeline.is_html(item("قال <b> المتحدث".encode()))


def test_a_page_without_text_is_rejected_with_the_reason() -> None:
    empty_page = b"<html><body><nav>Home</nav></body></html>"
    with pytest.raises(Rejected, match="no article text"):
        run_until(
            Article(item=item(empty_page, "html")), pipeline.decode_step, pipeline.extract_step
        )


def test_dedup_finds_the_same_words_in_other_clothes() -> None:
    seen: dict[str, int] = {}
    step = pipeline.dedup_step(seen.get)
    first = step(Article(item=item(b""), body="قالت الوزارة، إنّ المحادثات ستستمر."))
    seen[first.body_hash or ""] = 7
    second = step(Article(item=item(b""), body="قالت الوزارة  ان المحادثات\nستستمر"))
    third = step(Article(item=item(b""), body="قالت الوزارة إن المفاوضات ستستمر"))
    assert first.duplicate_of is None
    assert second.duplicate_of == 7
    assert third.duplicate_of is None


def test_a_failing_step_is_named_in_the_reason() -> None:
    p = pipeline.Pipeline(ahead=[("decode", pipeline.decode_step)], in_order=[])
    with pytest.raises(Rejected, match=r"^decode: empty file"):
        p.run(item(b""))
