"""topic_misses sorts a topic the rules did not give by what lost it (issue 17, tag17ad)."""

from __future__ import annotations

import pytest

from monitor.evaluation.topic_misses import rule_miss
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def tagger() -> TopicTagger:
    return TopicTagger(load_taxonomy())


def test_no_term_of_the_topic(tagger: TopicTagger) -> None:
    row = rule_miss(tagger, "The weather in Paris was mild and dry all week.", "sanctions")
    assert row["class"] == "rules: no term"
    assert row["terms"] == {}


def test_terms_under_the_threshold(tagger: TopicTagger) -> None:
    row = rule_miss(tagger, "Farmers in Ukraine began the harvest early this year.", "ukraine_war")
    assert row["class"] == "rules: under the threshold"
    assert row["terms"] == {"Ukraine": 1.0}


def test_the_rules_own_refusal(tagger: TopicTagger) -> None:
    text = "WADA said the sanctions on Russia over doping would stay in place."
    row = rule_miss(tagger, text, "sanctions")
    assert row["class"] == "rules: veto"
    assert "doping" in row["why"]
