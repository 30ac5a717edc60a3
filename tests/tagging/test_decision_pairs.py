"""The learned decision reads which topic leads the article AND which topic the tag is
(issue 17): a nuclear test beside a Security Council meeting is the story, a weapons
programme named in a sanctions notice mostly is not. The file names one feature per
ordered pair of topics; a file without them still loads, one with a wrong list names itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.models import Match, TopicTag
from monitor.tagging.decide import (
    FEATURES,
    SHIPPED,
    STRONGEST,
    features,
    load_decision,
    pair_names,
)
from monitor.tagging.terms import Document

TOPICS = ["sanctions", "nuclear_missile", "un_security_council"]


def _tag(topic: str, score: float) -> TopicTag:
    return TopicTag(topic, score, (Match("x", 1, (0,)),), "")


def test_the_pair_of_leader_and_tag_is_one_feature() -> None:
    doc = Document("The Treasury imposed sanctions after the missile test.")
    tags = [_tag("sanctions", 9.0), _tag("nuclear_missile", 4.0)]
    x = features(tags[1], 3.0, tags, doc, TOPICS, pairs=True)
    pairs = x[len(FEATURES) + len(TOPICS) :]
    names = pair_names(TOPICS)
    assert len(pairs) == len(names) == 6
    assert [n for n, v in zip(names, pairs, strict=True) if v] == ["pair:sanctions>nuclear_missile"]
    leader = features(tags[0], 3.0, tags, doc, TOPICS, pairs=True)
    assert not any(leader[len(FEATURES) + len(TOPICS) :])  # the leader pairs with nothing


def _file(tmp_path: Path, pair_weight: float) -> Path:
    """A decision that knows only one thing: a nuclear tag under a sanctions lead is weak."""
    names = list(FEATURES) + [STRONGEST + t for t in TOPICS] + pair_names(TOPICS)
    weights = [0.0] * len(names)
    weights[names.index("pair:sanctions>nuclear_missile")] = pair_weight
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    data.update(
        features=names,
        weights=weights,
        bias={t: 1.0 for t in TOPICS},
        threshold={"ar": 0.5, "en": 0.5},
        top_threshold={"ar": 0.1, "en": 0.1},
    )
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_decision_refuses_by_the_pair(tmp_path: Path) -> None:
    decision = load_decision(_file(tmp_path, -5.0))
    assert decision is not None and decision.pairs
    doc = Document("The Treasury imposed sanctions on a firm; the Council met on the test.")
    thresholds = dict.fromkeys(TOPICS, 3.0)
    led_by_sanctions = [_tag("sanctions", 9.0), _tag("nuclear_missile", 4.0)]
    kept, refused = decision.review(led_by_sanctions, thresholds, doc)
    assert [t.topic for t in kept] == ["sanctions"]
    assert [r.topic for r in refused] == ["nuclear_missile"] and "p=" in refused[0].reason
    led_by_council = [_tag("un_security_council", 9.0), _tag("nuclear_missile", 4.0)]
    kept, refused = decision.review(led_by_council, thresholds, doc)
    assert [t.topic for t in kept] == ["un_security_council", "nuclear_missile"] and not refused


def test_a_file_with_a_wrong_pair_list_names_itself(tmp_path: Path) -> None:
    path = _file(tmp_path, -5.0)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = [*data["features"][:-1], "pair:sanctions>sanctions"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"decision\.json.*pair:"):
        load_decision(path)


def test_a_file_without_pairs_still_loads(tmp_path: Path) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("languages", None)  # a file of one shared model
    n = len(FEATURES) + len(data["bias"])
    data["features"], data["weights"] = data["features"][:n], data["weights"][:n]
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    decision = load_decision(path)
    assert decision is not None and not decision.pairs and len(decision.strongest) == 8


def test_a_refusal_shows_the_bar_as_written(tmp_path: Path) -> None:
    # Bars come from a grid by 0.025: "p=0.57 < 0.57" would not read.
    path = _file(tmp_path, -5.0)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["threshold"] = {"ar": 0.575, "en": 0.575}
    path.write_text(json.dumps(data), encoding="utf-8")
    decision = load_decision(path)
    assert decision is not None
    tags = [_tag("sanctions", 9.0), _tag("nuclear_missile", 4.0)]
    _kept, refused = decision.review(tags, dict.fromkeys(TOPICS, 3.0), Document("The notice."))
    assert "< 0.575 (" in refused[0].reason
