"""The learned decision reads which topic leads the article (issue 17): a second topic
in a sanctions or exercises story is mostly a passing mention, one beside an arms
transfer mostly not. The file names those features per topic; an older file without
them still loads, and a feature the code does not know is refused with the file named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.models import Match, TopicTag
from monitor.tagging.decide import FEATURES, SHIPPED, STRONGEST, features, load_decision
from monitor.tagging.terms import Document


def _tag(topic: str, score: float) -> TopicTag:
    return TopicTag(topic, score, (Match("x", 1, (0,)),), "")


def test_the_strongest_topic_is_a_feature_of_the_other_tags_only() -> None:
    doc = Document("The Treasury imposed sanctions after the missile test.")
    tags = [_tag("sanctions", 9.0), _tag("nuclear_missile", 4.0)]
    topics = ["sanctions", "nuclear_missile", "space_satellites"]
    second = features(tags[1], 3.0, tags, doc, topics)
    first = features(tags[0], 3.0, tags, doc, topics)
    assert second[len(FEATURES) :] == [1.0, 0.0, 0.0]  # led by sanctions
    assert first[len(FEATURES) :] == [0.0, 0.0, 0.0]  # the leader itself
    assert len(features(tags[1], 3.0, tags, doc)) == len(FEATURES)  # no topics: none


def test_the_shipped_file_weighs_the_leading_topic() -> None:
    decision = load_decision()
    assert decision is not None
    assert len(decision.strongest) == 8
    # and the pairs of topics, and the word score
    assert len(decision.weights) == len(FEATURES) + 8 + 8 * 7 + 1


def test_an_older_file_without_them_still_loads(tmp_path: Path) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    data["features"] = list(FEATURES)
    data["weights"] = data["weights"][: len(FEATURES)]
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    decision = load_decision(path)
    assert decision is not None and decision.strongest == ()


@pytest.mark.parametrize("change", ["unknown feature", "weights short"])
def test_a_file_that_does_not_fit_the_code_names_itself(tmp_path: Path, change: str) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    if change == "unknown feature":
        data["features"] = data["features"] + ["word_count_squared"]
        data["weights"] = data["weights"] + [0.1]
    else:
        data["weights"] = data["weights"][:-1]
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"decision\.json"):
        load_decision(path)
    assert STRONGEST in " ".join(json.loads(SHIPPED.read_text(encoding="utf-8"))["features"])
