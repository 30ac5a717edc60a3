"""Trade remedies are not sanctions (issue 17, second round): anti-dumping duties and
"trade restrictions imposed" on steel name beat countries and the beat's verbs, but an
analyst of sanctions does not want them. Found on the real set's train split (a steel
trade article from Steel Market Update); the refusal names its reason, and real sanctions
still tag beside the word "tariffs"."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def topics() -> TopicTagger:
    return taggers.topics()


def test_anti_dumping_duties_are_not_sanctions(topics: TopicTagger) -> None:
    text = (
        "China is fighting back on trade restrictions imposed on export of its steel "
        "products. In another backlash to trade restrictions, China's Ministry of Commerce "
        "said it would impose antidumping duties on imports of electrical steel from Japan, "
        "South Korea and the European Union."
    )
    doc = Document(text)
    assert "sanctions" not in {t.topic for t in topics.tag(doc)}
    refusal = {r.topic: r for r in topics.decide(doc)[1]}.get("sanctions")
    assert refusal is not None and "trade remedies" in refusal.reason


def test_sanctions_beside_tariffs_still_tag(topics: TopicTagger) -> None:
    text = (
        "The US Treasury imposed sanctions on Russian banks and oil tankers on Monday. "
        "Separately, officials said talks on steel tariffs with Europe would resume next "
        "month. The sanctions freeze the assets of twelve Russian firms."
    )
    assert "sanctions" in {t.topic for t in topics.tag(Document(text))}
