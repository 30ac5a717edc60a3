"""The real `monitor run` process, a real watchdog observer, real files and a real store."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from running import Daemon, alert_lines, query, wait_for

from monitor.extract.clean import clean_text


@pytest.fixture
def daemon(make_config: Callable[..., Path]):  # type: ignore[no-untyped-def]
    started: list[Daemon] = []

    def start() -> Daemon:
        d = Daemon(make_config())
        started.append(d)
        d.wait_event("watching")
        return d

    yield start
    for d in started:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()


def articles(tmp_path: Path) -> dict[str, int]:
    return dict(query(tmp_path / "monitor.db", "SELECT origin, id FROM articles"))


def test_copied_and_moved_files_are_stored_and_alerted(
    daemon: Callable[[], Daemon], tmp_path: Path, seeds: list[Path]
) -> None:
    d = daemon()
    inbox = tmp_path / "inbox"
    shutil.copy(seeds[1], inbox / "copied.txt")  # a seed with an Arabic headline
    outside = tmp_path / "outside.txt"
    shutil.copy(seeds[3], outside)
    os.rename(outside, inbox / "moved.txt")
    wait_for(lambda: len(articles(tmp_path)) == 2, "both files in the store")
    stored = articles(tmp_path)
    assert set(stored) == {str(inbox / "copied.txt"), str(inbox / "moved.txt")}
    logged = wait_for(lambda: alert_lines(tmp_path / "alerts.jsonl"), "alerts")
    assert {a["article_id"] for a in logged} <= set(stored.values())

    # The log is JSON lines (stdout is no terminal here), with Arabic left readable.
    # (the rows are committed before their log lines reach the reader thread: wait for them)
    def stored_events_now() -> list[dict]:
        return [e for e in d.events() if e.get("event") == "article stored"]

    wait_for(lambda: len(stored_events_now()) >= 2, "both 'article stored' log lines")
    stored_events = stored_events_now()
    assert len(stored_events) == 2
    titles = [e["title"] for e in stored_events if e["title"]]
    assert titles and all(t in "".join(d.lines) for t in titles)  # not \u-escaped
    assert d.stop(signal.SIGTERM) == 0


def test_a_file_written_slowly_is_read_once_complete(
    daemon: Callable[[], Daemon], tmp_path: Path, seeds: list[Path]
) -> None:
    d = daemon()
    text = seeds[1].read_text(encoding="utf-8")
    half = len(text) // 2
    target = tmp_path / "inbox" / "slow.txt"
    with target.open("w", encoding="utf-8") as fh:
        fh.write(text[:half])
        fh.flush()
        time.sleep(1.5)  # longer than settle_seconds: a pause, not the end
        fh.write(text[half:])
    wait_for(lambda: articles(tmp_path), "the article")
    time.sleep(1.0)  # give a wrong second processing the chance to happen
    rows = query(tmp_path / "monitor.db", "SELECT text FROM articles")
    assert len(rows) == 1
    # The file's last line repeats its headline (boilerplate): the last body line is the
    # last line the cleaner keeps, and it is in the second half written.
    last_line = clean_text(text).body.splitlines()[-1].strip()
    assert text.index(last_line) > half
    assert rows[0][0].rstrip().endswith(last_line[-30:])
    assert d.stop() == 0


def test_bad_files_are_recorded_and_the_daemon_goes_on(
    daemon: Callable[[], Daemon], tmp_path: Path, seeds: list[Path]
) -> None:
    d = daemon()
    inbox = tmp_path / "inbox"
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 100)
    (inbox / "cp1256.txt").write_bytes(
        seeds[4].read_text(encoding="utf-8").encode("cp1256", "replace")
    )
    with (inbox / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB
    wait_for(
        lambda: len(query(tmp_path / "monitor.db", "SELECT id FROM failures")) == 3,
        "three recorded failures",
    )
    wait_for(lambda: articles(tmp_path), "the cp1256 article")
    latin1_name = os.fsencode(inbox) + b"/r\xe9sum\xe9.txt"  # not valid UTF-8
    with open(latin1_name, "wb") as fh:
        fh.write(seeds[3].read_bytes())
    wait_for(lambda: any("r\\xe9sum" in o for o in articles(tmp_path)), "the latin-1 named file")
    shutil.copy(seeds[0], inbox / "مقال جديد (نسخة).txt")
    wait_for(
        lambda: str(inbox / "مقال جديد (نسخة).txt") in articles(tmp_path), "an Arabic file name"
    )
    shutil.copy(seeds[0], inbox / "after.txt")
    wait_for(lambda: str(inbox / "after.txt") in articles(tmp_path), "a good file after bad ones")
    assert d.proc.poll() is None
    assert d.stop() == 0


def test_sigterm_exits_0_and_a_restart_reprocesses_nothing(
    daemon: Callable[[], Daemon], tmp_path: Path, seeds: list[Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in seeds:
        shutil.copy(seed, inbox / seed.name)
    d = daemon()  # files present at start are found by the start-up scan
    wait_for(lambda: len(articles(tmp_path)) == len(seeds), "all seeds stored")
    db = tmp_path / "monitor.db"
    # The alert log is written by the outbox after the articles' transactions: read it
    # once every alert of the seeds has been delivered, not while some are on their way.
    wait_for(
        lambda: (
            query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)]
            and query(db, "SELECT count(*) FROM alerts")[0][0] > 0
        ),
        "the seeds' alerts delivered",
    )
    alerts_before = alert_lines(tmp_path / "alerts.jsonl")
    assert alerts_before  # the seeds are on the beat
    assert d.stop(signal.SIGTERM) == 0
    assert query(tmp_path / "monitor.db", "PRAGMA integrity_check") == [("ok",)]

    shutil.copy(seeds[0], inbox / "while-down.txt")  # arrives while the daemon is down
    d2 = daemon()
    wait_for(
        lambda: str(inbox / "while-down.txt") in articles(tmp_path), "the file dropped while down"
    )
    time.sleep(1.0)
    assert len(articles(tmp_path)) == len(seeds) + 1
    assert alert_lines(tmp_path / "alerts.jsonl") == alerts_before  # the copy is a duplicate
    assert d2.stop(signal.SIGINT) == 0
