"""What a join's cheaper forms must keep (issue 18's cost): the same figures as the forms
they replace, so no grouping moves.

- a grouping's first table is computed for all its groups at once (story_linkage.py): the
  name novelty and the row cosines of a group come out the same whichever groups are
  asked with it;
- a group's window rule is read on its extreme days (SameEvent._group_in_window), not once
  a member: the same verdict as asking every member;
- a group's summed vector (Group.of) is the sum Counter.update gives, to the last bit.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import numpy as np

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.novelty import pair_novelties, pair_novelty
from monitor.story_linkage import _row_cosines
from monitor.story_model import Features, Group, StoryRow


def _weights(rng: np.random.Generator, n: int, names: int) -> np.ndarray:
    """Summed name weights of n groups, most names absent from most groups."""
    w = rng.random((n, names)) * (rng.random((n, names)) < 0.3)
    w[rng.integers(0, n)] = 0.0  # a group that names nobody
    return w


def _novelty_alone(weights: np.ndarray, i: int, size: np.ndarray) -> np.ndarray:
    """pair_novelty as it was written for one group (main before issue 18's cost round)."""
    mine = weights[i]
    theirs_total = weights.sum(axis=1)
    mine_total = mine.sum()
    mine_new = ((weights == 0) * mine).sum(axis=1)
    theirs_new = (weights * (mine == 0)).sum(axis=1)
    mine_share = mine_new / mine_total if mine_total > 0 else np.ones(len(size))
    theirs_share = np.where(
        theirs_total > 0, theirs_new / np.where(theirs_total > 0, theirs_total, 1), 1.0
    )
    return np.where(
        size[i] < size,
        mine_share,
        np.where(size < size[i], theirs_share, np.maximum(mine_share, theirs_share)),
    )


def test_novelties_of_all_groups_at_once_are_each_groups_own() -> None:
    rng = np.random.default_rng(3)
    for n, names in ((2, 1), (7, 5), (20, 60), (33, 140)):
        weights = _weights(rng, n, names)
        size = rng.integers(1, 4, n).astype(float)
        together = pair_novelties(weights, np.arange(n), size)
        for i in range(n):
            alone = _novelty_alone(weights, i, size)
            assert np.array_equal(together[i], alone)  # bit for bit, not approximately
            assert np.array_equal(pair_novelty(weights, i, size), alone)


def test_novelties_in_chunks_equal_one_chunk(monkeypatch) -> None:
    """A large batch's rows go in chunks (the temporary array stays small): same rows."""
    import monitor.novelty as novelty

    rng = np.random.default_rng(5)
    weights, size = _weights(rng, 40, 30), rng.integers(1, 3, 40).astype(float)
    whole = pair_novelties(weights, np.arange(40), size)
    monkeypatch.setattr(novelty, "NOVELTY_CHUNK", 40 * 30 * 3)  # three rows a chunk
    assert np.array_equal(novelty.pair_novelties(weights, np.arange(40), size), whole)


def test_row_cosines_do_not_depend_on_the_rows_asked_with_them() -> None:
    rng = np.random.default_rng(7)
    m = _weights(rng, 12, 9)
    every = _row_cosines(m, np.arange(12))
    for i in range(12):
        assert np.array_equal(_row_cosines(m, np.array([i]))[0], every[i])
    assert np.allclose(every, every.T)
    assert np.all(every[~m.any(axis=1)] == 0.0)  # an empty row is like nothing


def _features(day: str | None, seen: str, cut: dict[str, float] | None = None) -> Features:
    return Features(
        cut=cut or {}, entities=frozenset(), vocabulary=(), keys=(), date=day, seen=seen
    )


def test_the_window_rule_on_a_groups_extremes_is_every_members_verdict() -> None:
    stories = stories_from(StoriesConfig())
    rng = random.Random(11)
    start = date(2024, 6, 1)

    def day(span: int = 20) -> str:
        return (start + timedelta(days=rng.randrange(span))).isoformat()

    agreed = ruled_out = 0
    for _ in range(2000):
        members = [
            _features(None if rng.random() < 0.4 else day(), day())
            for _ in range(rng.randint(1, 5))
        ]
        lo, hi = sorted((day(), day()))
        row = StoryRow(
            "s",
            {},
            lo if rng.random() < 0.7 else None,
            hi,
            day() if rng.random() < 0.5 else None,
        )
        if row.date_lo is None:
            row = StoryRow("s", {}, None, None, row.undated_seen)
        each = all(stories.in_window(m.date, m.seen, row) for m in members)
        assert stories._group_in_window(Group.of(members), row) == each
        wide = timedelta(days=7)  # number_window's longer window, read the same way
        each_wide = all(stories.in_window(m.date, m.seen, row, wide) for m in members)
        assert stories._group_in_window(Group.of(members), row, wide) == each_wide
        agreed += each
        ruled_out += not each
    assert agreed > 100 and ruled_out > 100  # both verdicts were exercised


def test_a_groups_sum_is_counters_to_the_last_bit() -> None:
    rng = random.Random(2)
    terms = [f"t{k}" for k in range(80)]
    for _ in range(50):
        members = [
            _features(None, "2024-06-01", {t: rng.random() / 7 for t in rng.sample(terms, 30)})
            for _ in range(rng.randint(1, 25))
        ]
        counted: Counter[str] = Counter()
        for m in members:
            counted.update(m.cut)
        summed = Group.of(members).summed
        assert list(summed) == list(counted)  # the same order: the first member's first
        assert all(summed[t] == counted[t] for t in counted)  # exactly, not approximately
