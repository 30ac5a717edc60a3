"""Plain data passed between the sources, the pipeline steps, the store and the alerts.

Everything here is a frozen dataclass (RemovedLine a named tuple): a step returns a new
Article instead of changing the one it was given, so a step can be tested by calling it
and comparing values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import repeat
from typing import Literal, NamedTuple

Kind = Literal["text", "html"]


class Rejected(Exception):
    """An item the pipeline cannot turn into an article.

    Raised by a step with a reason a user can act on; the service records it as a failed
    outcome (with the raw input kept) and goes on with the next item.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Item:
    """What a source yields: the raw bytes and where they came from."""

    origin: str
    raw: bytes
    kind: Kind
    seen_at: datetime
    # What the source states (a feed entry's title, date and feed name): these win over
    # what extraction guesses from the page.
    title_hint: str | None = None
    published_hint: str | None = None  # ISO date
    source_hint: str | None = None
    # The stored article this origin became last time (the inbox ledger's), when its file
    # has changed since: the article this input may be a later version of (revisions.py).
    previous: int | None = None

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


class RemovedLine(NamedTuple):
    """A line the cleaner kept out of the body, and why, so users can audit the cut.

    A named tuple, not a frozen dataclass like the rest: a saved page has some 170
    removed lines, and the cleaner builds them in C (tuple.__new__), which cost a
    quarter of the dataclass's __init__ (issue 16). Immutable and compared by value all
    the same; store/columns.py reads its field names from `_fields`."""

    line: int  # 1-based line number in the decoded input
    text: str
    label: Literal["boilerplate", "metadata", "caption"]
    why: str


class RemovedColumns(NamedTuple):
    """A text's removed lines as four columns, one entry a line, in order: what the
    cleaner makes (extract/clean.py), read as `RemovedLine`s only where asked
    (CleanText.removed) and turned into the stored form straight from the columns.

    A saved page has some 160 removed lines; a named tuple each cost the cleaner some
    1.7 thousand instructions to build and as much again to free, and the store never
    wanted them: it keeps the JSON (issue 16)."""

    lines: tuple[int, ...] = ()  # RemovedLine.line of each, and so on
    texts: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    whys: tuple[str, ...] = ()

    def rows(self) -> tuple[RemovedLine, ...]:
        """The lines as RemovedLines (each built in C: tuple.__new__ over the columns)."""
        return tuple(map(tuple.__new__, repeat(RemovedLine), zip(*self, strict=True)))

    def json(self) -> str:
        """removed_json(self.rows()), the same string, without a named tuple a line."""
        line, text, label, why = RemovedLine._fields
        objects = [{line: a, text: b, label: c, why: d} for a, b, c, d in zip(*self, strict=True)]
        return json.dumps(objects, ensure_ascii=False)


def removed_json(lines: tuple[RemovedLine, ...]) -> str:
    """The removed lines as the store keeps them (the articles' `removed` column): a JSON
    list with an object per line, its fields in order. The format's definition line by
    line: the ingest makes the same string from the cleaner's columns
    (RemovedColumns.json, in the worker that cleaned the page, so the process that
    stores, the slower side of a backlog, neither unpickles some 160 named tuples an
    article nor encodes them: issue 19), and the tests hold the two equal."""
    fields = RemovedLine._fields
    return json.dumps([dict(zip(fields, line, strict=True)) for line in lines], ensure_ascii=False)


@dataclass(frozen=True)
class Match:
    """One rule term found in an article: the evidence behind a tag."""

    term: str
    count: int
    positions: tuple[int, ...]  # word numbers (0-based) in the title followed by the body


@dataclass(frozen=True)
class TopicTag:
    topic: str
    score: float
    matches: tuple[Match, ...]
    snippet: str


@dataclass(frozen=True)
class EntityTag:
    name: str  # canonical English name, as the export promises
    kind: str  # person, country, organisation, place
    mentions: tuple[str, ...]  # surface forms as found
    count: int
    # False: a name the gazetteer does not list, found by the words around it
    # (tagging/mentions.py); `name` is then its first surface form.
    linked: bool = True


@dataclass(frozen=True)
class StoryLink:
    """Which story an article joins (or starts), and what the writer stores for it.

    Built by the story step from read-only lookups; written by the service in the
    article's transaction, so the story index never runs ahead of or behind the articles.
    """

    story: str
    new: bool  # this article starts the story
    score: float  # similarity to the story it joined (1.0 for a story's first article)
    label: str
    date: str | None  # the article's published day, when known
    seen: str  # the day it was first seen
    terms: tuple[tuple[str, float], ...] = ()  # weighted terms, for the story's profile
    keys: tuple[str, ...] = ()  # what finds this story again (top terms and entities)
    vocabulary: tuple[str, ...] = ()  # every distinct term, for document frequencies
    # Other stories its group was also scored against, in the window and sharing a name:
    # the stories the joined one may be merged with (story_merge.py).
    near: tuple[str, ...] = ()


@dataclass(frozen=True)
class Revision:
    """This input is a later version of a stored article (its file's earlier version):
    it replaces that article, under the same id (revisions.py, store/revise.py)."""

    article_id: int
    original: bool  # the stored version is no copy: the new one stays an original
    story: str | None  # the stored version's story
    overlap: float  # shingles shared, over the smaller version's


@dataclass(frozen=True)
class Article:
    """What the pipeline builds from an Item, one step at a time."""

    item: Item
    text: str = ""  # decoded input, before cleaning
    encoding: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date
    source: str | None = None
    body: str = ""  # cleaned body
    # The body's normalised words, split once where the body is made (pipeline.
    # extract_step) and read by the length check, the hash, the shingles and the revision
    # check; empty when the article was made some other way (words_of() splits then).
    words: tuple[str, ...] = ()
    # normalize(body), made with `words` (in a worker for a page) and stored as the
    # articles' text_norm; empty when the article was made some other way (folded then).
    folded: str = ""
    language: str | None = None
    body_hash: str | None = None  # of `words`, set with them (dedup.body_hash)
    duplicate_of: int | None = None
    similarity: float | None = None  # to duplicate_of: 1.0 exact, else Jaccard or containment
    bands: tuple[int, ...] = ()  # MinHash LSH band keys, stored for later near-duplicates
    topics: tuple[TopicTag, ...] = ()
    entities: tuple[EntityTag, ...] = ()
    mentions: tuple[EntityTag, ...] = ()  # unlinked names (linked=False), stored beside
    story_link: StoryLink | None = None
    revision: Revision | None = None  # set when it replaces the article it revises
    # the removed lines as the store keeps them (a JSON list), made by the extract step
    # from the cleaner's columns (RemovedColumns.json): no named tuple a line travels or
    # is kept on the article (empty for an article made some other way: "[]" is stored).
    removed_json: str = ""

    @property
    def story(self) -> str | None:
        """The story's id, from the link the story step made (None before that step)."""
        return self.story_link.story if self.story_link else None


@dataclass(frozen=True)
class Alert:
    rule: str
    article_id: int
    at: str  # ISO timestamp, UTC
    payload: dict[str, object] = field(default_factory=dict)
