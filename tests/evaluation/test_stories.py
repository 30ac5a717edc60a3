"""The story evaluation: its score, and a floor on the labelled story sets.

The sets go through the real pipeline and store (python -m monitor.evaluation.stories);
the floors sit a little under what the story step measures now, so a change that makes
grouping worse fails here before it reaches users.
"""

from __future__ import annotations

import pytest

from monitor.evaluation.stories import DATA, bcubed, cross_language, read_records, score_records


def test_bcubed_counts_each_article_once() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2"}, gold) == (1.0, 1.0)
    # Everything in one story: every article's story is 2/3 or 1/3 its event.
    p, r = bcubed({"a": "1", "b": "1", "c": "1"}, gold)
    assert (round(p, 3), r) == (round((2 / 3 + 2 / 3 + 1 / 3) / 3, 3), 1.0)
    # All apart: precise, but a and b each find half their event.
    p, r = bcubed({"a": "1", "b": "2", "c": "3"}, gold)
    assert (p, round(r, 3)) == (1.0, round((0.5 + 0.5 + 1) / 3, 3))


def test_bcubed_over_a_fold_judges_its_items_against_their_whole_stories() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    together = {"a": "1", "b": "1", "c": "1"}
    # c alone: its story also holds a and b (precision 1/3), its event is only c.
    assert bcubed(together, gold, over=["c"]) == (1 / 3, 1.0)
    # a alone: a and b apart, a finds half its event though b is not in the fold.
    assert bcubed({"a": "1", "b": "2", "c": "3"}, gold, over=["a"]) == (1.0, 0.5)


def test_cross_language_share_counts_only_same_event_pairs_in_two_languages() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    lang = {"a": "ar", "b": "en", "c": "ar", "d": "en"}
    assert cross_language({"a": "1", "b": "1", "c": "2", "d": "1"}, gold, lang) == 0.5
    assert (
        cross_language({"a": "1", "b": "1"}, {"a": "x", "b": "y"}, {"a": "ar", "b": "en"}) is None
    )


@pytest.mark.parametrize(
    ("name", "dated", "backlog", "precision", "recall"),
    [
        # 0.979 / 0.578 with stemmed English terms and weekdays read (issue 18, round 3)
        ("dev", False, True, 0.95, 0.55),  # 0.928 / 0.543 with the novelty bar (was 0.971)
        # 0.889 since the gazetteer links Seoul's NIS and the Russian Navy (issue 17): one
        # report of the North Korean troops event now stands apart; held-out rose.
        ("dev", True, True, 0.97, 0.88),
        ("heldout", False, True, 0.93, 0.6),  # 0.960 / 0.627 (round 3)
        ("heldout", True, True, 0.92, 0.78),
        # 0.943 / 0.608 in round 3 (was 0.961 / 0.587): stemmed English terms cost this set's
        # stream 0.018 of precision for 0.021 of recall, and 0.943 sits on the old 0.94 floor
        ("dev", False, False, 0.92, 0.58),
        ("dev", True, False, 0.97, 0.87),
        # 0.843 / 0.606 with cross_novel_similarity (was 0.876 / 0.595): an undated Arabic
        # report of the first Istanbul talks names only what the second round's story names.
        ("heldout", False, False, 0.84, 0.59),  # 0.868 / 0.616 (round 3)
        ("heldout", True, False, 0.9, 0.85),
    ],
)
def test_story_sets_stay_above_their_floor(
    name: str, dated: bool, backlog: bool, precision: float, recall: float
) -> None:
    """As a backlog (grouped in batches) and as a stream (one article at a time)."""
    records = read_records(DATA / f"{name}.jsonl")
    if dated:  # what a stream of feed entries looks like
        records = [r for r in records if r.get("published")]
    score = score_records(records, orders=2, backlog=backlog)
    assert score.precision >= precision, score
    assert score.recall >= recall, score
