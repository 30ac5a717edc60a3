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

    mine = weights[i]
    theirs_total = weights.sum(axis=1)
    mine_total = mine.sum()
    # my weight on names each other group lacks, and theirs on names I lack
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
