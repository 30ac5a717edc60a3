"""page_rules' one candidate mask picks the lines the three rules' masks joined picked.

between_paragraphs asks _between_candidates for the lines one of its rules may label; it
makes only the widest of the rules' masks, which holds the others as long as the bounds
in lines.py nest (a keyword list's at or below an orphan headline's). The aeb dumps
never ask for the orphan rule alone (a page without stopwords), so every combination of
the flags is tried here, on word counts around each bound.
"""

from __future__ import annotations

from itertools import product
from types import SimpleNamespace

import numpy as np
import pytest

from monitor.extract.lines import (
    CAPTION_MAX_WORDS,
    KEYWORD_LIST_WORDS,
    ORPHAN_MEDIAN_WORDS,
    ORPHAN_WORDS,
)
from monitor.extract.page_rules import PageRules


def _joined(words: np.ndarray, sentence: np.ndarray, stop: bool, median: int, blank: bool):
    """The three rules' masks, joined as they were before the one mask."""
    text = ~sentence
    maybe = np.zeros(len(words), dtype=bool)
    if stop:
        maybe |= (words >= KEYWORD_LIST_WORDS) & text
    if median >= ORPHAN_MEDIAN_WORDS:
        maybe |= (words >= ORPHAN_WORDS[0]) & (words <= ORPHAN_WORDS[1]) & text
    if blank:
        maybe |= text | (words <= CAPTION_MAX_WORDS)
    return maybe.nonzero()[0].tolist()


def test_bounds_nest() -> None:
    assert ORPHAN_WORDS[0] >= KEYWORD_LIST_WORDS


@pytest.mark.parametrize(
    ("stop", "median", "blank"),
    list(product([False, True], [0, ORPHAN_MEDIAN_WORDS], [False, True])),
)
def test_one_mask_is_the_three_joined(stop: bool, median: int, blank: bool) -> None:
    counts = np.arange(1, 2 * CAPTION_MAX_WORDS + 2, dtype=np.int32)
    words = np.concatenate([counts, counts])  # (int32, as measure_page counts them)
    sentence = np.repeat([False, True], len(counts))
    at = SimpleNamespace(words=words, sentence=sentence)
    got = PageRules._between_candidates([None] * len(words), at, stop, median, blank)  # type: ignore[arg-type]
    assert list(got) == _joined(words, sentence, stop, median, blank)
