"""The beat gate (monitor/tagging/beat.py): an article whose lead reads like no on-beat
story loses the topics the rules gave it, says why, and the beat's own reports keep them."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import taggers
from running import cli, query

from monitor.config import ConfigError
from monitor.evaluation.beat_gate import Item, folds
from monitor.tagging.beat import MIN_WORDS, BeatGate, load_beat_gate
from monitor.tagging.decide import load_decision
from monitor.tagging.terms import Document

REPO = Path(__file__).resolve().parents[2]

# A business "summit": the rules' sense of the word is met (a summit, Seoul, Japan), the
# story is commerce. Written here as a regression case of the class the gate learned.
BUSINESS_SUMMIT = """Business leaders meet in Seoul

More than 400 executives gathered in Seoul on Tuesday for the annual South Korea-Japan
Business Summit, where the two chambers of commerce signed an agreement on sharing
supply-chain data. Retailers, carmakers and shipping firms discussed prices, tourism and
investment, and the organisers said next year's summit would be held in Osaka.
"""


def _gate(
    folder: Path, weight: float, topics: tuple[str, ...] = ("diplomacy_summits",)
) -> BeatGate:
    """A gate file of one English word's weight (and a common word's, "the", which the file
    lists as common), read by the daemon's loader."""
    english = {
        "bar": 0.5,
        "bias": 0.0,
        "common": ["the"],
        "weights": {"executive": weight, "the": -0.5},
    }
    path = folder / "beat.json"
    path.write_text(json.dumps({"topics": list(topics), "languages": {"en": english}}))
    gate = load_beat_gate(path)
    assert gate is not None
    return gate


def test_a_lead_that_reads_off_the_beat_loses_its_topics_and_says_why(tmp_path: Path) -> None:
    doc = Document(BUSINESS_SUMMIT)
    rules = taggers.topics()
    assert "diplomacy_summits" in {t.topic for t in rules.tag(doc)}
    gated = taggers.topics_with(beat=_gate(tmp_path, -3.0))
    tags, refused = gated.decide(doc)
    assert "diplomacy_summits" not in {t.topic for t in tags}
    (why,) = [r.reason for r in refused if r.topic == "diplomacy_summits"]
    assert why.startswith("off the beat") and "< 0.5" in why
    assert why.endswith("words against it: executive")  # "the" weighs, but is never named


def test_the_gate_passes_an_on_beat_lead_a_topic_it_does_not_name_and_a_short_text(
    tmp_path: Path,
) -> None:
    doc = Document(BUSINESS_SUMMIT)
    on_beat = taggers.topics_with(beat=_gate(tmp_path, 3.0))
    assert "diplomacy_summits" in {t.topic for t in on_beat.tag(doc)}
    # a topic the gate does not name (a user's own) is left to the rules
    others = taggers.topics_with(beat=_gate(tmp_path, -3.0, ("sanctions",)))
    assert "diplomacy_summits" in {t.topic for t in others.tag(doc)}
    # a feed summary is shorter than anything the gate learned from: it does not judge it
    short = Document(" ".join(BUSINESS_SUMMIT.split()[: MIN_WORDS - 5]))
    assert len(short.tokens) < MIN_WORDS
    assert "diplomacy_summits" in {t.topic for t in taggers.topics().tag(short)}  # the rules'
    _tags, refused = taggers.topics_with(beat=_gate(tmp_path, -3.0)).decide(short)
    assert not any(r.reason.startswith("off the beat") for r in refused)


def test_the_shipped_gate_refuses_the_business_summit() -> None:
    tags, refused = taggers.topics(learned=True).decide(Document(BUSINESS_SUMMIT))
    assert not tags
    assert any(r.reason.startswith("off the beat") for r in refused)


def test_the_shipped_gate_keeps_every_seed_s_topics() -> None:
    learned = taggers.topics(learned=True)
    without = taggers.topics_with(decision=load_decision())
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    assert seeds
    for path in seeds:
        doc = Document(path.read_text(encoding="utf-8"))
        _tags, refused = learned.decide(doc)
        assert not any(r.reason.startswith("off the beat") for r in refused), path.name
        assert {t.topic for t in learned.tag(doc)} == {t.topic for t in without.tag(doc)}


def test_real_pages_nobody_here_wrote_lose_their_stray_topics() -> None:
    """The aeb held-out bodies (tests/data/aeb: 28 real news and blog pages, none on the
    beat): the rules give two of them a topic (a geological map's "satellite", a hostage
    release's "summit"); the gate, which never saw them, refuses both."""
    with gzip.open(REPO / "tests/data/aeb/heldout.jsonl.gz", "rt", encoding="utf-8") as f:
        bodies = [json.loads(line)["body"] for line in f]
    rules = taggers.topics_with(decision=load_decision())
    learned = taggers.topics(learned=True)
    stray = [b for b in bodies if rules.tag(Document(b))]
    assert len(stray) >= 2
    assert [b[:60] for b in stray if learned.tag(Document(b))] == []


def test_the_shipped_file_loads_and_a_broken_one_names_itself(tmp_path: Path) -> None:
    gate = load_beat_gate()
    assert gate is not None and set(gate.languages) == {"ar", "en"}
    assert "sanctions" in gate.topics
    assert all(0 < g.bar < 1 and g.weights for g in gate.languages.values())
    assert load_beat_gate(tmp_path / "missing.json") is None
    broken = tmp_path / "beat.json"
    broken.write_text('{"languages": {"en": {"bias": 1}}}', encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{broken}.*beat_gate --write"):
        load_beat_gate(broken)


def _item(split: str, publisher: str) -> Item:
    return Item("en", split, publisher, {}, True, set(), set(), 100)


def test_folds_keep_each_dev_batch_whole_and_never_split_a_train_publisher() -> None:
    items = [_item("train", f"p{n % 12}") for n in range(60)]
    items += [_item("fresh9", f"q{n}") for n in range(7)] + [_item("hard", "h") for _ in range(3)]
    got = folds(items)
    assert sorted(n for f in got for n in f) == list(range(len(items)))
    by_split = [{items[n].split for n in f} for f in got]
    assert {"fresh9"} in by_split and {"hard"} in by_split
    train_folds = [f for f, s in zip(got, by_split, strict=True) if s == {"train"}]
    assert len(train_folds) == 5
    owner = {}
    for i, fold in enumerate(train_folds):
        for n in fold:
            assert owner.setdefault(items[n].publisher, i) == i


@pytest.mark.parametrize("gate", [True, False])
def test_ingest_applies_the_gate_setting_and_show_why_prints_its_reason(
    make_config: Callable[..., Path], tmp_path: Path, gate: bool
) -> None:
    config = make_config("" if gate else "[tagging]\nbeat_gate = false\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    (inbox / "summit.txt").write_text(BUSINESS_SUMMIT, encoding="utf-8")
    cli(config, "ingest", str(inbox))
    ((article_id, topics),) = query(config.parent / "monitor.db", "SELECT id, topics FROM articles")
    why = cli(config, "show", str(article_id), "--why").stdout
    if gate:
        assert json.loads(topics) == []
        assert "topic diplomacy_summits refused" in why
        assert "off the beat: the lead reads like no on-beat story" in why
    else:  # one who follows another beat turns it off: the rules and the decision decide
        assert "diplomacy_summits" in json.loads(topics)
        assert "off the beat" not in why
