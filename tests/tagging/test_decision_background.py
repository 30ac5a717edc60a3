"""The learned decision reads whether a topic is named as a reason or a date (issue 17):
"bread prices rise amid the war in Ukraine", "منذ أن فرض الغرب عقوبات". Those hits follow a
background cue; the story's own topic does not. Found on the real set's train split
(bakeries, concerts, central-bank rates); cross-validated by publisher with the bars chosen
inside each fold, the feature raised the lower of precision and recall in both languages."""

from __future__ import annotations

from monitor.models import Match, TopicTag
from monitor.tagging.decide import FEATURES, features, load_decision
from monitor.tagging.terms import Document

BACKGROUND = FEATURES.index("background_share")


def _tag(topic: str, doc: Document, words: list[str]) -> TopicTag:
    """A tag whose hits are the first token of each of `words` in `doc`."""
    positions = tuple(doc.tokens.index(Document(w).tokens[0]) for w in words)
    return TopicTag(topic, 4.0, (Match(words[0], len(positions), positions),), "")


def test_a_topic_after_a_background_cue_reads_as_background() -> None:
    doc = Document("Bakeries raise bread prices amid the war in Ukraine, owners said.")
    war = _tag("ukraine_war", doc, ["war"])
    assert features(war, 3.0, [war], doc)[BACKGROUND] == 1.0


def test_the_story_s_own_topic_does_not() -> None:
    doc = Document("The war in Ukraine: Russian forces shelled Kharkiv overnight.")
    war = _tag("ukraine_war", doc, ["war"])
    assert features(war, 3.0, [war], doc)[BACKGROUND] == 0.0


def test_a_measure_s_reason_reads_as_background() -> None:
    doc = Document(
        "Japan froze the assets of four firms over North Korea's missile programme, in "
        "response to ballistic missile tests."
    )
    missile = _tag("nuclear_missile", doc, ["missile", "ballistic"])
    assert features(missile, 4.0, [missile], doc)[BACKGROUND] == 1.0


def test_arabic_cues_count_too() -> None:
    doc = Document(
        "أبقى البنك المركزي سعر الفائدة عند أعلى مستوى منذ أن فرض الغرب عقوبات على موسكو."
    )
    sanctions = _tag("sanctions", doc, ["عقوبات"])
    assert features(sanctions, 3.0, [sanctions], doc)[BACKGROUND] == 1.0


def test_the_shipped_decision_trusts_a_background_mention_less() -> None:
    decision = load_decision()
    assert decision is not None
    doc = Document("Bakeries raise bread prices amid the war in Ukraine, owners said.")
    war = _tag("ukraine_war", doc, ["war"])
    x = features(war, 3.0, [war], doc, decision.strongest, decision.pairs, decision.words)
    plain = list(x)
    plain[BACKGROUND] = 0.0
    assert decision.probability("ukraine_war", x) < decision.probability("ukraine_war", plain)
