"""The learned decision's bars are per language (issue 17): each language's folds chose
its own, and a file written with one number still loads, for both. A language may also
have a model of its own (weights, biases, word tables), which then decides its tags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.tagging.decide import FEATURES, SHIPPED, load_decision, pair_names
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


def _write(tmp_path: Path, threshold: object, top: object) -> Path:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.update(threshold=threshold, top_threshold=top)
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_single_number_is_the_bar_for_both_languages(tmp_path: Path) -> None:
    decision = load_decision(_write(tmp_path, 0.45, 0.15))
    assert decision is not None
    assert decision.threshold == {"ar": 0.45, "en": 0.45}
    assert decision.top_threshold == {"ar": 0.15, "en": 0.15}
    strongest = decision.strongest
    words = decision.words is not None  # the word score, last
    assert len(decision.weights) == (
        len(FEATURES) + len(strongest) + len(pair_names(strongest)) + words
    )


def test_each_language_meets_its_own_bar(tmp_path: Path) -> None:
    # An impossible bar for English only: an English article loses every tag the model
    # reviews, an Arabic one keeps them.
    strict = load_decision(_write(tmp_path, {"ar": 0.0, "en": 1.01}, {"ar": 0.0, "en": 1.01}))
    tagger = TopicTagger(load_taxonomy(), decision=strict)
    english = Document("North Korea fired a ballistic missile into the sea, Seoul said.")
    arabic = Document("أطلقت كوريا الشمالية صاروخا باليستيا باتجاه البحر، وفق سيول.")
    assert tagger.tag(english) == ()
    _kept, refused = tagger.decide(english)
    assert "nuclear_missile" in {r.topic for r in refused}
    assert "nuclear_missile" in {t.topic for t in tagger.tag(arabic)}


def _with_language_model(tmp_path: Path, lang: str, bias: float, weights: int = 0) -> Path:
    """The shipped file with `lang` decided by a model of its own: the shared weights, and
    every topic's bias set to `bias` (`weights`: drop that many weights)."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    own = {
        "weights": data["weights"][: len(data["weights"]) - weights],
        "bias": dict.fromkeys(data["bias"], bias),
        "words": data["words"],
    }
    data["languages"] = {lang: own}
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_language_with_a_model_of_its_own_is_decided_by_it(tmp_path: Path) -> None:
    # English's own model refuses everything; Arabic, left to the shared one, keeps its tag.
    decision = load_decision(_with_language_model(tmp_path, "en", -50.0))
    assert decision is not None and set(decision.languages) == {"en"}
    tagger = TopicTagger(load_taxonomy(), decision=decision)
    english = Document("North Korea fired a ballistic missile into the sea, Seoul said.")
    arabic = Document("أطلقت كوريا الشمالية صاروخا باليستيا باتجاه البحر، وفق سيول.")
    assert tagger.tag(english) == ()
    _kept, refused = tagger.decide(english)
    assert any(r.topic == "nuclear_missile" and "p=0.00" in r.reason for r in refused)
    assert "nuclear_missile" in {t.topic for t in tagger.tag(arabic)}


def test_a_language_model_that_does_not_fit_the_features_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"decision\.json.*language weights"):
        load_decision(_with_language_model(tmp_path, "ar", 0.0, weights=1))
