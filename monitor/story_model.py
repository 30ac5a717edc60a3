"""The story step's records: what a candidate story, a group of articles and a batch's plan
hold, and how a story's profile grows by one member.

Apart from stories.py (the grouping itself) so that module stays readable, and so the
store (`StoryRow`, `merge_profile`), the review and the merge can name these records
without the grouping's weights and bars.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Protocol

from monitor.crosslingual import ARABIC, CONCEPT, ENTITY, LATIN, NUMBER, main_kind, scripts
from monitor.event_numbers import main_ordinal
from monitor.models import Article, Item

PROFILE_TERMS = 100  # a story's profile keeps this many (about 2 KB of JSON)
PROFILE_CONCEPTS = 24  # and this many event concepts besides
# Candidate stories a look-up returns, most (rarest) shared keys first (the store's query, and the
# batch's own index over it, story_batch.py, cut at the same place).
CANDIDATE_STORIES = 16


class StoryIndex(Protocol):
    """The read-only lookups the story step needs (the store implements them)."""

    def document_frequencies(self, features: Iterable[str]) -> tuple[int, dict[str, int]]: ...

    def story_candidates(self, keys: Sequence[str], per_key: int) -> list[StoryRow]: ...

    def story_of(self, article_id: int) -> str | None: ...

    def find_by_body_hash(self, digest: str) -> int | None: ...


@dataclass(frozen=True)
class StoryRow:
    id: str
    profile: dict[str, float]
    date_lo: str | None
    date_hi: str | None
    undated_seen: str | None
    hits: float = 0.0  # the article's keys that found it, each 1/(stories it found)
    articles: int = 1  # members that are not copies: the profile sums their vectors
    # crosslingual.scripts(profile) when the reader knows it (the store keeps it with the
    # parsed profile); None: computed when first asked
    written: int | None = field(default=None, compare=False, repr=False)

    @cached_property
    def scripts(self) -> int:
        """The scripts its profile is written in (crosslingual.scripts), read once for all
        the groups and parts judged against it: a walk over every term of the profile,
        once the most costly part of judging a story."""
        return scripts(self.profile) if self.written is None else self.written


@dataclass(frozen=True)
class Group:
    """A group of articles as a candidate story sees it: what every candidate is judged
    on, computed once."""

    members: list[Features]
    entities: frozenset[str]
    dated: bool
    written: int  # the scripts of its words
    summed: dict[str, float]  # the sum of the members' vectors
    weekdays: int = 0  # the weekdays its undated members name (text_dates.py)
    days: int = 0  # the days of the month its undated members name (text_dates.py)
    # The earliest and latest day its members' texts say (Features.said), when every member
    # is undated and says one; else None.
    said: tuple[str, str] | None = None

    @cached_property
    def ordinal(self) -> str | None:
        """The ordinal the group is mainly about (event_numbers.main_ordinal), read once
        for all the candidates it is judged against; most reports name none."""
        summed: Counter[str] = Counter()
        for m in self.members:
            summed.update(m.numbers)
        return main_ordinal(summed)

    @cached_property
    def dated_span(self) -> tuple[str, str] | None:
        """The earliest and latest date of its dated members (None: none is dated), read
        once for all the candidates it is judged against."""
        dates = [m.date for m in self.members if m.date is not None]
        return (min(dates), max(dates)) if dates else None

    @cached_property
    def kind(self) -> tuple[str, str] | None:
        """Its main event concept and main name (crosslingual.main_kind), read once for
        all the candidates it is judged against."""
        return main_kind(self.summed)

    @cached_property
    def language_parts(self) -> tuple[Group, Group] | None:
        """Its Arabic members and its Latin-script members as groups of their own, built
        once for all the candidates it is judged against (SameEvent._by_parts); None
        unless each member is in one of the two scripts and both are there."""
        parts = [[m for m in self.members if m.scripts == s] for s in (ARABIC, LATIN)]
        if not all(parts) or sum(map(len, parts)) != len(self.members):
            return None
        return Group.of(parts[0]), Group.of(parts[1])

    @cached_property
    def first_undated(self) -> str | None:
        """The day its earliest undated member was first seen (None: all are dated): what
        the window rule reads of its undated members (SameEvent.in_window)."""
        return min((m.seen for m in self.members if m.date is None), default=None)

    @staticmethod
    def of(members: list[Features]) -> Group:
        written = weekdays = days = 0
        # The members' vectors summed in their order, as Counter.update would (the same
        # additions, so the same sums), without its call per member: a merge sums a
        # story's 20 latest members at each join.
        summed: dict[str, float] = dict(members[0].cut) if members else {}
        get = summed.get
        for m in members[1:]:
            for t, w in m.cut.items():
                summed[t] = get(t, 0.0) + w
        for m in members:
            written |= m.scripts
            weekdays |= m.weekdays
            days |= m.days
        said = [m.said for m in members]
        return Group(
            said=(min(said), max(said)) if all(said) else None,  # type: ignore[type-var]
            members=members,
            entities=frozenset().union(*(m.entities for m in members)),
            dated=any(m.date is not None for m in members),
            written=written,
            summed=summed,
            weekdays=weekdays,
            days=days,
        )


@dataclass(frozen=True)
class Features:
    cut: dict[str, float]  # the strongest TF-IDF terms (entities included), a unit vector
    entities: frozenset[str]
    vocabulary: tuple[str, ...]
    keys: tuple[str, ...]  # what finds (and later finds again) the article's story
    date: str | None
    seen: str
    scripts: int = 0  # the scripts of its words (monitor/crosslingual.py)
    weekdays: int = 0  # an undated report's weekdays named, a bit set (text_dates.py)
    days: int = 0  # an undated report's days of the month named, a bit set (text_dates.py)
    said: str | None = None  # an undated report's day as its text says it, read against arrival

    @cached_property
    def compared(self) -> dict[str, float]:
        """Its words and names, event concepts and numbers left out: what the cosines of a
        grouping read (story_linkage.py). Kept with the features, so a story's review does
        not pick them out of every member again (the review keeps its members' features)."""
        return {t: x for t, x in self.cut.items() if t[:1] != CONCEPT}

    @cached_property
    def names(self) -> dict[str, float]:
        """Its names' weights, picked out of `cut` once, as `compared`."""
        return {t: x for t, x in self.cut.items() if t.startswith(ENTITY)}

    @cached_property
    def numbers(self) -> dict[str, float]:
        """Its event numbers' features (event_numbers.py), picked out of `cut` once: every
        candidate story it is judged against, and every review, asks for them."""
        return {t: w for t, w in self.cut.items() if t.startswith(NUMBER)}


@dataclass
class Plan:
    """One batch's grouping: the articles that arrived together (a backlog found at
    start-up, a folder ingested, one poll of a feed), weighed and grouped before the
    first of them is stored. A stream article is a batch of one.

    Why a batch is grouped as a whole: an article grouped on arrival sees only what came
    before it, so the same reports grouped in another order give other stories, and in a
    young store nothing says which names are common. With the batch counted into the
    document frequencies and grouped by average linkage (the most similar pair of groups
    merged first, as in retrospective event detection, Yang et al. 1998), and each group
    matched against the stories stored before the batch, as they were then, the outcome
    does not depend on the order of the files.
    """

    features: dict[int, Features]  # by id(article.item): the item is the same at every step
    group: dict[int, int]
    members: dict[int, list[int]]  # group -> its articles, in arrival order
    cohesion: dict[int, float]  # an article's mean cosine with the rest of its group
    joins: dict[int, tuple[float, str] | None]  # group -> the stored story it joins, if any
    near: dict[int, tuple[str, ...]] = field(default_factory=dict)  # group -> other candidates
    story: dict[int, str] = field(default_factory=dict)  # group -> story begun in the batch
    items: list[Item] = field(default_factory=list)  # keeps the ids above valid
    # A batch placed report by report (story_batch.py): each one's score and the other
    # stories it was scored against; `local`: a story begun in the batch -> its group.
    scores: dict[int, float] = field(default_factory=dict)
    article_near: dict[int, tuple[str, ...]] = field(default_factory=dict)
    local: dict[str, int] = field(default_factory=dict)


def merge_profile(
    profile: dict[str, float], added: Iterable[tuple[str, float]]
) -> dict[str, float]:
    """A story's profile after one more member: the sum of member vectors, trimmed."""
    merged = dict(profile)
    for term, weight in added:
        merged[term] = merged.get(term, 0.0) + weight
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    # Event concepts (event_lexicon.py) keep places of their own: they are compared
    # across languages only, and must not push a story's words and names out.
    top = [kv for kv in ranked if kv[0][:1] != CONCEPT][:PROFILE_TERMS]
    top += [kv for kv in ranked if kv[0][:1] == CONCEPT][:PROFILE_CONCEPTS]
    return {t: round(w, 5) for t, w in top}


def widen_dates(
    lo: str | None, hi: str | None, undated: str | None, date: str | None, seen: str
) -> tuple[str | None, str | None, str | None]:
    """A story's published-date bounds and first undated arrival after one more member
    (published on `date`, or undated and seen at `seen`): the store and a batch's own
    index (story_batch.py) keep them the same way."""
    if date is not None:
        return min(lo or date, date), max(hi or date, date), undated
    return lo, hi, min(undated or seen, seen)


def label_of(article: Article, limit: int = 90) -> str:
    """The first article's title, else its first words: what a reader recognises."""
    text = " ".join((article.title or article.body).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def unit_vector(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def day_of(published: str | None) -> str | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).isoformat()
    except ValueError:
        return None  # an unparsable date is no date: fall back to first seen


def as_date(day: str) -> date:
    return date.fromisoformat(day)
