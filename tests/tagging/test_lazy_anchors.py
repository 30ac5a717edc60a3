"""The speed paths of tagging give what a full reading gives: phrase anchors read lazily
(only until the topic asked about has one), and Matcher.scan against find."""

from __future__ import annotations

from pathlib import Path

from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document, Matcher, Term
from monitor.tagging.topics import TopicTagger

# Two topics anchored by phrases only: "North Korea" anchors both, "White House" only
# the second, and it comes last, after many "North Korea"s were read for the first.
TWO = """
[missiles]
threshold = 3
terms = { "missile" = 3 }
anchors = { en = ["North Korea"] }

[summits]
threshold = 3
terms = { "summit" = 3 }
anchors = { en = ["White House", "Blue House"] }
"""


def tagger(tmp_path: Path) -> TopicTagger:
    path = tmp_path / "topics.toml"
    path.write_text(TWO, encoding="utf-8")
    return TopicTagger(load_taxonomy(path))


def test_a_later_topic_finds_a_phrase_anchor_past_the_one_read_for_an_earlier(
    tmp_path: Path,
) -> None:
    text = "A missile summit. " + "North Korea said so. " * 30 + "The White House agreed."
    tags, refused = tagger(tmp_path).decide(Document(text))
    assert sorted(t.topic for t in tags) == ["missiles", "summits"]
    assert refused == ()


def test_a_topic_whose_phrase_anchor_is_absent_is_refused_after_reading_all(
    tmp_path: Path,
) -> None:
    text = "A missile summit. " + "North Korea said so. " * 30
    tags, refused = tagger(tmp_path).decide(Document(text))
    assert [t.topic for t in tags] == ["missiles"]
    assert [r.topic for r in refused] == ["summits"]
    assert "no anchor" in refused[0].reason


def test_scan_yields_the_hits_find_gives() -> None:
    terms = [Term(t, t) for t in ("sanction*", "North Korea", "missile", "=UN", "Kim Jong Un")]
    matcher = Matcher(terms)
    doc = Document("Sanctioned UN members: Kim Jong Un fired missiles; North Korea's sanctions.")
    found = matcher.find(doc)
    assert [(terms[h.term].text, h.start) for h in found] == [
        ("sanction*", 0), ("=UN", 1), ("Kim Jong Un", 3), ("=UN", 5), ("missile", 7),
        ("North Korea", 8), ("sanction*", 11),
    ]  # fmt: skip
    assert sorted(matcher.scan(doc)) == sorted(found)
