"""Stories: articles that report the same event, grouped so an event alerts once.

Three signals decide, because no one of them is enough (NOTES.md): two visits a year apart
have the same actors and much the same words, and one event is told in different words by
each outlet.

- Time: an article joins only a story with a member within `window_days` of it. An
  article's day is its published date; without one, all we know is that it was published
  on or before the day we first saw it, so it may join an older story (a file dropped
  today about last year's summit) but not one that began after it.
- Content: the mean cosine between the article's TF-IDF vector and each member's (each
  member kept as its strongest terms, made a unit vector again; the story's profile is
  their sum, so the mean is one dot product over the member count). At least
  `similarity`; or the lower `dated_similarity` when the article and the story both have
  published dates, in the window: time is then evidence of its own. An undated article
  has only words to go on, and undated reports are what joins look-alike events a year
  apart (python -m monitor.evaluate_stories). The mean (average linkage), not the cosine
  with the profile (the centroid): a centroid drifts as a story grows and draws in the
  next event with the same actors; at equal precision the mean keeps more of each event
  together on tests/data/stories (README).
  Terms are normalised words without the Arabic article and function words; IDF comes
  from document frequencies kept in the store, so words every article uses (the country
  names of a beat) weigh little and the telling ones (a place, a date, a minister) weigh
  much.
- Entities: the tagger's canonical names enter the vector as features of their own, with
  extra weight, so an Arabic and a transliterated spelling meet; and when both sides name
  people or places, they must share at least one.

Candidate stories come from an indexed key table (the article's top terms and entities),
most recent first per key, so assignment costs a few index reads, not a scan of the window.
A small hand-written vector suits: scikit-learn's TfidfVectorizer needs the whole corpus
in memory to fit, and ours grows one article at a time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from monitor.models import Article, StoryLink
from monitor.text.normalize import words

ARTICLE_TERMS = 60  # an article's strongest terms, added to its story's profile
PROFILE_TERMS = 100  # a story's profile keeps this many (about 2 KB of JSON)
# What finds (and later finds again) an article's story: its most telling terms by TF-IDF,
# its most repeated ones (the subject, which the telling ones of another report may miss),
# and its entities.
KEY_TERMS = 16
KEY_FREQUENT = 8
# A named person or place says more about the event than a word, and names are the same
# in Arabic and English reports; 4 was chosen on tests/data/stories/dev.jsonl (README).
ENTITY_WEIGHT = 4.0
ENTITY = "@"  # prefix of entity features in vectors and keys
CANDIDATES = 8  # stories scored per article
PER_KEY = 40  # most recent stories read per key

# Function words in normalised form (alef, ya and ta marbuta folded): at the start of a
# store, before IDF has data, they would otherwise dominate every vector.
_FUNCTION_WORDS = """
    في من الي علي عن مع ان او ثم بعد قبل حتي منذ خلال بين عند لدي لكن كما اذا اذ لم لن
    قد لا ما هل هذا هذه ذلك تلك هولاء الذي التي الذين اللذين كان كانت يكون تكون كل بعض
    غير اي وقد وان وكان وهو وهي هو هي هم هما نحن انه انها لها له لهم به بها بهم فيه فيها
    عليه عليها منه منها اليه ايضا حيث وفي ومن وعلي وقال قال قالت وقالت يوم امس اليوم عام
    the a an and or of to in on at by for with from as is are was were be been has have had
    that this these those it its he she they we you not but if than then so said says will
    would can could may about after before over into also more most other which who whom
"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split())
_ARTICLE = re.compile("^(?:[وف]?(?:ال|لل|بال|كال))(?=[\u0621-\u064a]{3})")


def terms(text: str) -> Counter[str]:
    """Content terms: normalised words, the Arabic article cut (العقوبات and عقوبات meet),
    function words and one-letter tokens dropped. Only the article is cut, never single
    letters that may be clitics: بوتين must stay بوتين (NOTES.md)."""
    out: Counter[str] = Counter()
    for word, n in Counter(words(text)).items():  # each distinct word once
        term = _content_term(word)
        if term is not None:
            out[term] += n
    return out


@lru_cache(maxsize=200_000)
def _content_term(word: str) -> str | None:
    if word in STOPWORDS:
        return None
    word = _ARTICLE.sub("", word)
    if len(word) < 2 or word in STOPWORDS or (word.isdigit() and len(word) != 4):
        return None  # a four-digit number is usually a year: it tells events apart
    return word


class StoryIndex(Protocol):
    """The read-only lookups the story step needs (the store implements them)."""

    def document_frequencies(self, features: Iterable[str]) -> tuple[int, dict[str, int]]: ...

    def story_candidates(self, keys: Sequence[str], per_key: int) -> list[StoryRow]: ...

    def story_of(self, article_id: int) -> str | None: ...


@dataclass(frozen=True)
class StoryRow:
    id: str
    profile: dict[str, float]
    date_lo: str | None
    date_hi: str | None
    undated_seen: str | None
    hits: int = 0  # how many of the article's keys found it
    articles: int = 1  # members that are not copies: the profile sums their vectors


@dataclass(frozen=True)
class Features:
    vector: dict[str, float]  # L2-normalised TF-IDF, entities included
    counts: Counter[str]
    entities: frozenset[str]
    vocabulary: tuple[str, ...]
    date: str | None
    seen: str


class Stories:
    def __init__(
        self, window_days: float, similarity: float, dated_similarity: float | None = None
    ) -> None:
        self.window = timedelta(days=window_days)
        self.similarity = similarity
        self.dated_similarity = similarity if dated_similarity is None else dated_similarity

    def features(self, article: Article, index: StoryIndex) -> Features:
        counts = terms(f"{article.title or ''}\n{article.body}")
        for entity in article.entities:
            counts[ENTITY + entity.name] += max(1, entity.count)
        total, df = index.document_frequencies(counts)
        vector: dict[str, float] = {}
        for term, n in counts.items():
            # Smoothed IDF as scikit-learn computes it; sublinear TF so a name repeated
            # twenty times does not drown the rest.
            weight = (1 + math.log(n)) * (math.log((total + 1) / (df.get(term, 0) + 1)) + 1)
            vector[term] = weight * (ENTITY_WEIGHT if term.startswith(ENTITY) else 1.0)
        return Features(
            vector=_unit(vector),
            counts=counts,
            entities=frozenset(t for t in counts if t.startswith(ENTITY)),
            vocabulary=tuple(sorted(counts)),
            date=_day(article.published),
            seen=article.item.seen_at.date().isoformat(),
        )

    def assign(self, article: Article, index: StoryIndex) -> StoryLink:
        """The story this article joins, or a new one it starts."""
        f = self.features(article, index)
        top = sorted(f.vector.items(), key=lambda kv: (-kv[1], kv[0]))
        words_only = [t for t, _ in top if not t.startswith(ENTITY)]
        frequent = sorted(words_only, key=lambda t: (-f.counts[t], t))[:KEY_FREQUENT]
        keys = tuple(dict.fromkeys([*words_only[:KEY_TERMS], *frequent, *sorted(f.entities)]))
        # What the story keeps of this member: its strongest terms, made a unit vector
        # again, so the profile (their sum) over the member count is a mean of cosines.
        cut = _unit(dict(top[:ARTICLE_TERMS]))  # keeps top's order: strongest first
        stored = tuple((t, round(w, 5)) for t, w in cut.items())
        if article.duplicate_of is not None:
            original = index.story_of(article.duplicate_of)
            if original is not None:  # a copy joins its original's story, whatever it says
                return self._link(article, f, original, False, 1.0, stored, keys)
        best: tuple[float, str] | None = None
        for row in index.story_candidates(keys, PER_KEY)[:CANDIDATES]:
            if not self.in_window(f.date, f.seen, row):
                continue
            if f.entities and not _shares_entity(f.entities, row.profile):
                continue
            score = _mean_cosine(f.vector, row.profile, row.articles)
            dated = f.date is not None and row.date_lo is not None  # and in the window
            need = self.dated_similarity if dated else self.similarity
            if score >= need and (best is None or score > best[0]):
                best = (score, row.id)
        if best is not None:
            return self._link(article, f, best[1], False, best[0], stored, keys)
        story = f"{f.date or f.seen}-{(article.body_hash or article.item.sha256)[:8]}"
        return self._link(article, f, story, True, 1.0, stored, keys)

    def in_window(self, day: str | None, seen: str, row: StoryRow) -> bool:
        """Could this article and some member of the story be within the window?"""
        if day is None:
            # Published on or before `seen`: compatible unless the story began after it.
            return row.date_lo is None or _d(seen) >= _d(row.date_lo) - self.window
        d = _d(day)
        if row.undated_seen is not None and d > _d(row.undated_seen) + self.window:
            return False  # those members were out before `undated_seen`
        if row.date_lo is None or row.date_hi is None:
            return True
        return _d(row.date_lo) - self.window <= d <= _d(row.date_hi) + self.window

    @staticmethod
    def _link(
        article: Article,
        f: Features,
        story: str,
        new: bool,
        score: float,
        stored: tuple[tuple[str, float], ...],
        keys: tuple[str, ...],
    ) -> StoryLink:
        return StoryLink(
            story=story,
            new=new,
            score=round(score, 4),
            label=label_of(article),
            date=f.date,
            seen=f.seen,
            terms=stored,
            keys=keys,
            vocabulary=f.vocabulary,
        )


def merge_profile(
    profile: dict[str, float], added: Iterable[tuple[str, float]]
) -> dict[str, float]:
    """A story's profile after one more member: the sum of member vectors, trimmed."""
    merged = dict(profile)
    for term, weight in added:
        merged[term] = merged.get(term, 0.0) + weight
    top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_TERMS]
    return {t: round(w, 5) for t, w in top}


def label_of(article: Article, limit: int = 90) -> str:
    """The first article's title, else its first words: what a reader recognises."""
    text = " ".join((article.title or article.body).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _shares_entity(entities: frozenset[str], profile: dict[str, float]) -> bool:
    theirs = [t for t in profile if t.startswith(ENTITY)]
    return not theirs or any(t in entities for t in theirs)


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _mean_cosine(unit: dict[str, float], profile: dict[str, float], members: int) -> float:
    """The article's mean cosine with the members: each member enters the profile as a
    unit vector (its strongest terms, normalised again), so the dot product with their
    sum, over their number, is the mean of the cosines with each. (The profile keeps its
    strongest terms only, which lowers the mean of a large story a little: about 0.02 at
    15 members.)"""
    if members < 1:
        return 0.0
    return sum(w * profile.get(t, 0.0) for t, w in unit.items()) / members


def _day(published: str | None) -> str | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).isoformat()
    except ValueError:
        return None  # an unparsable date is no date: fall back to first seen


def _d(day: str) -> date:
    return date.fromisoformat(day)
