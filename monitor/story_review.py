"""Story review: after an article joins a story, its members are grouped again as a batch
would group them, and a story that turns out to hold two events is split.

Why (issue 18): one report at a time, each report sees only the reports before it, and two
reports that share every actor (Kim's 2023 visit to Russia, Putin's 2024 visit to
Pyongyang) look alike until enough reports of both are in. Measured on the seeds: no
similarity bar separates the two visits pair by pair, yet the batch grouping of all five
reports, with their own document frequencies, comes out right in every order. So the
stream does what the batch does, again, each time a story grows: it groups the story's
latest members (at most `cap`) with the batch's average linkage (Stories._average_linkage,
the same rules of time, names and bars, so the stream and the batch share one notion of
"same event"), weighed with the store's document frequencies as they are now. The group
that holds the story's earliest article keeps the story; each other group becomes a story
of its own, its members (and their copies) moved there, and raises ONE `new_story` alert
per rule (its earliest member the rule matches), with the reason "split from story X: a
separate event". An update alert never stands in for the missed new story.

Nothing new is stored for this: each member's terms are computed again from its stored
title, text and entities (a few hundred words each), which also weighs them with today's
frequencies rather than those of the day each arrived. The review runs inside the
article's write transaction (outcomes.Writer), so the store never shows a half-split story.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from monitor.crosslingual import content_dot, scripts
from monitor.models import Article, EntityTag, Item, Match, StoryLink, TopicTag
from monitor.store.db import Store
from monitor.stories import ENTITY, Stories
from monitor.story_model import Features, day_of, label_of, merge_profile

# The latest members a review groups: a story's reports of the last days are what a new
# event hides among; a cap keeps a long-running story's review cheap (docs/benchmarks.md:
# a join into a story of 21-30 reports, review and merge, about 6.7 M instructions).
REVIEW_CAP = 20
# The fewest members a group needs to be split off. One report that no longer fits its
# story is more often one event told differently (another language, another angle) than
# an event of its own: on the real set's dev split every such single report split off was
# of the event it left (8 of 8, docs/stories.md); two reports that agree with each other
# and not with the rest were another event.
MIN_SPLIT = 2
# A story of up to this many reports is reviewed each time one joins; a larger one each
# time it has grown by a fifth of this (a story of 20, every 4th report; of 50, every 10th).
# A new event hidden in a long story is then split off a few reports later, and the
# review of an article that joins a large story costs a fraction of one on average
# (docs/benchmarks.md: within twice the copy check and assignment alone).
REVIEW_EVERY = 10
WEIGHED_CACHED = 1024
# A member weighed in an earlier review is weighed again once the store has grown by this
# share since (the IDF of a term moves by about log(1.1) = 0.1 against 5 to 12).
REWEIGH_GROWTH = 0.1

# A story's latest originals: ids first, so members weighed before are not read again
# (their text and tags are most of a review's reading).
_MEMBERS = (
    "SELECT id, origin, body_hash FROM articles WHERE story = ? AND duplicate_of IS NULL "
    "ORDER BY id DESC LIMIT ?"
)
_ARTICLE = (
    "SELECT id, origin, title, text, published, seen_at, language, source, body_hash, "
    "entity_mentions, evidence FROM articles WHERE id IN ({})"
)


@dataclass(frozen=True)
class Split:
    """A group the review took out of a story: a separate event, now a story of its own."""

    story: str  # the new story's id
    parent: str  # the story it was split from
    members: tuple[Article, ...]  # as stored, earliest first; their story is `story`
    ids: tuple[int, ...]  # their article ids, in the same order


class StoryReview:
    def __init__(
        self,
        stories: Stories,
        cap: int = REVIEW_CAP,
        *,
        merge: bool = True,
        merge_both_ways: bool = False,
    ) -> None:
        self.stories = stories
        self.cap = cap
        self.merge = merge  # also join a story with the one it would join (story_merge.py)
        # ... or one that would join it, asked of a new story too (story_merge.py)
        self.merge_both_ways = merge and merge_both_ways
        # Stories merged away, to the story that took them: the rest of a batch was
        # assigned to groups before the first was stored, and may still name one.
        self.merged: OrderedDict[str, str] = OrderedDict()
        # The story last reviewed and its members as weighed: the merge that follows in
        # the same transaction (when nothing was split) need not read them again.
        self.last: tuple[str, list[Features]] | None = None
        # Members as last weighed, by (article id, body hash), with the store's document
        # count then (see _features). About 10 KB each: 1,024 of them is 10 MB at most.
        self._weighed: OrderedDict[tuple[int, str], tuple[int, Features]] = OrderedDict()

    def remember(self, store: Store, article_id: int, article: Article) -> None:
        """The article just stored, as the story step weighed it (its link holds its
        strongest terms, keys and vocabulary): its review need not read and weigh it
        again, which would be half the review's cost."""
        link = article.story_link
        if link is None:
            return
        total, _ = store.document_frequencies(())
        cut = dict(link.terms)
        self._cache(
            (article_id, article.body_hash or ""),
            total,
            Features(
                cut=cut,
                entities=frozenset(t for t in link.vocabulary if t.startswith(ENTITY)),
                vocabulary=link.vocabulary,
                keys=link.keys,
                date=link.date,
                seen=link.seen,
                scripts=scripts(cut),
            ),
        )

    def _cache(self, key: tuple[int, str], total: int, features: Features) -> None:
        self._weighed[key] = (total, features)
        self._weighed.move_to_end(key)
        if len(self._weighed) > WEIGHED_CACHED:
            self._weighed.popitem(last=False)

    def review(self, store: Store, story: str) -> list[Split]:
        """Group the story's latest members as one batch; move every group but the one
        with its earliest article into a story of its own. The caller holds the write
        transaction. Returns the new stories (none when the story is one event)."""
        self.last = None
        (originals,) = store.db.execute(
            "SELECT articles FROM stories WHERE id = ?", [story]
        ).fetchone() or (0,)
        if originals < 2 * MIN_SPLIT:
            return []  # both sides of a split need MIN_SPLIT reports
        if not due(originals):
            return []
        rows, features = self.members(store, story)
        self.last = (story, features)
        # Grouped in an order of their own, as a batch is (Stories.plan): ties fall the
        # same way whatever the arrival order.
        order = sorted(range(len(rows)), key=lambda i: (rows[i][2] or "", rows[i][1]))
        labels, _ = self.stories._average_linkage([features[i] for i in order])
        group_of = {order[p]: order[labels[p]] for p in range(len(order))}
        groups: dict[int, list[int]] = {}
        for i in range(len(rows)):  # earliest first
            groups.setdefault(group_of[i], []).append(i)
        keeper = group_of[0]
        if len(groups) == 1 or len(groups[keeper]) < MIN_SPLIT:
            # A story's first report that the later ones do not match is no more an
            # event of its own than a later report that matches none: both sides of a
            # split are groups of two or more.
            return []
        splits = []
        kept = list(groups[keeper])
        written = _scripts(features, kept)
        for g, members in groups.items():
            if g == keeper:
                continue
            theirs = _scripts(features, members)
            if (
                len(members) < MIN_SPLIT
                or not written & theirs
                or not self._apart(features, groups[keeper], members, written & theirs)
            ):
                # Too small to be an event of its own; or told only in a language the
                # rest is not (the stream joined those on names alone, which a group of
                # one language cannot outweigh: crosslingual.py); or alike enough to the
                # rest in the language they share.
                kept += members
                continue
            first = features[members[0]]
            new_id = _free_id(
                store, f"{first.date or first.seen}-{(rows[members[0]][2] or '')[:8]}"
            )
            ids = tuple(int(rows[i][0]) for i in members)
            loaded = _articles(store, ids)
            moved = [loaded[i] for i in ids]
            self._move(store, story, new_id, ids, [features[i] for i in members], moved[0])
            linked = tuple(_with_story(a, new_id) for a in moved)
            splits.append(Split(story=new_id, parent=story, members=linked, ids=ids))
        if not splits:
            return []
        _rebuild(store, story, [features[i] for i in kept], complete=len(rows) < self.cap)
        return splits

    def _apart(
        self, features: list[Features], kept: list[int], members: list[int], common: int
    ) -> bool:
        """Are the group's reports in a shared script, on average, too unlike the rest's
        to join them (the bar a report and a story meet)? The grouping compares mixed
        groups on all their members, and an Arabic and an English report share only
        names (a cosine of about 0.4 for one event): a group that took in reports of the
        other language can fall under the bar with the rest of its own event. Measured on
        the written sets, such splits were mostly wrong (docs/stories.md)."""
        ours = [features[i] for i in kept if features[i].scripts & common]
        theirs = [features[j] for j in members if features[j].scripts & common]
        if not ours or not theirs:
            return True
        mean = sum(content_dot(a.cut, b.cut) for a in ours for b in theirs) / (
            len(ours) * len(theirs)
        )
        dated = any(f.date for f in ours) and any(f.date for f in theirs)
        return mean < (self.stories.dated_similarity if dated else self.stories.similarity)

    def members(self, store: Store, story: str) -> tuple[list[tuple[Any, ...]], list[Features]]:
        """The story's latest `cap` originals, earliest first: (id, origin, body hash)
        and as the story step weighs them (see _features)."""
        rows = store.db.execute(_MEMBERS, [story, self.cap]).fetchall()
        rows.reverse()
        return rows, self._features(rows, store)

    def _features(self, rows: list[tuple[Any, ...]], store: Store) -> list[Features]:
        """The members as the story step weighs them, against the store's frequencies now
        (they are stored, so they are counted there already). A member weighed in an
        earlier review is taken as it was while the store has grown by less than
        REWEIGH_GROWTH since: a stream reviews the same stories again and again, and
        weighing is most of a review's cost; in a young store (the seeds, a new beat)
        every review weighs again, which is when the frequencies change what is alike.
        Only the members weighed again are read in full."""
        s = self.stories
        total, _ = store.document_frequencies(())
        total = max(total, len(rows))
        out: list[Features | None] = []
        for i, _origin, digest in rows:
            hit = self._weighed.get((i, digest or ""))
            fresh = hit is not None and abs(total - hit[0]) <= REWEIGH_GROWTH * hit[0]
            out.append(hit[1] if fresh and hit is not None else None)
        todo = [k for k, f in enumerate(out) if f is None]
        if todo:
            articles = _articles(store, [int(rows[k][0]) for k in todo])
            counts = {k: s.weights.counts(articles[rows[k][0]]) for k in todo}
            wanted = {t for c in counts.values() for t in c}
            known, df = store.document_frequencies(wanted)
            weighed: tuple[float, dict[str, Any]] = (max(known, len(rows)), df)
            if s.background is not None:
                weighed = s.weights.with_background(weighed[0], df, wanted)
            for k in todo:
                f = s.weights.features(articles[rows[k][0]], counts[k], *weighed)
                out[k] = f
                self._cache((rows[k][0], rows[k][2] or ""), total, f)
        return [f for f in out if f is not None]

    @staticmethod
    def _move(
        store: Store,
        parent: str,
        story: str,
        ids: tuple[int, ...],
        features: list[Features],
        first: Article,
    ) -> None:
        marks = ", ".join("?" * len(ids))
        db = store.db
        # The members and their copies (a copy joins its original's story).
        db.execute(
            f"UPDATE articles SET story = ? WHERE story = ? AND (id IN ({marks}) "
            f"OR duplicate_of IN ({marks}))",
            [story, parent, *ids, *ids],
        )
        seen = first.item.seen_at.isoformat(timespec="milliseconds")
        db.execute(
            "INSERT INTO stories (id, label, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            [story, label_of(first), seen, seen],
        )
        _rebuild(store, story, features, complete=True)


def due(originals: int) -> bool:
    """Is a story of `originals` reports (copies aside), one having just joined, reviewed?"""
    return originals <= REVIEW_EVERY or originals % (originals * 2 // REVIEW_EVERY) == 0


def _rebuild(store: Store, story: str, features: list[Features], *, complete: bool) -> None:
    """A story's dates, counts, profile and keys from its members. `complete`: the
    features are all its members (else the profile of the members beyond the review's cap
    is kept, less nothing: their share of it cannot be told apart, so it stays)."""
    db = store.db
    rows = db.execute(
        "SELECT published, seen_at, duplicate_of FROM articles WHERE story = ?", [story]
    ).fetchall()
    lo = hi = undated = None
    originals = copies = 0
    first = last = None
    for published, seen_at, copy in rows:
        day = day_of(published)
        seen_day = seen_at[:10]
        first = min(first or seen_at, seen_at)
        last = max(last or seen_at, seen_at)
        if copy is not None:
            copies += 1
        else:
            originals += 1
        if day is not None:
            lo, hi = min(lo or day, day), max(hi or day, day)
        elif copy is None:
            undated = min(undated or seen_day, seen_day)
    profile: dict[str, float] = {}
    if not complete:
        (old,) = db.execute("SELECT terms FROM stories WHERE id = ?", [story]).fetchone()
        profile = json.loads(old)
    else:
        for f in features:
            profile = merge_profile(profile, f.cut.items())
    db.execute(
        "UPDATE stories SET first_seen = ?, last_seen = ?, date_lo = ?, date_hi = ?, "
        "undated_seen = ?, terms = ?, articles = ?, copies = ? WHERE id = ?",
        [first, last, lo, hi, undated, json.dumps(profile), originals, copies, story],
    )
    if complete:  # a kept story's stale keys only find it as a candidate, scored as now
        db.execute("DELETE FROM story_keys WHERE story = ?", [story])
    keys = [(k, story, max(filter(None, (f.date, f.seen)))) for f in features for k in f.keys]
    db.conn.executemany(
        "INSERT INTO story_keys (key, story, last) VALUES (?, ?, ?) "
        "ON CONFLICT (key, story) DO UPDATE SET last = max(last, excluded.last)",
        keys,
    )


def _scripts(features: list[Features], members: list[int]) -> int:
    out = 0
    for i in members:
        out |= features[i].scripts
    return out


def _free_id(store: Store, wanted: str) -> str:
    story, n = wanted, 1
    while store.db.execute("SELECT 1 FROM stories WHERE id = ?", [story]).fetchone():
        n += 1
        story = f"{wanted}-{n}"
    return story


def _articles(store: Store, ids: Sequence[int]) -> dict[int, Article]:
    """Stored originals by id, as _article reads them."""
    marks = ", ".join("?" * len(ids))
    rows = store.db.execute(_ARTICLE.format(marks), list(ids)).fetchall()
    return {int(row[0]): _article(row) for row in rows}


def _article(row: tuple[Any, ...]) -> Article:
    """A stored original as the story step and the alert rules see it."""
    (_, origin, title, text, published, seen_at, language, source, digest, entities, evidence) = row
    item = Item(origin=origin, raw=b"", kind="text", seen_at=datetime.fromisoformat(seen_at))
    return Article(
        item=item,
        title=title,
        published=published,
        source=source,
        language=language,
        body=text,
        body_hash=digest,
        entities=tuple(
            EntityTag(e["name"], e["kind"], tuple(e["mentions"]), e["count"])
            for e in json.loads(entities or "[]")
        ),
        topics=tuple(
            TopicTag(
                t["topic"],
                t["score"],
                tuple(Match(m["term"], m["count"], tuple(m["positions"])) for m in t["matches"]),
                t["snippet"],
            )
            for t in json.loads(evidence or "[]")
        ),
    )


def _with_story(article: Article, story: str) -> Article:
    link = StoryLink(story=story, new=True, score=1.0, label=label_of(article), date=None, seen="")
    return replace(article, story_link=link)
