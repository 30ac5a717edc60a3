"""The encoder feature (measured, not shipped): an excerpt that reads like a topic's right
tags scores above one that reads like its wrong ones, and a topic without both kinds of
training tag scores 0."""

from __future__ import annotations

import numpy as np

from monitor.evaluation.decision import Candidate
from monitor.evaluation.encoder_feature import centroid_score
from monitor.evaluation.word_folds import WordCand


def _cand(item: str, topic: str, right: bool) -> WordCand:
    return WordCand(Candidate(item, "p-" + item, "en", topic, [0.0], right), frozenset())


def test_the_score_is_the_cosine_to_right_tags_less_the_cosine_to_wrong_ones() -> None:
    emb = {
        "r1": np.array([1.0, 0.0, 0.0]),
        "r2": np.array([0.8, 0.6, 0.0]),
        "w1": np.array([0.0, 0.0, 1.0]),
        "new_like_right": np.array([0.9, 0.3, 0.1]),
        "new_like_wrong": np.array([0.1, 0.0, 0.99]),
    }
    emb = {k: v / np.linalg.norm(v) for k, v in emb.items()}
    train = [
        _cand("r1", "sanctions", True),
        _cand("r2", "sanctions", True),
        _cand("w1", "sanctions", False),
    ]
    score = centroid_score(train, emb, scale=10.0)
    right, wrong = (
        score(_cand("new_like_right", "sanctions", True)),
        score(_cand("new_like_wrong", "sanctions", False)),
    )
    assert right > 0 > wrong
    # the scale multiplies the cosines' difference
    assert (
        centroid_score(train, emb, scale=1.0)(_cand("new_like_right", "sanctions", True)) * 10
        == right
    )
    # no wrong training tag of a topic: nothing to tell apart, the feature is 0
    assert score(_cand("new_like_right", "arms_transfers", True)) == 0.0


def test_a_learned_feature_follows_the_word_score_and_sees_only_the_training_tags() -> None:
    """word_folds.Options.learned (how encoder_feature adds its score to every fit): the
    feature is appended after the word score, learned from the fit's training tags."""
    from dataclasses import replace

    from monitor.evaluation import word_folds as wf
    from monitor.tagging.decide import FEATURES

    def cand(item: str, right: bool, words: frozenset[str]) -> WordCand:
        x = [0.0] * len(FEATURES)  # (the word score reads is_top)
        return WordCand(Candidate(item, "p-" + item, "en", "sanctions", x, right), words)

    train = [
        cand("r1", True, frozenset({"treasury", "designated"})),
        cand("w1", False, frozenset({"football", "club"})),
    ]
    held = [cand("new", True, frozenset({"treasury", "club"}))]
    seen: list[list[str]] = []

    def learned(fit: list[WordCand]):  # type: ignore[no-untyped-def]
        seen.append([c.cand.item for c in fit])
        return lambda c: 7.0

    o = wf.Options(**wf.SHIPPED_OPTIONS_KW)  # type: ignore[arg-type]
    plain = wf.augment(train, held, o)
    more = wf.augment(train, held, replace(o, learned=learned))
    assert [c.x for c in more] == [[*c.x, 7.0] for c in plain]
    assert seen == [["r1", "w1"]]
