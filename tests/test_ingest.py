"""`monitor ingest` and the commands that read the store, run as real processes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from running import alert_lines, cli, query

CONTRACT = {
    "id",
    "origin",
    "title",
    "text",
    "language",
    "published",
    "source",
    "topics",
    "entities",
    "duplicate_of",
    "story",
}


def test_seeds_give_five_articles_and_a_second_run_adds_none(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    config = make_config()
    first = cli(config, "ingest", str(inbox_with_seeds))
    assert "5 new, 0 duplicate, 0 failed" in first.stdout
    second = cli(config, "ingest", str(inbox_with_seeds))
    assert "0 new, 0 duplicate, 0 failed, 5 unchanged" in second.stdout
    db = config.parent / "monitor.db"
    assert query(db, "SELECT count(*) FROM articles") == [(5,)]
    # Raw input is kept byte for byte, so any article can be re-processed.
    for origin, content in query(
        db, "SELECT a.origin, r.content FROM articles a JOIN raw r ON r.sha256 = a.raw_sha256"
    ):
        assert Path(origin).read_bytes() == content


def test_export_jsonl_follows_the_contract(seeded: Path) -> None:
    config = seeded
    rows = [
        json.loads(line) for line in cli(config, "export", "--format", "jsonl").stdout.splitlines()
    ]
    assert len(rows) == 5
    for row in rows:
        assert set(row) >= CONTRACT
        assert isinstance(row["id"], int)
        assert Path(row["origin"]).parent.name == "inbox" and Path(row["origin"]).is_file()
        assert row["text"].strip()
        assert row["language"] == "ar"
        assert isinstance(row["topics"], list) and isinstance(row["entities"], list)
        assert row["duplicate_of"] is None
        assert row["published"] is None or len(row["published"]) == 10


def test_export_csv_has_the_contract_columns(seeded: Path) -> None:
    config = seeded
    out = cli(config, "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    assert set(rows[0]) == CONTRACT


def test_a_copy_under_another_name_is_a_duplicate_and_does_not_alert(
    seeded: Path, seeds: list[Path]
) -> None:
    config = seeded
    inbox = config.parent / "inbox"
    alerts_before = alert_lines(config.parent / "alerts.jsonl")
    # Same article re-saved: different line wrapping and trailing spaces.
    copy = inbox / "copy of seed.txt"
    copy.write_text(seeds[1].read_text(encoding="utf-8").replace("\n", "  \n\n"), encoding="utf-8")
    out = cli(config, "ingest", str(copy)).stdout
    assert "0 new, 1 duplicate" in out
    rows = {r["origin"]: r for r in map(json.loads, cli(config, "export").stdout.splitlines())}
    [original] = [r for o, r in rows.items() if Path(o).name == seeds[1].name]
    assert rows[str(copy)]["duplicate_of"] == original["id"]
    assert alert_lines(config.parent / "alerts.jsonl") == alerts_before


def test_a_changed_file_is_processed_again(
    make_config: Callable[..., Path], inbox_with_seeds: Path, seeds: list[Path]
) -> None:
    config = make_config()
    target = inbox_with_seeds / seeds[0].name
    cli(config, "ingest", str(target))
    target.write_text(
        target.read_text(encoding="utf-8")
        + "\nوأضاف المتحدث أن المحادثات ستستمر الأسبوع المقبل في العاصمة.\n",
        encoding="utf-8",
    )
    alerts = alert_lines(config.parent / "alerts.jsonl")
    # Processed again, and stored: as a revision of its first version (one line added),
    # which replaces it under the same id and raises no second alert (docs/revisions.md).
    out = cli(config, "ingest", str(target)).stdout
    assert "0 unchanged" in out and "0 duplicate" in out and "1 revised" in out
    assert alert_lines(config.parent / "alerts.jsonl") == alerts


def test_bad_inputs_each_get_a_recorded_outcome(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    folder = tmp_path / "inbox"
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50)
    arabic = seeds[2].read_text(encoding="utf-8")
    (folder / "cp1256.txt").write_bytes(arabic.encode("cp1256", errors="replace"))
    with (folder / "huge.txt").open("w", encoding="utf-8") as fh:
        line = "The committee met again on Monday to discuss the budget.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    out = cli(config, "ingest", str(folder))
    assert "1 new, 0 duplicate, 3 failed" in out.stdout
    reasons = dict(query(config.parent / "monitor.db", "SELECT origin, reason FROM failures"))
    assert "empty" in reasons[str(folder / "empty.txt")]
    assert "PNG" in reasons[str(folder / "photo.txt")]
    assert "max_file_mb" in reasons[str(folder / "huge.txt")]
    [(text, encoding)] = query(config.parent / "monitor.db", "SELECT text, encoding FROM articles")
    assert encoding == "cp1256"
    assert "كوريا" in text
    listing = cli(config, "failures").stdout
    assert "empty.txt" in listing and "huge.txt" in listing


def test_search_folds_marks_and_letter_forms(seeded: Path) -> None:
    config = seeded
    plain = cli(config, "search", "--json", "بيونغ").stdout.splitlines()
    marked = cli(config, "search", "--json", "بِيُونْغ").stdout.splitlines()
    assert plain and plain == marked
    assert cli(config, "search", "--json", "xyzzy-nothing").stdout == ""


def test_alerts_command_prints_the_log(seeded: Path) -> None:
    config = seeded
    logged = alert_lines(config.parent / "alerts.jsonl")
    assert logged, "the seeds are on the monitored beat: some must alert"
    for alert in logged:
        assert {"at", "rule", "article_id", "title", "topics", "origin"} <= set(alert)
        assert alert["topics"]
    printed = cli(config, "alerts").stdout.splitlines()
    assert len(printed) == len(logged)
    for alert, line in zip(logged, printed, strict=True):
        # an untitled article is listed by the first words of its body, not a bare
        # "(no title)" (text/headline.py)
        first = (alert["title"] or alert["snippet"]).split()[0]
        assert first in line, line
    as_json = [json.loads(line) for line in cli(config, "alerts", "--json").stdout.splitlines()]
    assert as_json == logged


def test_check_config_reports_errors_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[store]\npaht = 'x.db'\n", encoding="utf-8")
    result = cli(bad, "check-config", check=False)
    assert result.returncode == 2
    assert "store.paht" in result.stderr and "did you mean 'path'" in result.stderr


def test_check_config_accepts_the_shipped_config() -> None:
    repo = Path(__file__).resolve().parents[1]
    assert "OK" in cli(repo / "config.toml", "check-config").stdout


def test_ingest_skips_hidden_and_temporary_files(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    folder = tmp_path / "inbox"
    for name in (".hidden.txt", "download.part", "draft.txt~", "x.tmp"):
        shutil.copy(seeds[0], folder / name)
    result = cli(config, "ingest", str(folder), check=False)
    assert "(0 files)" in result.stdout
    # A folder that held nothing to read is said so, with why (issue 14).
    assert result.returncode == 1 and "3 temporary name" in result.stderr
