"""Stories and near-duplicates through the real service and CLI: one alert per event."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOLD
from running import cli, query


def test_a_republished_copy_is_stored_as_a_copy_and_raises_no_alert(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    inbox = tmp_path / "inbox"
    text = seeds[2].read_text(encoding="utf-8")
    (inbox / "original.txt").write_text(text, encoding="utf-8")
    cli(config, "ingest", str(inbox / "original.txt"))
    before = query(tmp_path / "monitor.db", "SELECT count(*) FROM alerts")[0][0]
    (inbox / "mirror.txt").write_bytes(
        ("موقع الأخبار | الرئيسية\n" + text[: int(len(text) * 0.6)]).encode("utf-16")
    )
    out = cli(config, "ingest", str(inbox / "mirror.txt")).stdout
    assert "1 duplicate" in out
    ((copy_of, similarity, story),) = query(
        tmp_path / "monitor.db",
        "SELECT duplicate_of, similarity, story FROM articles WHERE origin LIKE '%mirror.txt'",
    )
    assert copy_of == 1 and 0.9 <= similarity <= 1
    assert query(tmp_path / "monitor.db", "SELECT count(*) FROM alerts")[0][0] == before
    # The copy sits in its original's story, and both `show` and `story` say so.
    assert story == query(tmp_path / "monitor.db", "SELECT story FROM articles WHERE id = 1")[0][0]
    shown = cli(config, "show", "1").stdout
    assert "copy" in shown and "mirror.txt" in shown and story in shown
    listed = json.loads(cli(config, "story", story, "--json").stdout)
    assert [m["duplicate_of"] for m in listed["members"]] == [None, 1]
    assert listed["copies"] == 1


def test_the_first_article_of_a_story_alerts_as_new_later_ones_follow_the_setting(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    """With updates = "silent", a story alerts once however many reports follow."""
    config = make_config('[stories]\nupdates = "silent"\n')
    cli(config, "ingest", str(inbox_with_seeds))
    db = config.parent / "monitor.db"
    stories = query(db, "SELECT count(DISTINCT story) FROM articles")[0][0]
    alerts = query(db, "SELECT kind, story FROM alerts ORDER BY id")
    assert {kind for kind, _ in alerts} == {"new_story"}
    assert len(alerts) == len({s for _, s in alerts}) == stories
    listed = [json.loads(line) for line in cli(config, "stories", "--json").stdout.splitlines()]
    assert sum(r["articles"] for r in listed) == 5


@pytest.mark.xfail(
    strict=True,
    reason="not met yet: the five seeds form a chain (000-001 share people, 001-002 the "
    "munitions background, 002-003 the Pyongyang visit) and all but one are undated; in "
    "file order they split 2 stories the wrong way (python -m monitor.evaluate_stories)",
)
def test_stories_on_the_seeds_are_as_labelled(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    config = make_config()
    cli(config, "ingest", str(inbox_with_seeds))
    rows = query(config.parent / "monitor.db", "SELECT origin, story FROM articles")
    found: dict[str, set[str]] = {}
    for origin, story in rows:
        found.setdefault(story, set()).add(Path(origin).name)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["stories"]
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, gold.values()))
