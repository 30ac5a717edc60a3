"""The learned decision reads the article's words (issue 17): one word score per tag from
per-topic tables shipped in decision.json, and a refusal names the words against it."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.tagging.decide import SHIPPED, WORDS, features, load_decision, word_feature
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger
from monitor.tagging.word_score import UNSEEN, excerpt_words, fold_word

PASSING = (
    "The US Treasury on Thursday imposed sanctions on six companies in Hong Kong and "
    "the UAE that it said helped Moscow evade export controls, the Treasury's Office "
    "of Foreign Assets Control said. The firms shipped microelectronics used in "
    "Russian drones. The designations freeze any US assets of the companies. Russia "
    "has relied on such networks since its invasion of Ukraine in 2022."
)


def test_words_are_folded_as_the_tagger_folds_clitics() -> None:
    assert fold_word("والعقوبات") == fold_word("العقوبات") == fold_word("عقوبات")
    assert fold_word("sanctions") == "sanction" and fold_word("press") == "press"
    assert excerpt_words(Document("The 2022 sanctions and UN").tokens) == {"the", "sanction", "and"}


def test_the_shipped_file_carries_small_word_tables_per_topic() -> None:
    decision = load_decision()
    assert decision is not None and decision.words is not None
    assert set(decision.words) == set(load_taxonomy().topic_ids())
    assert all(UNSEEN in table for table in decision.words.values())
    assert sum(len(t) for t in decision.words.values()) <= 4000  # a few thousand at most
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    assert data["features"][-1] == WORDS and len(data["weights"]) == len(data["features"])
    assert data["weights"][-1] > 0  # words that read like the beat raise the probability


def test_the_word_score_moves_the_probability_the_same_evidence_gets() -> None:
    """The same tag's evidence, only its word score changed: words that read like the
    beat give it a higher probability than words that read off it."""
    decision = load_decision()
    assert decision is not None and decision.words is not None
    taxonomy = load_taxonomy()
    doc = Document(PASSING)
    tags = TopicTagger(taxonomy).tag(doc)  # the rules' tags, as the decision gets them
    tag = next(t for t in tags if t.topic == "sanctions")
    strongest = tag.score >= max(t.score for t in tags)
    x = features(
        tag, taxonomy.topics["sanctions"].threshold, tags, doc, decision.strongest,
        decision.pairs, decision.words, excerpt_words(doc.types), decision.word_form,
    )  # fmt: skip
    table = decision.words["sanctions"]
    form = decision.word_form
    # the last feature is the word score of the excerpt's own words
    assert x[-1] == word_feature(table, excerpt_words(doc.types), form, strongest)
    beat = sorted((w for w in table if w != UNSEEN), key=lambda w: -table[w])[:8]
    off = sorted((w for w in table if w != UNSEEN), key=lambda w: table[w])[:8]

    def probability(words: list[str]) -> float:
        score = word_feature(table, frozenset(words), form, strongest)
        return decision.probability("sanctions", [*x[:-1], score])

    assert probability(beat) > probability(off)


def test_a_refusal_names_the_words_that_weighed_against_it() -> None:
    tagger = TopicTagger(load_taxonomy(), decision=load_decision())
    _, refused = tagger.decide(Document(PASSING))
    reasons = {r.topic: r.reason for r in refused}
    assert "ukraine_war" in reasons
    assert "words against it: " in reasons["ukraine_war"]
    named = reasons["ukraine_war"].split("words against it: ")[1].split(", ")
    assert named and set(named) <= excerpt_words(Document(PASSING).tokens)


def test_a_file_without_the_word_score_still_loads_and_decides(tmp_path: Path) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    data["features"] = data["features"][:-1]
    data["weights"] = data["weights"][:-1]
    del data["words"]
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    decision = load_decision(path)
    assert decision is not None and decision.words is None
    tags, _ = TopicTagger(load_taxonomy(), decision=decision).decide(Document(PASSING))
    assert "sanctions" in {t.topic for t in tags}
