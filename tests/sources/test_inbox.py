"""The inbox with a real watchdog observer on real folders."""

from __future__ import annotations

import os
import time
from pathlib import Path

from running import wait_for

from monitor.config import InboxConfig
from monitor.sources.inbox import Inbox, kind_of


def make(tmp_path: Path, **kw: object) -> Inbox:
    folder = tmp_path / "inbox"
    folder.mkdir(exist_ok=True)
    config = InboxConfig(paths=(folder,), settle_seconds=kw.pop("settle", 0.5), **kw)  # type: ignore[arg-type]
    return Inbox(config, exclude=[folder / "monitor.db", folder / "alerts.jsonl"])


def collect(inbox: Inbox, want: int, timeout: float = 10.0) -> list[Path]:
    got: list[Path] = []

    def poll() -> bool:
        inbox.drain_events(timeout=0.05)
        got.extend(inbox.ready())
        return len(got) >= want

    wait_for(poll, f"{want} ready files", timeout)
    return got


def test_accepts_only_real_article_candidates(tmp_path: Path) -> None:
    inbox = make(tmp_path)
    root = tmp_path / "inbox"
    for name in (
        "a.txt",
        "b.html",
        "note",
        ".hidden.txt",
        "x.tmp",
        "y.part",
        "z.txt~",
        "c.crdownload",
        "monitor.db",
        "monitor.db-wal",
        "alerts.jsonl",
    ):
        (root / name).write_text("x")
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text("x")
    (root / "sub").mkdir()
    (root / "sub" / "deep.txt").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (root / "link.txt").symlink_to(outside)
    names = sorted(p.relative_to(root).as_posix() for p in inbox.scan())
    assert names == ["a.txt", "b.html", "note", "sub/deep.txt"]


def test_kind_follows_the_suffix() -> None:
    assert kind_of(Path("a.HTML")) == "html"
    assert kind_of(Path("a.htm")) == "html"
    assert kind_of(Path("a.txt")) == "text"
    assert kind_of(Path("a")) == "text"


def test_an_old_file_found_by_a_scan_is_ready_at_once(tmp_path: Path) -> None:
    inbox = make(tmp_path, settle=30)
    path = tmp_path / "inbox" / "old.txt"
    path.write_text("old")
    past = time.time() - 3600
    os.utime(path, (past, past))
    inbox.mark(path)
    assert inbox.ready() == [path]
    assert inbox.pending_count == 0


def test_a_fresh_file_found_by_a_scan_waits_until_it_settles(tmp_path: Path) -> None:
    inbox = make(tmp_path, settle=0.4)
    path = tmp_path / "inbox" / "fresh.txt"
    path.write_text("fresh")
    inbox.mark(path)
    assert inbox.ready() == []
    time.sleep(0.5)
    assert inbox.ready() == [path]


def test_a_written_and_closed_file_is_ready_once_quiet_for_settle(tmp_path: Path) -> None:
    # A close alone is no proof of the end: a writer may reopen it to append (issue 14).
    inbox = make(tmp_path, settle=3)
    inbox.start()
    try:
        path = tmp_path / "inbox" / "new.txt"
        path.write_text("content")
        wait_for(lambda: inbox.drain_events(0.05) or inbox.pending_count, "its events")
        assert inbox.ready() == []
        assert collect(inbox, 1, timeout=30) == [path]
    finally:
        inbox.stop()


def test_a_file_moved_in_from_elsewhere_is_ready(tmp_path: Path) -> None:
    # inotify reports only "created" for it; its old mtime says it was finished long ago.
    inbox = make(tmp_path, settle=30)
    inbox.start()
    try:
        staging = tmp_path / "staging.txt"
        staging.write_text("content")
        past = time.time() - 600
        os.utime(staging, (past, past))
        os.rename(staging, tmp_path / "inbox" / "moved.txt")
        assert collect(inbox, 1) == [tmp_path / "inbox" / "moved.txt"]
    finally:
        inbox.stop()


def test_a_folder_moved_in_brings_its_files(tmp_path: Path) -> None:
    inbox = make(tmp_path, settle=0.2)
    staging = tmp_path / "batch"
    staging.mkdir()
    for i in range(3):
        (staging / f"{i}.txt").write_text("x")
    inbox.start()
    try:
        os.rename(staging, tmp_path / "inbox" / "batch")
        got = collect(inbox, 3)
        assert sorted(p.name for p in got) == ["0.txt", "1.txt", "2.txt"]
    finally:
        inbox.stop()


def test_a_file_held_open_by_its_writer_is_not_taken_at_a_pause(tmp_path: Path) -> None:
    inbox = make(tmp_path, settle=0.2)
    inbox.start()
    try:
        path = tmp_path / "inbox" / "slow.txt"
        with path.open("w") as fh:
            fh.write("first half")
            fh.flush()
            deadline = time.monotonic() + 1.0  # five times settle_seconds
            while time.monotonic() < deadline:
                inbox.drain_events(timeout=0.05)
                assert inbox.ready() == [], "taken while its writer still had it open"
            fh.write(" second half")
        assert collect(inbox, 1) == [path]
    finally:
        inbox.stop()


def test_temporary_names_are_ignored_until_renamed(tmp_path: Path) -> None:
    inbox = make(tmp_path, settle=0.2)
    inbox.start()
    try:
        part = tmp_path / "inbox" / "page.html.part"
        part.write_text("<html>")
        time.sleep(0.5)
        inbox.drain_events(timeout=0.05)
        assert inbox.ready() == []
        os.rename(part, tmp_path / "inbox" / "page.html")
        assert collect(inbox, 1) == [tmp_path / "inbox" / "page.html"]
    finally:
        inbox.stop()
