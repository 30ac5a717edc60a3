"""The label-agreement measure (monitor/evaluation/agreement.py) and the second labels."""

from __future__ import annotations

import json

import pytest

from monitor.evaluation.agreement import (
    SAMPLED_SPLITS,
    SECOND,
    agreement,
    cohen_kappa,
    read_second,
)
from monitor.evaluation.loaders import LabelsError
from monitor.evaluation.real_news import read_real
from monitor.tagging.taxonomy import load_taxonomy

TOPICS = ["a", "b", "c"]


def test_kappa_is_one_for_identical_calls_and_zero_at_chance() -> None:
    assert cohen_kappa([(True, True), (False, False), (True, True)]) == 1.0
    # each labeller says yes half the time, independently: agreement is chance's
    calls = [(True, True), (True, False), (False, True), (False, False)]
    assert cohen_kappa(calls) == pytest.approx(0.0)


def test_kappa_worked_example() -> None:
    # observed 3 of 4; chance (2*1 + 2*3) / 16 = 0.5; kappa (0.75 - 0.5) / 0.5
    calls = [(True, True), (True, False), (False, False), (False, False)]
    assert cohen_kappa(calls) == pytest.approx(0.5)


def test_agreement_counts_the_second_against_the_first() -> None:
    first = {"x": ["a"], "y": [], "z": ["a", "b"]}
    second = {"x": ["a", "c"], "y": [], "z": ["b"]}
    got = agreement(first, second, TOPICS)
    assert (got.topics.tp, got.topics.fp, got.topics.fn) == (2, 1, 1)
    assert got.kind_agree == 3 and got.same_topics == 1
    assert [d[0] for d in got.disagreements] == ["x", "z"]
    assert got.kappa < 1.0


def test_agreement_names_excerpts_the_first_lacks() -> None:
    with pytest.raises(LabelsError, match="nope"):
        agreement({"x": []}, {"nope": []}, TOPICS)


def test_read_second_refuses_a_kind_that_contradicts_the_topics(tmp_path) -> None:
    path = tmp_path / "second.jsonl"
    record = {"id": "ren-1", "lang": "en", "topics": ["sanctions"], "kind": "offbeat"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(LabelsError, match="line 1"):
        read_second(path)


@pytest.mark.skipif(not SECOND.exists(), reason="the second labels are not in this checkout")
def test_the_second_labels_cover_dev_excerpts_and_agree_as_documented() -> None:
    second = read_second()
    real = {i["id"]: i for i in read_real()}
    topics = set(load_taxonomy().topic_ids())
    assert {s["lang"] for s in second} == {"ar", "en"}
    for s in second:
        assert real[s["id"]]["split"] in SAMPLED_SPLITS  # never an unseen split
        assert real[s["id"]]["lang"] == s["lang"]
        assert set(s["topics"]) <= topics
    for lang in ("ar", "en"):
        mine = [s for s in second if s["lang"] == lang]
        got = agreement(
            {s["id"]: real[s["id"]]["topics"] for s in mine},
            {s["id"]: s["topics"] for s in mine},
            topics,
        )
        # docs/evaluation.md: F1 0.988 (ar) and 0.984 (en), kappa 0.986 and 0.982
        assert got.topics.f1 >= 0.95 and got.kappa >= 0.95
