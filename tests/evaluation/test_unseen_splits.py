"""The decision's tools never train on a split kept for measuring (issue 17, tag17ac and
tag17ae): `test`, and `fresh3` and `fresh4`, the unseen batches the lead judges a round's
tagging changes on. Both `decision` and `decision_words` read their training splits through
`train_splits` (and `--own-splits` too), so naming any of them is refused before any excerpt is
read; and `real_news --errors` lists the wrong items of neither `test` nor `fresh4`."""

from __future__ import annotations

import argparse

import pytest

from monitor.evaluation import decision_words, real_news
from monitor.evaluation.decision import UNSEEN_SPLITS, train_splits


@pytest.mark.parametrize(
    "value",
    [
        "test", "fresh3", "train,fresh3", "train, test", "fresh3,", "fresh4", "train,fresh4",
        "fresh6", "fresh8", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15",
        "fresh16", *real_news.UNSEEN_BATCHES,
    ],
)  # fmt: skip
def test_an_unseen_split_is_refused_for_training(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        train_splits(value)


def test_read_splits_may_join_training() -> None:
    assert train_splits("train") == ("train",)
    assert train_splits("train, fresh,hard") == ("train", "fresh", "hard")
    assert {"test", "fresh3", "fresh4"} <= set(UNSEEN_SPLITS)


def test_decision_words_uses_the_same_guard() -> None:
    assert decision_words.train_splits is train_splits


def test_real_news_lists_no_error_of_test_or_fresh4() -> None:
    assert "test" not in real_news.LISTED_SPLITS
    assert "fresh4" not in real_news.LISTED_SPLITS
    assert "fresh6" not in real_news.LISTED_SPLITS
    assert "fresh8" not in real_news.LISTED_SPLITS
    assert "fresh10" not in real_news.LISTED_SPLITS
    assert "fresh11" not in real_news.LISTED_SPLITS
    assert "fresh12" not in real_news.LISTED_SPLITS
    assert "fresh14" not in real_news.LISTED_SPLITS
    assert "fresh15" not in real_news.LISTED_SPLITS
    assert "fresh16" not in real_news.LISTED_SPLITS
    assert not set(real_news.UNSEEN_BATCHES) & set(real_news.LISTED_SPLITS)
    assert "train" in real_news.LISTED_SPLITS


def test_the_decisions_training_splits_are_never_unseen_ones() -> None:
    """The shipped decision learns from TRAIN_SPLITS (train and the readable batches) and any
    OWN_SPLITS: each must be one the checker accepts and never one kept for measuring or
    for choosing the bars."""
    from monitor.evaluation.decision import OWN_SPLITS, TRAIN_SPLITS
    from monitor.evaluation.decision_bars import BAR_SPLITS

    assert "train" in TRAIN_SPLITS
    for splits in (TRAIN_SPLITS, OWN_SPLITS):
        assert not set(splits) & set(UNSEEN_SPLITS)
        assert not set(splits) & set(BAR_SPLITS)
    assert train_splits(",".join(TRAIN_SPLITS)) == TRAIN_SPLITS
    assert not set(real_news.UNSEEN_BATCHES) & set(BAR_SPLITS)  # (bars: chosen on them)
