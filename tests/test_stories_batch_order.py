"""A batch placed by the stream's rule (`[stories] batch = "stream"`, story_batch.py): the
same stories in every arrival order, and the stories a stream makes when the reports
arrive in the batch's own order (undated first, then by date)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from monitor import pipeline
from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.models import Article
from monitor.store.db import Store
from tests.test_stories import CHAIN_X, CHAIN_Y, CHAIN_Z, Ingest, _grouping, article


def test_a_placed_batch_is_the_stream_in_its_own_order(tmp_path: Path) -> None:
    x = article(CHAIN_X, "x", published="2024-06-19")
    y = article(CHAIN_Y, "y", published="2024-06-17")
    z = article(CHAIN_Z, "z", published="2024-06-18")
    probe = stories_from(StoriesConfig(batch="stream"))
    plan = probe.plan([x, y, z], Store(tmp_path / "probe.db"))
    cut = {a.item.origin: plan.features[id(a.item)].cut for a in (x, y, z)}

    def cos(a: str, b: str) -> float:
        return sum(w * cut[b].get(t, 0.0) for t, w in cut[a].items())

    xy, yz, xz = cos("x", "y"), cos("y", "z"), cos("x", "z")
    bar = (yz + (xy + xz) / 2) / 2  # Y-Z clears it; X with Y and Z together does not
    assert xy > yz > bar > (xy + xz) / 2, (xy, yz, xz)
    # (one day's event off: the three dates are a day apart, and this is about the order)
    config = StoriesConfig(
        similarity=bar, dated_similarity=bar, merge=False, batch="stream", same_day_similarity=0
    )

    def ingest(db: str, order: list[Article], batch: bool) -> list[list[str]]:
        run = Ingest(Store(tmp_path / db))
        run.steps[-1] = pipeline.story_step(stories_from(config), run.store)
        fresh = [replace(a, item=replace(a.item)) for a in order]  # new items, as on arrival
        return _grouping(run.batch(fresh) if batch else [run(a) for a in fresh])

    by_date = ingest("stream.db", [y, z, x], False)
    assert by_date == [["x"], ["y", "z"]]  # Y first: Z joins it, X then meets both
    for k, order in enumerate(itertools.permutations([x, y, z])):
        assert ingest(f"batch{k}.db", list(order), True) == by_date, order


def test_the_seeds_placed_as_a_batch_are_the_labelled_stories_in_any_order() -> None:
    """The seeds through the real file path as one backlog (`monitor ingest seeds/`),
    placed by the stream's rule: the two labelled stories whatever the files' order."""
    from monitor.evaluation.stories import score_seeds

    for order in (0, 7):
        score = score_seeds(extra='[stories]\nbatch = "stream"\n', order=order, backlog=True)
        assert (score.precision, score.recall, score.stories) == (1.0, 1.0, 2), order


def test_a_short_number_tells_two_launches_apart() -> None:
    """Two launches of one state told in the same words but for the missile's number
    (a one-day-apart undated report has nothing else to go on): the numbers are terms."""
    from monitor.term_forms import terms

    fifteen = terms("North Korea launched a Hwasong-15 missile")
    seventeen = terms("North Korea launched a Hwasong-17 missile")
    assert fifteen != seventeen
    assert "15" in fifteen and "17" in seventeen
