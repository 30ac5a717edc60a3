"""The decision's tools never train on a split kept for measuring (issue 17, tag17ac):
`test`, and `fresh3`, the unseen batch the lead judges a round's tagging changes on. Both
`decision` and `decision_words` read their training splits through `train_splits`, so a
`--train-splits` naming either is refused before any excerpt is read."""

from __future__ import annotations

import argparse

import pytest

from monitor.evaluation import decision_words
from monitor.evaluation.decision import UNSEEN_SPLITS, train_splits


@pytest.mark.parametrize("value", ["test", "fresh3", "train,fresh3", "train, test", "fresh3,"])
def test_an_unseen_split_is_refused_for_training(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        train_splits(value)


def test_read_splits_may_join_training() -> None:
    assert train_splits("train") == ("train",)
    assert train_splits("train, fresh,hard") == ("train", "fresh", "hard")
    assert "fresh3" in UNSEEN_SPLITS and "test" in UNSEEN_SPLITS


def test_decision_words_uses_the_same_guard() -> None:
    assert decision_words.train_splits is train_splits
