"""The word score cannot overrule strong evidence on a short text (issue 17).

A file written in bursts is first tagged on its opening lines: a seed's summit report cut
after 600 characters ("Putin will travel to North Korea on a visit starting Tuesday").
The rules give it `diplomacy_summits` as its strongest topic; a lead carries few words,
so the word score must not be what refuses it (the first word score did, and
tests/test_revisions.py caught it end to end; this is the same check in process)."""

from __future__ import annotations

from pathlib import Path

from monitor.evaluation.seed_leads import seed_lead
from monitor.tagging.decide import features, load_decision
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger
from monitor.tagging.word_score import excerpt_words, word_score

SEED = Path(__file__).resolve().parents[2] / "seeds" / "002_911ee84ec367d659.txt"


def test_a_summit_reports_lead_keeps_its_summit() -> None:
    doc = Document(seed_lead(SEED))
    rules = {t.topic for t in TopicTagger(load_taxonomy()).tag(doc)}
    assert "diplomacy_summits" in rules  # the rules' evidence: a visit, talks, leaders
    decision = load_decision()
    assert decision is not None and decision.words is not None
    tags, refused = TopicTagger(load_taxonomy(), decision=decision).decide(doc)
    assert "diplomacy_summits" in {t.topic for t in tags}, refused


def test_the_strongest_tags_word_score_shrinks_on_a_short_text() -> None:
    decision = load_decision()
    assert decision is not None and decision.words is not None
    form = decision.word_form
    assert form.top_shrink > 0  # not the plain sum that refused the lead
    doc = Document(seed_lead(SEED))
    tags = TopicTagger(load_taxonomy()).tag(doc)
    thresholds = {t: r.threshold for t, r in load_taxonomy().topics.items()}
    words = excerpt_words(doc.tokens)
    top = max(tags, key=lambda t: t.score)
    other = next(t for t in tags if t.score < top.score)
    for tag, shrunk in ((top, True), (other, False)):
        x = features(
            tag, thresholds[tag.topic], tags, doc, decision.strongest, decision.pairs,
            decision.words, None, form,
        )  # fmt: skip
        plain = word_score(decision.words[tag.topic], words)
        assert plain != 0
        if shrunk:  # a lead of some sixty words keeps well under half of its word score
            assert abs(x[-1]) < 0.5 * abs(plain)
        else:  # a passing mention's words count in full, however short the text
            assert x[-1] == plain
