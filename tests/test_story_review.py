"""Story review (monitor/story_review.py): a story grouped again as a batch each time it
grows, and a separate event split off with its own new-story alert.

In-process: the real service (pipeline, writer, rules and outbox tables) on a real store,
fed the seed files one at a time, each stored before the next, in orders other than the one
tests/test_stories_stream.py drops into a running daemon.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOLD

from monitor.config import load
from monitor.service import Service

# The third order (000 002 003 004 001) and one where the 2024 visit's reports
# arrive between the 2023 visit's.
ORDERS = [("000", "002", "003", "004", "001"), ("003", "000", "004", "001", "002")]


def _labelled() -> list[list[str]]:
    stories = json.loads(GOLD.read_text(encoding="utf-8"))["stories"]
    return sorted(sorted(names) for names in stories.values())


def _stream(config: Path, seeds: list[Path], order: tuple[str, ...]) -> Service:
    service = Service.build(load(config))
    by_prefix = {seed.name[:3]: seed for seed in seeds}
    for prefix in order:
        service.process_file(by_prefix[prefix])
    return service


def _grouped(service: Service) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    rows = service.store.db.execute("SELECT origin, story FROM articles ORDER BY id").fetchall()
    for origin, story in rows:
        out.setdefault(story, []).append(Path(origin).name)
    return out


@pytest.mark.parametrize(
    ("order", "updates"), [(ORDERS[0], "silent"), (ORDERS[1], "silent"), (ORDERS[1], "alert")]
)
def test_seeds_one_at_a_time_give_the_labelled_stories_and_one_new_story_alert_each(
    make_config: Callable[..., Path], seeds: list[Path], order: tuple[str, ...], updates: str
) -> None:
    """With `updates = "alert"` (and no cooldown) the report that is split off raised an
    update alert for the story it was put in first: its new-story alert is queued all the
    same (another alert key)."""
    config = make_config(f'[stories]\nupdates = "{updates}"\ncooldown_minutes = 0\n')
    service = _stream(config, seeds, order)
    try:
        grouped = _grouped(service)
        db = service.store.db
        new = [s for (s,) in db.execute("SELECT story FROM alerts WHERE kind = 'new_story'")]
        assert sorted(new) == sorted(grouped)
        assert sorted(sorted(names) for names in grouped.values()) == _labelled()
        updated = {
            a for (a,) in db.execute("SELECT article_id FROM alerts WHERE kind != 'new_story'")
        }
        (split,) = [
            json.loads(p)
            for (p,) in db.execute("SELECT payload FROM alerts WHERE kind = 'new_story'")
            if "split_from" in json.loads(p)
        ]
        parent = split["split_from"]
        assert parent in grouped and parent != split["story"]
        assert split["reason"] == f"split from story {parent}: a separate event"
        # The split-off story's alert is raised by its earliest report.
        (first,) = db.execute(
            "SELECT min(id) FROM articles WHERE story = ?", [split["story"]]
        ).fetchone()
        assert split["article_id"] == first
        # With update alerts on, that report raised one when it joined the first story.
        assert (first in updated) == (updates == "alert")
        assert updated if updates == "alert" else not updated
    finally:
        service.close()


def test_after_a_split_each_story_row_describes_its_own_members(
    make_config: Callable[..., Path], seeds: list[Path]
) -> None:
    """Counts, dates and keys follow the moved reports, so the next report of either event
    finds its own story; `monitor stories` shows the right counts."""
    service = _stream(make_config(), seeds, ORDERS[0])
    try:
        db = service.store.db
        rows = db.execute("SELECT id, articles, copies, terms FROM stories").fetchall()
        assert len(rows) == 2
        for story, articles, copies, terms in rows:
            members = db.execute(
                "SELECT count(*) FROM articles WHERE story = ? AND duplicate_of IS NULL", [story]
            ).fetchone()[0]
            assert (articles, copies) == (members, 0)
            assert json.loads(terms)
            keys = db.execute("SELECT count(*) FROM story_keys WHERE story = ?", [story])
            assert keys.fetchone()[0] > 0
    finally:
        service.close()


def test_with_the_review_off_the_stream_keeps_one_story(
    make_config: Callable[..., Path], seeds: list[Path]
) -> None:
    """`[stories] review = false`: stories only grow, as before the review (the known
    limit it lifts)."""
    service = _stream(make_config("[stories]\nreview = false\n"), seeds, ORDERS[0])
    try:
        assert len(_grouped(service)) == 1
    finally:
        service.close()
