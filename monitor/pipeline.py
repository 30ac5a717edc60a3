"""The ordered list of steps that turns an Item into an Article, written out in one place.

    source -> decode -> extract/clean -> language -> tag  |  revision -> dedup -> story
              (read nothing stored: run ahead)              (read the store: in order)
                                                            (then: store -> alerts)

Each step takes an Article and returns a new one, or raises Rejected with a reason. Steps
never write anywhere: storing and alerting happen after the last step, in outcomes.py, in
one transaction, so a step can be tested by calling it and a crash between steps leaves
nothing half-written.

The steps fall in two groups, and that is why tagging comes before the copy check:
- the steps that read nothing stored run ahead of the store, for a whole batch of inputs
  (decode and extract even in worker processes);
- the steps that read the store run one article at a time in arrival order, each
  article stored before the next runs, because the next one may be its copy. They see
  their batch first (BatchStep): the story step weighs and groups the batch's tagged
  articles together before placing the first (stories.Plan). A copy is tagged like any
  article (the tags are shown with it), so nothing is lost by tagging before the check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from monitor.dedup import (
    BandLookup,
    HashLookup,
    NearDuplicates,
    hash_of,
    hash_words,
    shingles_of,
    words_of,
)
from monitor.models import Article, EntityTag, Item, Rejected, TopicTag
from monitor.text.normalize import normalize, words

if TYPE_CHECKING:
    from monitor.extract.clean import CleanText
    from monitor.revisions import StoredLookup
    from monitor.stories import Stories, StoryIndex
    from monitor.tagging.terms import Document
    from monitor.text.language import LanguageDetector

# The steps that read the store (revisions, stories, the taggers' Document) are imported
# where they are built, not here: the worker processes import this module for prepare()
# alone, and the worker pool's forkserver holds what it imports in every worker it forks
# (docs/benchmarks.md, issue 19's memory bound).

Step = Callable[[Article], Article]
# A step that reads the store: given its batch first, then run on each article of it in
# order (the story step groups the batch; the copy check ignores it).
BatchStep = Callable[[Sequence[Article]], Step]

# Fewer words than this is a navigation stub or an error page, not an article; a
# one-sentence news flash still has more.
MIN_WORDS = 5

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


class TopicTagger(Protocol):
    def tag(self, doc: Document) -> tuple[TopicTag, ...]: ...


class EntityTagger(Protocol):
    def tag(self, doc: Document) -> tuple[EntityTag, ...]: ...

    def unlinked(self, doc: Document, linked: tuple[EntityTag, ...]) -> tuple[EntityTag, ...]: ...


@dataclass(frozen=True)
class Pipeline:
    ahead: Sequence[tuple[str, Step]]  # read nothing stored
    in_order: Sequence[tuple[str, BatchStep]]  # read the store
    pure: int = 0  # the first `pure` steps of `ahead` depend on the item alone (prepare())
    # Loads what the steps load lazily (the language model), so the first article
    # dropped into a running daemon is not the slow one.
    warmers: Sequence[Callable[[], object]] = ()

    def warm_up(self) -> None:
        for warm in self.warmers:
            warm()

    def run(self, item: Item) -> Article:
        """Every step in order, the item a batch of its own; Rejected propagates with the
        step's name in front."""
        article = self.run_ahead(prepare(item))
        return self.batch([article])(article)

    def run_ahead(self, article: Article) -> Article:
        """The steps ahead of the store after the pure ones, on what prepare() returned."""
        return _run(self.ahead[self.pure :], article)

    def batch(self, articles: Sequence[Article]) -> Step:
        """The in-order steps, set up for this batch (what run_ahead returned for each).
        Call the result on each article of the batch in order, and store each before the
        next: the next one's copy check reads the store."""
        steps = [(name, make(articles)) for name, make in self.in_order]
        return lambda article: _run(steps, article)


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
    find_stored: StoredLookup | None = None,
) -> Pipeline:
    """The pipeline, wired with what its steps need from the outside. Without `near` and
    `find_near` only exact copies are found; without `stories` no story is assigned;
    without `find_stored` a changed file is never a revision of its stored article."""
    from monitor.revisions import revision_step
    from monitor.tagging.terms import Document

    return Pipeline(
        ahead=[
            *PURE_STEPS,  # decode, extract: may run in worker processes
            # Detected already when a worker extracted it (workers.py: off this process,
            # the bottleneck of a backlog); the same model on the same body.
            (
                "language",
                lambda a: a if a.language else replace(a, language=language.detect(a.body)),
            ),
            ("tag", tag_step(topics, entities)),
        ],
        in_order=[
            *([("revision", each(revision_step(find_stored)))] if find_stored else []),
            ("dedup", each(dedup_step(find_by_hash, near, find_near))),
            *([("story", story_step(stories, story_index))] if stories and story_index else []),
        ],
        pure=len(PURE_STEPS),
        warmers=(
            lambda: language.detect("warm-up: the language model loads on first use"),
            # the compiled vocabularies, read from their cache or compiled (tagging/compiled.py)
            lambda: (topics.warm_up(), entities.warm_up()),  # as dicts (sorted_table.py)
            lambda: (topics.tag(Document("warm-up")), entities.tag(Document("warm-up"))),
            *([stories.background.warm_up] if stories and stories.background else []),
            *([near.warm_up] if near is not None else []),  # the MinHash permutations
        ),
    )


def each(step: Step) -> BatchStep:
    """A store-reading step that needs nothing from its batch."""

    def for_batch(_articles: Sequence[Article]) -> Step:
        return step

    return for_batch


def is_html(item: Item) -> bool:
    """By declared kind, or by content: saved pages often lose their .html suffix."""
    return item.kind == "html" or bool(_HTML_START.match(item.raw[:4096]))


def decode_step(article: Article) -> Article:
    # Imported on the first input, as the cleaner below: with ftfy, charset_normalizer and
    # the cleaner's numpy they are a fifth of a second that `monitor run` need not spend
    # before it watches its inbox.
    from monitor.text.decode import decode

    text, encoding = decode(article.item.raw)
    return replace(article, text=text, encoding=encoding)


def extract_step(article: Article) -> Article:
    if is_html(article.item):
        # Imported here: trafilatura and lxml take a fifth of a second to import, which a
        # process that only sees text (or hands pages to its workers) never pays.
        from monitor.extract.html import extract_html

        # The text decode_step made, not the bytes: trafilatura would decode them again
        # (same F1 on the aeb pages, 0.7 ms less a page).
        page = article.text or article.item.raw
        cleaned: CleanText = extract_html(page, url=_url_of(article.item.origin))
    else:
        from monitor.extract.clean import clean_text

        cleaned = clean_text(article.text)
    # Split once, here, and carried on: the length check, the copy check's hash and
    # shingles and the revision check all read these words (the hash is taken with them).
    # The folded body too: the store keeps it (text_norm), and folding it again there
    # cost the main process a full pass over a body a worker had folded already.
    folded = normalize(cleaned.body)
    body_words = tuple(words(cleaned.body))  # of `folded`: normalize() keeps the last few
    found = len(body_words)
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
        words=body_words,
        folded=folded,
        body_hash=hash_words(body_words),
        # the removed lines as the store keeps them, made from the cleaner's columns (no
        # named tuple a line: models.RemovedColumns)
        removed_json=cleaned.removed_columns.json(),
    )


def dedup_step(
    find_by_hash: HashLookup,
    near: NearDuplicates | None = None,
    find_near: BandLookup | None = None,
) -> Step:
    """An exact copy by its hash first (cheap, and certain); else a near-duplicate by
    MinHash bands, verified. The article's bands go with it, for the writer to store.

    A revision (revisions.py) is never a copy of the article it replaces. A revision of
    an original stays an original without a look: its copies point to it and its alerts
    went out as an original's. A revision of a copy is checked again, itself left out."""

    def step(article: Article) -> Article:
        digest = hash_of(article)
        article = replace(article, body_hash=digest)
        revision = article.revision
        if revision is not None and revision.original:
            keys = near.band_keys(shingles_of(words_of(article))) if near is not None else ()
            return replace(article, bands=keys)
        original = find_by_hash(digest)
        if original is not None and (revision is None or original != revision.article_id):
            return replace(article, duplicate_of=original, similarity=1.0)
        if near is None or find_near is None:
            return article
        shingle_set = shingles_of(words_of(article))
        keys = near.band_keys(shingle_set)
        # (A copy has no bands, so the revised copy is never among the candidates.)
        found = near.find(shingle_set, keys, find_near)
        if found is not None:
            return replace(article, duplicate_of=found[0], similarity=round(found[1], 4))
        return replace(article, bands=keys)

    return step


def tag_step(topics: TopicTagger, entities: EntityTagger) -> Step:
    from monitor.tagging.terms import Document

    def step(article: Article) -> Article:
        # Tokenised once for both taggers: the title is tagged with the body.
        doc = Document(f"{article.title or ''}\n{article.body}")
        linked = entities.tag(doc)
        return replace(
            article,
            topics=topics.tag(doc),
            entities=linked,
            mentions=entities.unlinked(doc, linked),
        )

    return step


def story_step(stories: Stories, index: StoryIndex) -> BatchStep:
    """After tagging: entities are one of the signals that group articles into stories.
    The batch is weighed and grouped before its first article is placed (stories.Plan)."""

    def for_batch(articles: Sequence[Article]) -> Step:
        plan = stories.plan(articles, index)

        def step(article: Article) -> Article:
            return replace(article, story_link=stories.assign(article, index, plan))

        return step

    return for_batch


PURE_STEPS: tuple[tuple[str, Step], ...] = (("decode", decode_step), ("extract", extract_step))


def _url_of(origin: str) -> str | None:
    return origin if origin.startswith(("http://", "https://")) else None
