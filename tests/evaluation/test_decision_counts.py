"""The decision tools count a labelled topic the rules missed in its own excerpt's
language only (issue 17, tag17ab). An excerpt the rules tag nothing in has no candidate to
say its language; tag17y found its misses counted in both languages' recall, which moved
the other language's bars."""

from __future__ import annotations

from typing import Any

import numpy as np

from monitor.evaluation.decision import (
    TOP_MAX,
    Candidate,
    choose_bars,
    is_top,
    item_langs,
    scores,
)
from monitor.tagging.decide import FEATURES


def _cand(item: str, lang: str, right: bool) -> Candidate:
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("is_top")] = 1.0  # each excerpt's strongest topic: the top bar decides
    return Candidate(item, f"pub-{item}", lang, "sanctions", x, right)


def _item(item: str, lang: str) -> dict[str, Any]:
    return {"id": item, "lang": lang, "kind": "positive", "publisher": f"pub-{item}"}


# English: four right tags (one of them weak, p 0.15) and two wrong ones (p 0.25). Alone,
# the best lower of precision and recall is the highest top bar (P 1.0, R 0.75, against
# P 0.67, R 1.0 with every tag kept); four more English misses would make keeping every
# tag the best (R 0.5 against 0.375).
ENGLISH = [
    (_cand("e1", "en", True), 0.9),
    (_cand("e2", "en", True), 0.9),
    (_cand("e3", "en", True), 0.9),
    (_cand("e4", "en", True), 0.15),
    (_cand("e5", "en", False), 0.25),
    (_cand("e6", "en", False), 0.25),
]


def test_a_miss_on_an_untagged_excerpt_counts_in_its_own_language_only() -> None:
    cands = [_cand("a1", "ar", True)]
    items = [_item("a1", "ar"), _item("a2", "ar"), _item("e1", "en")]
    # a2: Arabic, four labelled topics, no rule tag; e1: English, one, no rule tag.
    missed = {"a1": set(), "a2": {"t1", "t2", "t3", "t4"}, "e1": {"t1"}}
    keep = np.ones(1, dtype=bool)
    langs = item_langs(items)
    ar, en, both = (scores(cands, keep, missed, lang, langs) for lang in ("ar", "en", None))
    assert (ar.tp, ar.fp, ar.fn) == (1, 0, 4)
    assert (en.tp, en.fp, en.fn) == (0, 0, 1)
    assert (both.tp, both.fp, both.fn) == (1, 0, 5)


def test_an_arabic_excerpt_the_rules_tag_nothing_in_leaves_the_english_bars() -> None:
    cands = [c for c, _ in ENGLISH] + [_cand("a1", "ar", True)]
    p = np.array([q for _, q in ENGLISH] + [0.9])
    items = [_item(c.item, c.lang) for c in cands]
    missed: dict[str, set[str]] = {c.item: set() for c in cands}
    alone = choose_bars(cands, p, is_top(cands), missed, items, "en")
    assert alone[0] == TOP_MAX  # the highest top bar: P 1.0, R 0.75
    untagged = {**missed, "a2": {"t1", "t2", "t3", "t4"}}
    beside = choose_bars(cands, p, is_top(cands), untagged, [*items, _item("a2", "ar")], "en")
    assert beside == alone
