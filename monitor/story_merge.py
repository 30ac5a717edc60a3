"""Story merge: after an article joins a story, the story as a whole may join another.

Why (issue 18): one report at a time, the first reports of an event can start two stories
(an Arabic and an English one, or two undated reports told in different words) before the
report that bridges them arrives; the bridging report then joins one of them and the
other stays apart for good. A batch has no such problem: it groups the reports by average
linkage, the most alike groups first, and two groups of one event meet once enough of
either is in. So after each join the stream asks the question a batch asks of its groups:
would the story's members, as one group, join another stored story (SameEvent.judge: the
same time and name rules, bars, novelty and names-alone route for a story in the other
language as a batch's group meets)? The stories asked are those the joining article was
also scored against (StoryLink.near): the report that bridges two stories is close to both.
If so the two are one event and become one story. With `merge_both_ways` (opt-in) each of
those stories, as a group, is also asked whether it would join this one (the question is
not symmetric: the weekday and day rules read the undated side's text), and so is a
report's new story; a new story merged at once raises no `new_story` alert (outcomes.py).

The older story (first seen earlier) keeps its id, label and alerts: its `new_story` alert
was the first for the event; the younger one's alert has gone out too, and nothing is
raised for the merge (an analyst has been told of the event, perhaps twice). The younger
story's members (and their copies) move, its profile is added to the older one's (both are
sums of member vectors), its keys follow, and its row goes. A merge runs inside the
article's write transaction (outcomes.Writer), after the story review, which splits what
the batch grouping sees as two events: a merge the review would undo is not made, because
both ask the same grouping with the same bars.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from monitor.store.db import Store
from monitor.story_model import Group, merge_profile
from monitor.story_review import StoryReview, _rebuild

# A story needs this many reports (copies aside) before it is matched as a whole: a story
# of one report was matched as one when that report arrived.
MIN_MEMBERS = 2
# Merged-away ids remembered: a batch (at most 512 articles) names its groups' stories
# before its first article is stored.
MERGED_KEPT = 1024


class StoryMerge:
    def __init__(self, review: StoryReview) -> None:
        # The review's stories settings and its cache of weighed members.
        self.review = review

    def merge(self, store: Store, story: str, near: Sequence[str]) -> tuple[str, str] | None:
        """Join `story` with the stored story its members, as one group, would join, among
        `near`: the other stories the joining article was scored against (in the window,
        sharing a name), which is where a story one report has just moved closer to lies.
        Asking them alone, not a fresh search by the whole story's keys, keeps the merge
        to one read of a few rows. Returns (the story kept, the story merged into it), or
        None."""
        candidates = [c for c in dict.fromkeys(self.redirect(c) for c in near) if c != story]
        if not candidates:
            return None
        (originals,) = store.db.execute(
            "SELECT articles FROM stories WHERE id = ?", [story]
        ).fetchone() or (0,)
        both_ways = self.review.merge_both_ways
        if originals < MIN_MEMBERS and not both_ways:
            return None
        rows = store.story_rows(candidates)
        # (score, candidate): each pairing that clears its bar, as the story's group
        # against a candidate and, both ways, each candidate's group against the story
        cleared: list[tuple[float, str]] = []
        judge = self.review.stories.judge
        if originals >= MIN_MEMBERS:
            last = self.review.last
            if last is not None and last[0] == story:
                features = last[1]  # the review just weighed them, in this transaction
            else:
                _, features = self.review.members(store, story)
            group = Group.of(features)
            cleared += _clearing((judge(group, row), row.id) for row in rows)
        own = next(iter(store.story_rows([story])), None) if both_ways else None
        if own is not None:
            theirs = (
                (judge(Group.of(self.review.members(store, row.id)[1]), own), row.id)
                for row in rows
                if row.articles >= MIN_MEMBERS
            )
            cleared += _clearing(theirs)
        best = max(cleared, key=lambda c: c[0], default=None)
        if best is None:
            return None
        other = best[1]
        firsts = dict(
            store.db.execute(
                "SELECT id, first_seen FROM stories WHERE id IN (?, ?)", [story, other]
            ).fetchall()
        )
        keep, gone = sorted([story, other], key=lambda s: (firsts.get(s) or "", s))
        _absorb(store, keep, gone)
        merged = self.review.merged
        merged[gone] = keep
        if len(merged) > MERGED_KEPT:
            merged.popitem(last=False)
        return keep, gone

    def redirect(self, story: str) -> str:
        """The story that now holds `story` (itself unless merged away)."""
        seen = {story}
        while story in self.review.merged:
            story = self.review.merged[story]
            if story in seen:
                break
            seen.add(story)
        return story


def _absorb(store: Store, keep: str, gone: str) -> None:
    """Story `gone` becomes part of `keep`: its articles, profile and keys."""
    db = store.db
    db.execute("UPDATE articles SET story = ? WHERE story = ?", [keep, gone])
    (mine,), (theirs,) = (
        db.execute("SELECT terms FROM stories WHERE id = ?", [s]).fetchone() for s in (keep, gone)
    )
    profile = merge_profile(json.loads(mine), json.loads(theirs).items())
    db.execute("UPDATE stories SET terms = ? WHERE id = ?", [json.dumps(profile), keep])
    db.execute(
        "INSERT INTO story_keys (key, story, last) SELECT key, ?, last FROM story_keys "
        "WHERE story = ? ON CONFLICT (key, story) DO UPDATE SET last = "
        "max(last, excluded.last)",
        [keep, gone],
    )
    db.execute("DELETE FROM story_keys WHERE story = ?", [gone])
    db.execute("DELETE FROM stories WHERE id = ?", [gone])
    # Dates and counts from the members; the profile just summed is kept (no features).
    _rebuild(store, keep, [], complete=False)


def _clearing(
    judged: Iterable[tuple[tuple[float, bool] | None, str]],
) -> list[tuple[float, str]]:
    """The (score, story) of each judgment that clears its bar."""
    return [(verdict[0], story) for verdict, story in judged if verdict is not None and verdict[1]]
