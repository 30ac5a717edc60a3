"""English's own decision model reads where a tag's evidence first falls by the reader's
units (issue 17, tag17aj): in a headline, in the first two sentences. A topic named there
is rarely a passing mention. The shared model, which decides Arabic, holds both at zero:
with them it failed the Arabic test-split floor (docs/tagging.md)."""

from __future__ import annotations

from monitor.models import Match, TopicTag
from monitor.tagging.decide import (
    FEATURES,
    OWN_ONLY,
    features,
    first_sentences_end,
    headline_end,
    load_decision,
)
from monitor.tagging.terms import Document

HEADLINE = FEATURES.index("in_headline")
LEAD = FEATURES.index("in_first_sentences")
STORY = (
    "Seoul says Pyongyang sent shells to Moscow\n"
    "North Korea has sent containers to Russia, the minister said. They could hold millions "
    "of shells. Putin will visit Pyongyang next week. The sanctions stay in force."
)


def _tag(topic: str, doc: Document, word: str) -> TopicTag:
    position = doc.tokens.index(Document(word).tokens[0])
    return TopicTag(topic, 4.0, (Match(word, 1, (position,)),), "")


def test_the_headline_and_the_first_sentences_end_where_a_reader_sees_them() -> None:
    doc = Document(STORY)
    assert headline_end(doc) == len(Document(STORY.splitlines()[0]).tokens)
    # The headline, then the lead's first sentence: the third sentence starts after them.
    lead = len(Document(STORY.split(" They could")[0]).tokens)
    assert first_sentences_end(doc) == lead
    assert doc.tokens[lead] == "they"


def test_a_one_line_text_or_a_long_first_line_has_no_headline() -> None:
    assert headline_end(Document("North Korea sent shells to Russia.")) == 0
    long_first = " ".join(["word"] * 30) + "\nsecond line"
    assert headline_end(Document(long_first)) == 0


def test_a_topic_first_named_late_is_neither_in_the_headline_nor_the_lead() -> None:
    doc = Document(STORY)
    arms = _tag("arms_transfers", doc, "shells")
    summit = _tag("diplomacy_summits", doc, "visit")
    sanctions = _tag("sanctions", doc, "sanctions")
    tags = [arms, summit, sanctions]
    assert features(arms, 3.0, tags, doc)[HEADLINE] == 1.0
    assert features(arms, 3.0, tags, doc)[LEAD] == 1.0
    assert features(summit, 3.0, tags, doc)[HEADLINE] == 0.0
    assert features(summit, 3.0, tags, doc)[LEAD] == 0.0
    assert features(sanctions, 3.0, tags, doc)[LEAD] == 0.0


def test_only_english_s_own_model_weighs_them() -> None:
    decision = load_decision()
    assert decision is not None
    columns = [FEATURES.index(f) for f in OWN_ONLY]
    assert all(decision.model("ar").weights[i] == 0.0 for i in columns)
    assert any(decision.model("en").weights[i] != 0.0 for i in columns)
