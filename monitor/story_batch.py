"""A batch's grouping by the stream's own rule, in an order of its own.

Why (issue 18): a batch grouped by average linkage (story_linkage.py) and a stream that
places one report at a time decided "same event" in two ways, and the batch came out with
the lower recall on the real set: linkage merges two groups only when the mean over all
their pairs clears the bar, while the stream lets a story grow one report at a time, each
judged against the story as it is (SameEvent.judge). Now the batch is placed exactly as a
stream would place it, report by report against the stored stories and the stories begun
or grown earlier in the batch, but in an order that depends on the batch alone, not on how
its files arrived: by published date (the order the events happened in), the undated last
(they then meet every dated story of the batch, and their words have the most to meet),
ties by content hash. The stream's story merge runs after each join, and once more when
all are placed, for every story begun in the batch (a report placed early met the stories
as they were then). The reports are weighed with the store's and the whole batch's
document frequencies, as before, and the story review and merge run again when they are
stored, as for a stream.

Opt-in (`[stories] batch = "stream"`): on the real set's dev split it is at least as good
as the stream on one split and nearly on the other, and event-fold cross-validation chose it
over the linkage on one of them only (docs/benchmarks.md).

The stories begun or grown in the batch live in a `BatchIndex` over the store's index: the
same candidate lookup, profile update (story_model.merge_profile) and date bounds the store
keeps (Store.save_story), without writing anything before the batch is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from monitor.story_model import (
    CANDIDATE_STORIES,
    Features,
    Group,
    Plan,
    StoryIndex,
    StoryRow,
    merge_profile,
    widen_dates,
)

if TYPE_CHECKING:
    from monitor.models import Article
    from monitor.stories import Stories

LOCAL = "\x00batch-"  # a story begun in the batch, before it has its real id


@dataclass
class BatchIndex:
    """The store's index as the batch's next report would find it had the reports before
    it (in the batch's order) been stored: their stories' profiles, dates and keys."""

    index: StoryIndex
    rows: dict[str, StoryRow] = field(default_factory=dict)  # touched or begun, by id
    keys: dict[str, set[str]] = field(default_factory=dict)  # key -> stories given it here
    found: dict[str, StoryRow] = field(default_factory=dict)  # stored stories, as read

    def story_candidates(self, keys: Sequence[str], per_key: int) -> list[StoryRow]:
        stored = self.index.story_candidates(keys, per_key)
        # Each key 1/n of the n stories it finds here, as the store weighs it.
        local: dict[str, float] = {}
        for k in keys:
            given = self.keys.get(k, ())
            for s in given:
                local[s] = local.get(s, 0.0) + 1.0 / len(given)
        out: dict[str, StoryRow] = {}
        for row in stored:
            self.found.setdefault(row.id, row)
            mine = self.rows.get(row.id)
            hits = max(row.hits, local.get(row.id, 0))
            out[row.id] = replace(mine or row, hits=hits)
        for story, hits in local.items():
            if story not in out:
                out[story] = replace(self.rows[story], hits=hits)
        # The store's ranking (rarest shared keys first), cut where the store cuts it.
        return sorted(out.values(), key=lambda r: (-r.hits, r.id))[:CANDIDATE_STORIES]

    def absorb(self, keep: str, gone: str) -> None:
        """Story `gone` (begun in the batch) becomes part of `keep`."""
        a = self.rows.get(keep) or self.found[keep]
        b = self.rows.pop(gone)
        los = [d for d in (a.date_lo, b.date_lo) if d]
        his = [d for d in (a.date_hi, b.date_hi) if d]
        seen = [d for d in (a.undated_seen, b.undated_seen) if d]
        self.rows[keep] = StoryRow(
            keep,
            merge_profile(a.profile, b.profile.items()),
            min(los, default=None),
            max(his, default=None),
            min(seen, default=None),
            0,
            a.articles + b.articles,
        )
        for stories in self.keys.values():
            if gone in stories:
                stories.discard(gone)
                stories.add(keep)

    def add(self, story: str, f: Features) -> None:
        """`f` joins `story` (stored, begun in the batch, or new)."""
        row = self.rows.get(story) or self.found.get(story)
        if row is None:
            row = StoryRow(story, {}, None, None, None, 0, 0)
        lo, hi, undated = widen_dates(row.date_lo, row.date_hi, row.undated_seen, f.date, f.seen)
        self.rows[story] = StoryRow(
            story,
            merge_profile(row.profile, f.cut.items()),
            lo,
            hi,
            undated,
            0,
            row.articles + 1,
        )
        for key in f.keys:
            self.keys.setdefault(key, set()).add(story)


@dataclass(frozen=True)
class Placed:
    """Where each report of a batch goes, by its position in the batch."""

    story: list[str]  # a stored story's id, or LOCAL + n for the n-th story begun here
    score: list[float]  # its score with what it joined (1.0 for the report that began it)
    near: list[tuple[str, ...]]  # the other candidates it was scored against


def place(
    stories: Stories,
    features: Sequence[Features],
    order: Iterable[int],
    index: StoryIndex,
) -> Placed:
    """Place the reports at positions `order` (the others are copies: left as stories of
    their own) one at a time, as the stream places them, each against the stored stories
    and those the earlier ones began or grew."""
    n = len(features)
    placing = sorted(order, key=lambda i: _when(features[i]))
    # A story begun here is named by its first report's place in the batch's order (a copy,
    # which is placed by the writer, by its place in the batch): nothing by arrival order.
    story = [f"{LOCAL}c{i:05d}" for i in range(n)]
    for rank, i in enumerate(placing):
        story[i] = f"{LOCAL}{rank:05d}"
    score = [1.0] * n
    near: list[tuple[str, ...]] = [()] * n
    batch = BatchIndex(index)
    members: dict[str, list[int]] = {}
    moved: dict[str, str] = {}  # a story merged away -> the one that holds it
    for i in placing:
        f = features[i]
        best, others = stories._scored([f], batch)
        near[i] = others
        if best is not None:
            score[i], story[i] = best
        batch.add(story[i], f)
        members.setdefault(story[i], []).append(i)
        if best is not None and stories.batch_merge:
            _merge(stories, batch, story[i], others, members, moved, features)
    if stories.batch_merge:
        _merge_all(stories, batch, members, moved, features)
    for i in range(n):
        while story[i] in moved:
            story[i] = moved[story[i]]
    return Placed(story, score, near)


def plan_placed(
    stories: Stories,
    articles: Sequence[Article],
    features: list[Features],
    order: list[int],
    keys: list[int],
    index: StoryIndex,
) -> Plan:
    """A batch's plan by the stream's own rule: each report's group is the story it was
    placed in, a stored one (`joins`) or one begun in the batch."""
    placed = place(stories, features, order, index)
    first: dict[str, int] = {}  # a story's group: named by its first report
    for i in range(len(articles)):
        first.setdefault(placed.story[i], i)
    group = {keys[i]: first[placed.story[i]] for i in range(len(articles))}
    members: dict[int, list[int]] = {}
    for i in range(len(articles)):  # in arrival order
        members.setdefault(group[keys[i]], []).append(keys[i])
    stored = {s: g for s, g in first.items() if not s.startswith(LOCAL)}
    return Plan(
        features=dict(zip(keys, features, strict=True)),
        group=group,
        members=members,
        cohesion={k: placed.score[i] for i, k in enumerate(keys)},
        joins={g: None for g in members} | {g: (placed.score[g], s) for s, g in stored.items()},
        near={g: placed.near[g] for g in members},
        items=[a.item for a in articles],
        scores={k: placed.score[i] for i, k in enumerate(keys)},
        article_near={k: placed.near[i] for i, k in enumerate(keys)},
        local={s: g for s, g in first.items() if s.startswith(LOCAL)},
    )


def _merge(
    stories: Stories,
    batch: BatchIndex,
    story: str,
    near: Sequence[str],
    members: dict[str, list[int]],
    moved: dict[str, str],
    features: Sequence[Features],
) -> None:
    """The stream's story merge (story_merge.py), on the batch's stories: the story just
    joined, as one group, joins another it was scored against when it would join it as a
    whole. Only a story begun in the batch is merged away: two stored stories are the
    writer's to merge, when the batch is stored."""
    mine = members.get(story, [])
    if len(mine) < 2:
        return
    group = Group.of([features[j] for j in mine])
    best: tuple[float, str] | None = None
    for other in dict.fromkeys(_redirect(c, moved) for c in near):
        row = batch.rows.get(other) or batch.found.get(other)
        if other == story or row is None:
            continue
        judged = stories.judge(group, row)
        if judged is not None and judged[1] and (best is None or judged[0] > best[0]):
            best = (judged[0], other)
    if best is None:
        return
    other = best[1]
    if not other.startswith(LOCAL) and not story.startswith(LOCAL):
        return
    # The older story keeps its id: a stored one, else the one begun first.
    keep, gone = (other, story) if story.startswith(LOCAL) else (story, other)
    if keep.startswith(LOCAL) and gone.startswith(LOCAL):
        keep, gone = min(keep, gone), max(keep, gone)
    batch.absorb(keep, gone)
    members.setdefault(keep, []).extend(members.pop(gone, []))
    moved[gone] = keep


def _merge_all(
    stories: Stories,
    batch: BatchIndex,
    members: dict[str, list[int]],
    moved: dict[str, str],
    features: Sequence[Features],
) -> None:
    """After the last report: each story begun in the batch, as one group, joins the
    story (begun here or stored) it would join as a whole, found as a report finds its
    candidates (Stories._scored), the closest first; again until none joins. A report
    placed early met the stories as they were then; this is the question a linkage asks
    of its groups once all are in, under the same rule."""
    while True:
        ranked = []
        for story in sorted(s for s in members if s.startswith(LOCAL)):
            best, _ = stories._scored([features[j] for j in members[story]], batch, story)
            if best is not None:
                ranked.append((-best[0], story))
        merged = False
        for _, story in sorted(ranked):
            if story not in members:
                continue  # merged away in this sweep
            best, _ = stories._scored([features[j] for j in members[story]], batch, story)
            if best is None:
                continue
            other = _redirect(best[1], moved)
            if other == story:
                continue
            keep, gone = (other, story)
            if other.startswith(LOCAL):
                keep, gone = min(story, other), max(story, other)
            batch.absorb(keep, gone)
            members.setdefault(keep, []).extend(members.pop(gone, []))
            moved[gone] = keep
            merged = True
        if not merged:
            return


def _redirect(story: str, moved: dict[str, str]) -> str:
    while story in moved:
        story = moved[story]
    return story


def _when(f: Features) -> tuple[int, str]:
    """Dated reports first, by date; the undated after them."""
    return (1, f.date) if f.date is not None else (0, f.seen)


def stored_id(story: str, plan: Plan) -> str | None:
    """A candidate story's id in the store: a story begun in the batch once its first
    report has been placed (None before, or when it was merged into another)."""
    if not story.startswith(LOCAL):
        return story
    group = plan.local.get(story)
    return None if group is None else plan.story.get(group)
