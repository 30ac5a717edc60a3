"""Stories and near-duplicates through the real service and CLI: one alert per event."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path

from conftest import GOLD
from running import Daemon, cli, query, wait_for


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


def _grouped(db: Path) -> list[list[str]]:
    found: dict[str, set[str]] = {}
    for origin, story in query(db, "SELECT origin, story FROM articles"):
        found.setdefault(story, set()).add(Path(origin).name)
    return sorted(map(sorted, found.values()))


def _labelled() -> list[list[str]]:
    return sorted(map(sorted, json.loads(GOLD.read_text(encoding="utf-8"))["stories"].values()))


def test_stories_on_the_seeds_are_as_labelled(seeded: Path) -> None:
    config = seeded
    assert _grouped(config.parent / "monitor.db") == _labelled()


def test_the_daemon_started_on_the_seeds_groups_them_as_labelled(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    """The README's first command: `monitor run` on a folder that already holds them."""
    config = make_config()
    daemon = Daemon(config)
    try:
        daemon.wait_event("watching")
        db = config.parent / "monitor.db"
        wait_for(lambda: len(query(db, "SELECT id FROM articles")) == 5, "the seeds stored")
        assert _grouped(db) == _labelled()
    finally:
        assert daemon.stop(signal.SIGTERM) == 0


def test_a_small_batch_size_stores_every_input(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    """Batches of two, cut while reading and at the end: every seed is stored once,
    none is lost at a batch's edge."""
    config = make_config("[pipeline]\nbatch = 2\nworkers = 0\n")
    cli(config, "ingest", str(inbox_with_seeds))
    rows = query(config.parent / "monitor.db", "SELECT origin FROM articles")
    names = sorted(p.name for p in inbox_with_seeds.iterdir())
    assert sorted(Path(o).name for (o,) in rows) == names
