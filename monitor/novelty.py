"""Novelty of names: how much of a report's naming a story has never had.

Why (issue 18, first-story detection as in Allan, Papka and Lavrenko 1998): two reports of
look-alike events (two IAEA reports a year apart, Lavrov in Pyongyang in 2023 and in Wonsan
in 2025) share most words and the beat's everyday names, and a report without a date has
nothing else to tell them apart. What differs is who and where: the later report names a
minister, a site, a body the other never named. Measured on the real set's dev split
(candidate stories the stream scores for undated reports, mean cosine 0.45-0.55): reports
of the story's own event add a median of 0% of their name weight as new names, reports of
another event 21%. So a report whose names the story already has may join at a lower bar
(`[stories] novel_similarity`), and one that brings new names must clear the usual one.

Names, not words: the tagger's canonical names are the same in Arabic and English, so a
report is measured against a story in either language alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

ENTITY = "@"  # as in monitor.stories
# The most numbers pair_novelties multiplies at once (8 MB of float64).
NOVELTY_CHUNK = 1 << 20


class _Member(Protocol):
    cut: dict[str, float]


def name_novelty(members: Sequence[_Member], profile: dict[str, float]) -> float:
    """The share of the members' name weight on names the story's profile lacks; 1.0
    when they name nobody (no evidence that they add nothing)."""
    total = new = 0.0
    for m in members:
        for term, weight in m.cut.items():
            if term.startswith(ENTITY):
                total += weight
                if term not in profile:
                    new += weight
    return new / total if total else 1.0


def pair_novelty(weights: np.ndarray, i: int, size: np.ndarray) -> np.ndarray:
    """For a batch's grouping: for group i and every other group, the name novelty of the
    smaller of the two against the larger (as a report against a story); of two groups of
    one size, the higher of the two ways. `weights`: each group's summed name weights,
    one column per name."""
    import numpy as np

    return pair_novelties(weights, np.array([i]), size)[0]


def pair_novelties(weights: np.ndarray, rows: np.ndarray, size: np.ndarray) -> np.ndarray:
    """pair_novelty for each group in `rows`, a row each: a grouping's first table asks
    every group's at once. Each row is summed over the names on its own, as one group's
    alone would be, so it does not depend on which rows are asked with it; rows go
    together in chunks of at most NOVELTY_CHUNK numbers (a batch of 512 names thousands)."""
    import numpy as np

    n, names = weights.shape
    step = max(1, NOVELTY_CHUNK // max(1, n * names))
    theirs_total = weights.sum(axis=1)
    lacks = weights == 0
    out = np.empty((len(rows), n))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        mine = weights[chunk]
        mine_total = mine.sum(axis=1)[:, None]
        # my weight on names each other group lacks, and theirs on names I lack
        mine_new = (lacks[None, :, :] * mine[:, None, :]).sum(axis=2)
        theirs_new = (weights[None, :, :] * (mine == 0)[:, None, :]).sum(axis=2)
        mine_share = np.where(
            mine_total > 0, mine_new / np.where(mine_total > 0, mine_total, 1.0), 1.0
        )
        theirs_share = np.where(
            theirs_total > 0, theirs_new / np.where(theirs_total > 0, theirs_total, 1), 1.0
        )
        mine_size = size[chunk, None]
        out[start : start + step] = np.where(
            mine_size < size,
            mine_share,
            np.where(size < mine_size, theirs_share, np.maximum(mine_share, theirs_share)),
        )
    return out
