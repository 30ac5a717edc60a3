"""The learned decision's bars are per language (issue 17): each language's folds chose
its own, and a file written with one number still loads, for both."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.tagging.decide import FEATURES, SHIPPED, load_decision, pair_names
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger, load_taxonomy


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
