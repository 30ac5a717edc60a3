"""Stories: articles that report the same event, grouped so an event alerts once.

Three signals decide, because no one of them is enough (NOTES.md): two visits a year apart
have the same actors and much the same words, and one event is told in different words by
each outlet. Time (an article joins only a story with a member within `window_days` of
it; an undated report may say its day in its text), content (the mean cosine of TF-IDF
vectors with the story's members: average linkage, not the centroid, which drifts as a
story grows and draws in the next event with the same actors) and names (shared by the
two languages). How an article is weighed is story_weights.py; whether a group of reports
joins a story, the one notion of "same event" the stream, the batch, the review and the
merge share, is same_event.py. This module places articles.

Articles that arrive together (a backlog, a feed poll) are grouped as a whole before the
first is stored (Plan), so the stories do not depend on the order of the files: by
average linkage, or (`[stories] batch = "stream"`) each placed by the stream's own rule in
an order of the batch's own (story_batch.py); a stream article is a batch of one. As a
story grows, the writer groups its members again the way a batch would (story_review.py)
and splits off a second event found among them.

Candidate stories come from an indexed key table (the article's top terms and entities),
most recent first per key, so assignment costs a few index reads, not a scan of the window;
those its rarest shared keys find come first (Store.story_candidates).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from monitor.background import Background
from monitor.config import StoriesConfig
from monitor.crosslingual import other_language
from monitor.dedup import hash_of
from monitor.event_lexicon import shipped as shipped_lexicon
from monitor.models import Article, StoryLink
from monitor.same_event import ENTITY, SameEvent
from monitor.story_batch import plan_placed, stored_id
from monitor.story_model import Features, Group, Plan, StoryIndex, label_of
from monitor.story_weights import Weights

__all__ = ["ENTITY", "Stories", "StoryIndex"]

CANDIDATES = 8  # stories scored per article (or per group of a batch)
# The keys most shared within a group that find its candidate stories: more than one
# article has (about 40 at most), and far below SQLite's 500 terms in one compound query.
GROUP_KEYS = 96
PER_KEY = 40  # most recent stories read per key
NEAR = 3  # other candidates a link keeps, for a later merge of its story (story_merge.py)


class Stories(SameEvent):
    """The story step: weighs a batch's articles (story_weights.py), groups them, and
    places each in a stored story or a new one, by the bars of [stories]
    (same_event.py). Built from the configuration alone; `cache`: the folder the
    background table is kept in, ready-made (background.py)."""

    def __init__(self, config: StoriesConfig, cache: Path | None = None) -> None:
        background = (
            Background.shipped(config.background_weight, cache)
            if config.background_weight
            else None
        )
        lexicon = shipped_lexicon() if config.concept_share or config.concept_similarity else None
        super().__init__(config, concepts=lexicon is not None)
        self.weights = Weights(config, background, lexicon)
        self.background = background
        # False: a batch is grouped by average linkage (story_linkage.py); True: placed
        # report by report by the stream's rule, in an order of its own (story_batch.py).
        self.batch_placed = config.batch == "stream"
        # With batch_placed: the stream's story merge too ([stories] review and merge).
        self.batch_merge = config.review and config.merge

    def plan(self, articles: Sequence[Article], index: StoryIndex) -> Plan:
        """Weigh the batch's articles against the store's document frequencies plus the
        batch's own, and group them. The counts include each article itself, as a corpus
        does that it belongs to, so a batch of one is weighed like a larger one.

        An exact copy (of a stored article, or of one earlier in the batch) will be stored
        as a copy and join its original's story: it is no document of its own and no
        member of a group, so it neither doubles the counts nor pulls a group towards its
        original. (A near copy is only known as one when it is checked, in order: until
        then it counts like any article.)"""
        n = len(articles)
        counts = [self.weights.counts(a) for a in articles]
        # A batch of one is its own original: its copy check comes next, in the dedup step,
        # which hashes the body anyway (a stream article is not hashed twice).
        digests = [hash_of(a) for a in articles] if n > 1 else [""] * n  # made with its words
        originals: list[int] = []
        distinct: set[str] = set()
        for i, digest in enumerate(digests):
            if digest in distinct or (n > 1 and index.find_by_body_hash(digest) is not None):
                continue
            distinct.add(digest)
            originals.append(i)
        batch_df: Counter[str] = Counter()
        for i in originals:
            batch_df.update(counts[i].keys())
        total, df = index.document_frequencies({t for c in counts for t in c})
        total += len(originals)
        for term, k in batch_df.items():
            df[term] = df.get(term, 0) + k
        if self.background is not None:
            total, df = self.weights.with_background(total, df, {t for c in counts for t in c})
        features = [
            self.weights.features(a, c, total, df) for a, c in zip(articles, counts, strict=True)
        ]
        # Grouped in an order of their own (by content), so that even exact ties between
        # pairs fall the same way whatever the order of arrival.
        order = sorted(originals, key=lambda i: (digests[i], articles[i].item.origin))
        keys = [id(a.item) for a in articles]
        if n > 1 and self.batch_placed:  # as the stream places them, in an order of its own
            return plan_placed(self, articles, features, order, keys, index)
        labels, mean = self._average_linkage([features[i] for i in order])
        group = {i: i for i in range(n)}  # a group is named by one of its articles
        cohesion = dict.fromkeys(range(n), 1.0)
        for position, i in enumerate(order):
            group[i], cohesion[i] = order[labels[position]], mean[position]
        members: dict[int, list[int]] = {}
        for i in range(n):  # in arrival order
            members.setdefault(group[i], []).append(keys[i])
        by_key = dict(zip(keys, features, strict=True))
        grouped = {group[i] for i in originals}
        # Read before any article of the batch is stored: every group meets the stories
        # as they were, so which group joins what does not depend on order. A batch of
        # one cannot change them first: its search waits until it is known not to be a
        # copy (most of a stream's copies never need it).
        scored = (
            {}
            if n == 1
            else {
                g: self._scored([by_key[k] for k in ks], index) if g in grouped else (None, ())
                for g, ks in members.items()
            }
        )
        return Plan(
            features=by_key,
            group={keys[i]: group[i] for i in range(n)},
            members=members,
            cohesion={keys[i]: cohesion[i] for i in range(n)},
            joins={g: best for g, (best, _) in scored.items()},
            near={g: near for g, (_, near) in scored.items()},
            items=[a.item for a in articles],
        )

    def assign(self, article: Article, index: StoryIndex, plan: Plan | None = None) -> StoryLink:
        """The story this article joins, or a new one it starts. `plan` is its batch's
        (Stories.plan), made before any article of the batch was stored; without one the
        article is a batch of its own. The score is the similarity to what it joined: its
        group's mean cosine with a stored story, or its own mean cosine with the rest of a
        group that began a story in this batch (1.0 for the article that began it)."""
        plan = plan or self.plan([article], index)
        key = id(article.item)
        f = plan.features[key]
        group = plan.group[key]
        if article.duplicate_of is not None:
            original = index.story_of(article.duplicate_of)
            if original is not None:  # a copy joins its original's story, whatever it says,
                return self._link(article, f, original, False, 1.0)  # and leaves its group
        revision = article.revision
        if revision is not None and revision.original and revision.story is not None:
            # A later version of an original stays in its story (docs/revisions.md); its
            # group, if it has one of its own yet, follows it there.
            plan.story.setdefault(group, revision.story)
            return self._link(article, f, revision.story, False, 1.0)
        if group not in plan.joins:  # a batch of one (see plan())
            plan.joins[group], plan.near[group] = self._scored(
                [plan.features[k] for k in plan.members[group]], index
            )
        joined = plan.joins[group]
        near = plan.article_near.get(key, plan.near.get(group, ()))
        if plan.local:  # stories begun in the batch: by their ids once they have them
            near = tuple(filter(None, (stored_id(s, plan) for s in near)))
        if joined is not None:
            return self._link(article, f, joined[1], False, plan.scores.get(key, joined[0]), near)
        begun = plan.story.get(group)
        if begun is not None:
            return self._link(article, f, begun, False, plan.cohesion[key], near)
        story = f"{f.date or f.seen}-{(article.body_hash or article.item.sha256)[:8]}"
        plan.story[group] = story
        return self._link(article, f, story, True, 1.0, near)

    def _best_story(
        self, members: list[Features], index: StoryIndex, exclude: str | None = None
    ) -> tuple[float, str] | None:
        """The stored story a group joins: the mean cosine of its members with the story's
        members (average linkage again), every member in the window. `exclude`: a story
        the group is (story_merge.py asks which other story a stored story would join)."""
        best, _ = self._scored(members, index, exclude)
        return best

    def _scored(
        self, members: list[Features], index: StoryIndex, exclude: str | None = None
    ) -> tuple[tuple[float, str] | None, tuple[str, ...]]:
        """_best_story, and the other candidates that met the time and name rules, best
        first (at most NEAR): the stories the group's story may later be merged with."""
        # The keys most of the group shares: a large group's every key would be hundreds
        # of index reads for the same few stories (and too many for one query).
        shared = Counter(k for m in members for k in m.keys)
        keys = sorted(shared, key=lambda k: (-shared[k], k))[:GROUP_KEYS]  # not by arrival
        group = Group.of(members)
        rows = [r for r in index.story_candidates(keys, PER_KEY) if r.id != exclude][:CANDIDATES]
        if self.cross_similarity is not None and group.entities:
            # A story in the other language shares only names with the group: by all its
            # keys, stories in the group's own language crowd it out of the candidates.
            seen = {row.id for row in rows}
            by_name = sorted(k for k in keys if k.startswith(ENTITY))
            rows += [
                row
                for row in index.story_candidates(by_name, PER_KEY)
                if row.id not in seen
                and row.id != exclude
                and other_language(group.written, row.scripts)
            ][:CANDIDATES]
        best: tuple[float, str] | None = None
        near: list[tuple[float, str]] = []
        for row in rows:
            judged = self.judge(group, row)
            if judged is None:
                continue
            score, joins = judged
            near.append((score, row.id))
            if joins and (best is None or score > best[0]):
                best = (score, row.id)
        others = sorted((s for s in near if best is None or s[1] != best[1]), reverse=True)
        return best, tuple(story for _, story in others[:NEAR])

    def _average_linkage(self, features: list[Features]) -> tuple[list[int], list[float]]:
        """Group a batch (story_linkage.py); returns each article's group and its mean
        cosine with the rest of its group."""
        from monitor.story_linkage import average_linkage

        return average_linkage(self, features)

    @staticmethod
    def _link(
        article: Article,
        f: Features,
        story: str,
        new: bool,
        score: float,
        near: tuple[str, ...] = (),
    ) -> StoryLink:
        return StoryLink(
            story=story,
            new=new,
            score=round(score, 4),
            label=label_of(article),
            date=f.date,
            seen=f.seen,
            terms=tuple((t, round(w, 5)) for t, w in f.cut.items()),
            keys=f.keys,
            vocabulary=f.vocabulary,
            near=near,
        )
