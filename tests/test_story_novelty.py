"""Novelty of names (monitor/novelty.py): a report without dates to go on joins a story at
the lower `novel_similarity` bar only when the story already has its names.

The share itself on small vectors, the batch's pairwise form, and the effect on a real
stream: the real story set's dev split, in-process, through the real pipeline and store.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from monitor.evaluation.stories import DATA, _item, _settings, named_sets
from monitor.novelty import name_novelty, pair_novelty
from monitor.service import Service
from monitor.story_model import Features

REAL = DATA / "real.jsonl"


def _member(cut: dict[str, float]) -> Features:
    return Features(cut=cut, entities=frozenset(), vocabulary=(), keys=(), date=None, seen="")


def test_novelty_is_the_share_of_name_weight_the_story_never_had() -> None:
    story = {"@Kim Jong Un": 1.0, "@Russia": 1.0, "summit": 2.0}
    same = _member({"@Kim Jong Un": 0.5, "@Russia": 0.5, "visit": 0.7})
    new = _member({"@Kim Jong Un": 0.2, "@Andrei Belousov": 0.6, "summit": 0.5})
    assert name_novelty([same], story) == 0.0
    assert name_novelty([new], story) == pytest.approx(0.75)  # words do not count
    assert name_novelty([same, new], story) == pytest.approx(0.6 / 1.8)
    assert name_novelty([_member({"summit": 1.0})], story) == 1.0  # no names: no evidence


def test_in_a_batch_the_smaller_group_is_measured_against_the_larger() -> None:
    # columns: Kim, Russia, Belousov; group 0 has two members, groups 1 and 2 one each
    weights = np.array([[1.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]])
    size = np.array([2.0, 1.0, 1.0])
    assert pair_novelty(weights, 0, size)[1] == pytest.approx(0.5)  # group 1's Belousov
    assert pair_novelty(weights, 1, size)[0] == pytest.approx(0.5)  # the same either way
    assert pair_novelty(weights, 0, size)[2] == 0.0
    # equal sizes: the higher of the two ways (group 1 brings Belousov, group 2 Russia)
    assert pair_novelty(weights, 1, size)[2] == pytest.approx(0.5)


@pytest.mark.skipif(not REAL.exists(), reason="tests/data/stories/real.jsonl is absent")
def test_undated_reports_that_name_nothing_new_join_their_event(tmp_path: Path) -> None:
    """The real dev split as a stream in one random order: the three undated Arabic reports
    of the February 2016 emergency meeting (cosine under 0.55 with the English reports'
    story, names all in it) stayed a story of their own before the lower bar."""
    (records,) = [r for name, r in named_sets([REAL]) if name.endswith(" dev")]
    # The split as it was when this case was found (r-001 to r-181): the articles added
    # later (look-alike sanctions packages and launches) change what a shuffle puts first.
    records = [r for r in records if int(r["id"][2:]) <= 181]
    random.Random(0).shuffle(records)
    # With the event concepts' lower bar (concept_similarity, event_lexicon.py) one report
    # of this meeting joins the 2017 meeting's story in this order (docs/stories.md): the
    # rule held here is the novelty bar's, so that one is off.
    service = Service.build(_settings(tmp_path, "[stories]\nconcept_similarity = 0\n"))
    try:
        for record in records:
            service.process_item(_item(record))
        story = dict(service.store.db.execute("SELECT origin, story FROM articles").fetchall())
    finally:
        service.close()
    slug = "unsc-emergency-meeting-nk-rocket-2016-02"
    members = [r["id"] for r in records if r["event"] == slug]
    assert len({story[m] for m in members}) == 1
    assert {r["event"] for r in records if story[r["id"]] == story[members[0]]} == {slug}
