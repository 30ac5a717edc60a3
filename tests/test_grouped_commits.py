"""Several inputs committed in one transaction (issue 19: grouped commits, grouped_commits.py).

In-process, with a real store file, a real second SQLite connection reading it or
holding its write lock, and the seeds as real files in a real inbox.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import grouped_commits
from monitor.batches import Job
from monitor.config import load
from monitor.models import Item
from monitor.service import Service
from monitor.sources.ledger_keys import ledger_key
from monitor.store.busy import Stopped

WAIT = 60.0


@pytest.fixture
def service(make_config: Callable[..., Path]) -> Iterator[Service]:
    config = make_config()
    config.write_text(  # a short wait for the lock a test holds
        config.read_text().replace('path = "monitor.db"', 'path = "monitor.db"\nbusy_timeout = 0.1')
    )
    built = Service.build(load(config))
    try:
        yield built
    finally:
        built.close()


def commits_of(service: Service) -> list[str]:
    """The COMMITs the service's own connection runs from now on."""
    seen: list[str] = []
    service.store.db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None
    )
    return seen


def test_a_batch_of_files_is_committed_in_one_transaction(
    service: Service, inbox_with_seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: one COMMIT an article (five here)."""
    monkeypatch.setattr(grouped_commits, "GROUP_SECONDS", WAIT)  # by count, not by time
    files = sorted(inbox_with_seeds.iterdir())
    commits = commits_of(service)
    outcomes = [outcome for _path, outcome in service.process_files(files)]
    assert outcomes == ["new"] * len(files)
    assert len(commits) == 1
    rows = service.store.db.execute("SELECT outcome FROM ledger").fetchall()
    assert rows == [("article",)] * len(files)


def test_a_group_commits_once_it_holds_its_inputs_and_then_hands_on_their_outcomes(
    service: Service, inbox_with_seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection (the outbox's, `monitor status`) sees each input recorded by
    the time its outcome reaches the caller: none is announced before its commit."""
    monkeypatch.setattr(grouped_commits, "GROUP_SECONDS", WAIT)
    monkeypatch.setattr(grouped_commits, "GROUP_INPUTS", 2)
    files = sorted(inbox_with_seeds.iterdir())  # five: groups of 2, 2 and 1
    commits = commits_of(service)
    reader = sqlite3.connect(service.store.path)
    try:
        for path, outcome in service.process_files(files):
            assert outcome == "new"
            row = reader.execute(
                "SELECT l.outcome, a.origin FROM ledger l JOIN articles a ON a.id = l.article_id "
                "WHERE l.path = ?",
                [ledger_key(path)],
            ).fetchone()
            assert row == ("article", str(path))
    finally:
        reader.close()
    assert len(commits) == 3


def test_a_write_that_fails_keeps_the_inputs_written_before_it_in_its_group(
    service: Service, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that raises (a full disk, a bug) undoes its own input alone: the ones
    before it in the same transaction are committed, and it is not recorded."""
    monkeypatch.setattr(grouped_commits, "GROUP_SECONDS", WAIT)

    def record(origin: str) -> Callable[[int | None, int | None], None]:
        def write(article_id: int | None, _failure_id: int | None) -> None:
            if origin.endswith("2"):
                raise OSError("disk full (test)")
            service.store.ledger_put(
                origin,
                size=0,
                mtime_ns=0,
                sha256="",
                outcome="article",
                article_id=article_id,
                failure_id=None,
            )

        return write

    jobs = [
        (n, Job(Item(f"/in/{n}", seed.read_bytes(), "text", datetime.now(UTC)), record(f"/in/{n}")))
        for n, seed in enumerate(seeds[:4])
    ]
    got = []
    with pytest.raises(OSError, match="disk full"):
        for key, outcome in service.batches.run(iter(jobs)):
            got.append((key, outcome))
    reader = sqlite3.connect(service.store.path)
    try:
        origins = [o for (o,) in reader.execute("SELECT origin FROM articles ORDER BY id")]
        ledger = [p for (p,) in reader.execute("SELECT path FROM ledger ORDER BY path")]
    finally:
        reader.close()
    assert origins == ledger == ["/in/0", "/in/1"]


def test_a_busy_store_is_met_before_the_group_and_a_stop_writes_none_of_it(
    service: Service, inbox_with_seeds: Path
) -> None:
    """Another process holds the write lock: the group waits for it before writing any
    input; a stop meanwhile ends the wait with nothing recorded, and the next run
    stores every file once."""
    files = sorted(inbox_with_seeds.iterdir())
    stop = threading.Event()
    service.store.retry.stop = stop
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(service.store.path, timeout=WAIT, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        taken.set()
        release.wait(WAIT)
        conn.execute("COMMIT")
        conn.close()

    locker = threading.Thread(target=hold, daemon=True)
    locker.start()
    assert taken.wait(WAIT)
    threading.Timer(0.5, stop.set).start()
    try:
        with pytest.raises(Stopped):
            list(service.process_files(files))  # not given `stop`: it stops in the wait
    finally:
        release.set()
        locker.join(WAIT)
    assert service.store.db.execute("SELECT count(*) FROM ledger").fetchone() == (0,)
    assert service.store.db.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    stop.clear()
    assert [o for _p, o in service.process_files(files)] == ["new"] * len(files)
