"""Quality floors for tagging, checked on every run (as trafilatura gates its CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
import taggers

from monitor.evaluation.tagging import Taggers, evaluate_passages, evaluate_seeds

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests/data/gold/seeds.json"
PASSAGES = REPO / "tests/data/tagging/passages.jsonl"
# The rules alone, on the development set they were tuned on. The learned decision follows
# the real-news labels (tests/tagging/test_real_news.py), which call ballistic missiles
# delivered to Moscow an arms transfer only; two passages here label them nuclear_missile
# too, so with it English recall is 0.885 on this set.


def daemon_taggers() -> Taggers:
    """As the daemon tags: rules, then the learned decision (decide.py)."""
    return Taggers(taggers.topics(learned=True), taggers.entities())


def rules_taggers() -> Taggers:
    return Taggers(taggers.topics(), taggers.entities())


def test_seeds_every_must_topic_and_entity_and_nothing_outside_may() -> None:
    results = evaluate_seeds(GOLD, REPO / "seeds", daemon_taggers())
    assert len(results) == 5
    for r in results:
        assert r.missing_topics == [], r.file
        assert r.extra_topics == [], r.file
        assert r.missing_entities == [], r.file


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_own_passages_precision_and_recall_per_language(lang: str) -> None:
    report = evaluate_passages(PASSAGES, rules_taggers())
    topics = report.topics[lang]
    assert topics.tp + topics.fn >= 20, "too few labelled topics to measure"
    assert topics.precision >= 0.9 and topics.recall >= 0.9, report.errors
    entities = report.entities[lang]
    assert entities.precision >= 0.9 and entities.recall >= 0.9


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_heldout_passages_do_not_regress(lang: str) -> None:
    # Written blind to the rules and never tuned on: these floors guard against a change
    # that trades general quality for the development set. They are the values measured
    # when the set arrived, rounded down, not the 0.9 the development set must reach.
    report = evaluate_passages(REPO / "tests/data/tagging/heldout.jsonl", daemon_taggers())
    topics = report.topics[lang]
    assert topics.precision >= 0.7 and topics.recall >= 0.65, report.errors


def test_the_report_sets_the_unseen_batches_beside_the_test_split(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make eval` prints the new publishers' unseen batches beside the test split, which
    has been read after every round and flatters (docs/tagging.md, "What we learned"), then
    the older batches the decision's bars are chosen on."""
    from monitor.evaluation import tagging

    monkeypatch.setattr("sys.argv", ["tagging"])
    tagging.main()
    out = capsys.readouterr().out.splitlines()
    titles = [line.split("(")[1].split(" split")[0] for line in out if line.startswith("real news")]
    assert titles == ["test", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh4", "fresh6", "fresh8", "fresh10",
                      "fresh11", "fresh12", "fresh14", "fresh15", "fresh16"]  # fmt: skip
    # each batch reports both languages
    assert sum(line.startswith("  ar (") for line in out) >= 3
    assert sum(line.startswith("  en (") for line in out) >= 3
