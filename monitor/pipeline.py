"""The ordered list of steps that turns an Item into an Article, written out in one place.

    source -> decode -> extract/clean -> language -> dedup -> tag -> story
                                                            (then: store -> alerts)

Each step takes an Article and returns a new one, or raises Rejected with a reason. Steps
never write anywhere: storing and alerting happen after the last step, in service.py, in
one transaction, so a step can be tested by calling it and a crash between steps leaves
nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from monitor.dedup import BandLookup, HashLookup, NearDuplicates, body_hash, shingles
from monitor.extract.clean import CleanText, clean_text
from monitor.extract.html import extract_html
from monitor.models import Article, EntityTag, Item, Rejected, TopicTag
from monitor.stories import Stories, StoryIndex
from monitor.tagging.terms import Document
from monitor.text.decode import decode
from monitor.text.language import LanguageDetector
from monitor.text.normalize import words

Step = Callable[[Article], Article]

# Fewer words than this is a navigation stub or an error page, not an article; a
# one-sentence news flash still has more.
MIN_WORDS = 5

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


class TopicTagger(Protocol):
    def tag(self, doc: Document) -> tuple[TopicTag, ...]: ...


class EntityTagger(Protocol):
    def tag(self, doc: Document) -> tuple[EntityTag, ...]: ...


@dataclass(frozen=True)
class Pipeline:
    steps: Sequence[tuple[str, Step]]
    pure: int = 0  # the first `pure` steps depend on the item alone (see prepare())
    # Loads what the steps load lazily (the language model), so the first article
    # dropped into a running daemon is not the slow one.
    warmers: Sequence[Callable[[], object]] = ()

    def warm_up(self) -> None:
        for warm in self.warmers:
            warm()

    def run(self, item: Item) -> Article:
        """Run every step in order; Rejected propagates with the step's name in front."""
        return self.finish(prepare(item))

    def finish(self, article: Article) -> Article:
        """The steps after the pure ones, on what prepare() returned."""
        return _run(self.steps[self.pure :], article)


def _run(steps: Sequence[tuple[str, Step]], article: Article) -> Article:
    for name, step in steps:
        try:
            article = step(article)
        except Rejected as exc:
            raise Rejected(f"{name}: {exc.reason}") from exc
    return article


def prepare(item: Item) -> Article:
    """The pure steps: CPU-bound, no store, no shared state, so they can run in a worker
    process (HTML extraction is the slow part of ingest). A module-level function so a
    process pool can pickle it."""
    return _run(PURE_STEPS, Article(item=item))


def build(
    *,
    find_by_hash: HashLookup,
    topics: TopicTagger,
    entities: EntityTagger,
    language: LanguageDetector,
    near: NearDuplicates | None = None,
    find_near: BandLookup | None = None,
    stories: Stories | None = None,
    story_index: StoryIndex | None = None,
) -> Pipeline:
    """The pipeline, wired with what its steps need from the outside. Without `near` and
    `find_near` only exact copies are found; without `stories` no story is assigned."""
    return Pipeline(
        steps=[
            *PURE_STEPS,  # decode, extract: may run in worker processes
            ("language", lambda a: replace(a, language=language.detect(a.body))),
            ("dedup", dedup_step(find_by_hash, near, find_near)),
            ("tag", tag_step(topics, entities)),
            *([("story", story_step(stories, story_index))] if stories and story_index else []),
        ],
        pure=len(PURE_STEPS),
        warmers=(lambda: language.detect("warm-up: the language model loads on first use"),),
    )


def is_html(item: Item) -> bool:
    """By declared kind, or by content: saved pages often lose their .html suffix."""
    return item.kind == "html" or bool(_HTML_START.match(item.raw[:4096]))


def decode_step(article: Article) -> Article:
    text, encoding = decode(article.item.raw)
    return replace(article, text=text, encoding=encoding)


def extract_step(article: Article) -> Article:
    cleaned: CleanText = (
        extract_html(article.item.raw, url=_url_of(article.item.origin))
        if is_html(article.item)
        else clean_text(article.text)
    )
    found = len(words(cleaned.body))
    if found < MIN_WORDS:
        raise Rejected(
            f"no article text: {found} words left after removing boilerplate "
            f"(an article has at least {MIN_WORDS})"
        )
    item = article.item
    return replace(
        article,
        # A feed states its entry's title, date and name; extraction only guesses them
        # (trafilatura falls back to the host name for a site name, cuts titles at dashes).
        title=item.title_hint or cleaned.title,
        published=item.published_hint or cleaned.published,
        source=item.source_hint or cleaned.source,
        body=cleaned.body,
        removed=cleaned.removed,
    )


def dedup_step(
    find_by_hash: HashLookup,
    near: NearDuplicates | None = None,
    find_near: BandLookup | None = None,
) -> Step:
    """An exact copy by its hash first (cheap, and certain); else a near-duplicate by
    MinHash bands, verified. The article's bands go with it, for the writer to store."""

    def step(article: Article) -> Article:
        digest = body_hash(article.body)
        article = replace(article, body_hash=digest)
        original = find_by_hash(digest)
        if original is not None:
            return replace(article, duplicate_of=original, similarity=1.0)
        if near is None or find_near is None:
            return article
        shingle_set = shingles(article.body)
        keys = near.band_keys(shingle_set)
        found = near.find(shingle_set, keys, find_near)
        if found is not None:
            return replace(article, duplicate_of=found[0], similarity=round(found[1], 4))
        return replace(article, bands=keys)

    return step


def tag_step(topics: TopicTagger, entities: EntityTagger) -> Step:
    def step(article: Article) -> Article:
        # Tokenised once for both taggers: the title is tagged with the body.
        doc = Document(f"{article.title or ''}\n{article.body}")
        return replace(article, topics=topics.tag(doc), entities=entities.tag(doc))

    return step


def story_step(stories: Stories, index: StoryIndex) -> Step:
    """After tagging: entities are one of the signals that group articles into stories."""

    def step(article: Article) -> Article:
        return replace(article, story_link=stories.assign(article, index))

    return step


PURE_STEPS: tuple[tuple[str, Step], ...] = (("decode", decode_step), ("extract", extract_step))


def _url_of(origin: str) -> str | None:
    return origin if origin.startswith(("http://", "https://")) else None
