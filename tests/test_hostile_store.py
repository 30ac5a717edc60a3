"""One writer per store, a busy store, an unwritable store (issue 14, items 2, 3 and 15).

Real `monitor run` daemons and `monitor` commands in subprocesses, a real second SQLite
connection holding `BEGIN EXCLUSIVE` (as the sqlite3 shell or a backup tool would), real
files in a real inbox.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from process_tree import kill_tree
from running import WAIT, Daemon, alert_lines, cli, query, wait_for

MONITOR = [sys.executable, "-m", "monitor"]


def articles_for(folder: Path, seeds: list[Path], names: range, tag: str = "") -> list[Path]:
    """Distinct seed-sized articles (each with a line of its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in names:
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        path = folder / f"{tag}{i:03d}.txt"
        path.write_text(f"{text}\nتحديث رقم {i} {tag} مساء اليوم من المراسل.\n", encoding="utf-8")
        out.append(path)
    return out


@contextmanager
def exclusive(db: Path) -> Iterator[None]:
    """Another process's write lock on the store, as `BEGIN EXCLUSIVE;` in the sqlite3
    shell holds it, until the block ends."""
    conn = sqlite3.connect(db, timeout=WAIT, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("COMMIT")
        conn.close()


@pytest.fixture
def daemons() -> Iterator[list[Daemon]]:
    started: list[Daemon] = []
    yield started
    for d in started:
        kill_tree(d.proc)


def start(daemons: list[Daemon], config: Path) -> Daemon:
    d = Daemon(config)
    daemons.append(d)
    return d


def short_busy_timeout(config: Path) -> Path:
    """The config with `[store] busy_timeout = 0.5`: a lock is met in half a second."""
    config.write_text(
        config.read_text().replace('path = "monitor.db"', 'path = "monitor.db"\nbusy_timeout = 0.5')
    )
    return config


def per_origin(db: Path) -> Counter[str]:
    return Counter(o for (o,) in query(db, "SELECT origin FROM articles"))


def events(d: Daemon, name: str) -> list[dict[str, object]]:
    return [e for e in d.events() if e.get("event") == name]


# -- one writer per store -----------------------------------------------------------------


def test_a_second_daemon_on_one_store_refuses_and_20_files_give_20_articles(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    config = make_config()
    db = tmp_path / "monitor.db"
    first = start(daemons, config)
    first.wait_event("watching")
    second = start(daemons, config)
    files = articles_for(tmp_path / "inbox", seeds, range(20))
    code = second.proc.wait(timeout=WAIT)  # before the fix: it ran beside the first
    second.stop()
    said = "".join(second.lines)
    assert code == 75, said
    assert str(db) in said and f"pid {first.proc.pid}" in said, said
    assert "stop that one first" in said  # and what to do
    assert "Traceback" not in said
    wait_for(lambda: len(per_origin(db)) == 20, "every file stored")
    wait_for(
        lambda: query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)],
        "every alert delivered",
    )
    # The one-shot commands that run the pipeline refuse too, naming the daemon.
    for command in (["retry-failed"], ["feeds", "poll"]):
        done = cli(config, *command, check=False)
        assert done.returncode == 75 and f"pid {first.proc.pid}" in done.stderr, done.stderr
    # Readers never take the lock.
    assert "daemon: running" in cli(config, "status").stdout
    assert first.stop() == 0
    assert per_origin(db) == Counter({str(f): 1 for f in files})
    logged = Counter((a["rule"], a["article_id"]) for a in alert_lines(tmp_path / "alerts.jsonl"))
    assert logged and set(logged.values()) == {1}, "an alert was logged twice"


def test_ingest_beside_a_running_daemon_hands_its_files_over(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    """The issue's case: files in the inbox, and `monitor ingest` of them while the daemon
    picks them up (600 gave 972 articles). Both now go through the daemon's pipeline."""
    config = make_config()
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    files = articles_for(tmp_path / "inbox" / "batch", seeds, range(60))
    done = cli(config, "ingest", str(tmp_path / "inbox" / "batch"))
    assert f"handing 60 files to the monitor daemon (pid {d.proc.pid}" in done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.endswith("(60 files)"), done.stdout
    n = dict(part.split(" ", 1)[::-1] for part in summary.split(" (")[0].split(", "))
    assert int(n["new"]) + int(n["duplicate"]) + int(n["unchanged"]) == 60, summary
    assert int(n["failed"]) == 0
    assert len(per_origin(db)) == 60, "ingest returned before every file was stored"
    wait_for(
        lambda: query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)],
        "every alert delivered",
    )
    assert d.stop() == 0
    assert per_origin(db) == Counter({str(f): 1 for f in files}), "a file was stored twice"
    logged = Counter((a["rule"], a["article_id"]) for a in alert_lines(tmp_path / "alerts.jsonl"))
    expected = set(query(db, "SELECT rule, article_id FROM alerts"))
    assert set(logged) == expected and set(logged.values()) == {1}, "an alert twice or never"
    # The hand-off leaves nothing behind.
    assert query(db, "SELECT count(*) FROM ingest_requests") == [(0,)]


def test_ingest_gives_up_clearly_on_a_daemon_that_does_not_answer(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    config = make_config()
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    # Its first heartbeat, written right after "watching", committed: stopped now, it holds
    # the store's flock and no SQLite transaction. (Stopped inside that write, the ingest
    # waits for SQLite's lock, and handing the files over has no time limit: a separate
    # case, which this test met by chance once the start no longer imported sqlite_utils.)
    wait_for(lambda: query(db, "SELECT count(*) FROM daemon") == [(1,)], "the first heartbeat")
    d.proc.send_signal(signal.SIGSTOP)  # stuck: holds the store, does nothing
    try:
        files = articles_for(tmp_path / "inbox" / "late", seeds, range(3))
        done = cli(config, "ingest", "--wait", "2", str(tmp_path / "inbox" / "late"), check=False)
    finally:
        d.proc.send_signal(signal.SIGCONT)
    assert done.returncode == 75, done.stderr
    assert f"pid {d.proc.pid}" in done.stderr and "stays queued" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert per_origin(db) == Counter(), "ingest wrote beside the daemon"
    # The daemon, running again, does what was asked (and what its inbox holds) once.
    wait_for(lambda: len(per_origin(db)) == 3, "the queued files stored")
    wait_for(
        lambda: (
            query(db, "SELECT count(*) FROM ingest_requests WHERE finished_at IS NULL") == [(0,)]
        ),
        "the request finished",
    )
    assert d.stop() == 0
    assert per_origin(db) == Counter({str(f): 1 for f in files})


def test_ingest_gives_up_clearly_on_a_daemon_stuck_inside_a_write(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    """The daemon holds the store's flock and SQLite's write lock and does nothing (stopped
    inside a write: here the lock is held for it by another connection). Handing files over
    needs that lock: `--wait` bounds the wait for it too, instead of waiting forever."""
    config = short_busy_timeout(make_config())
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    wait_for(lambda: query(db, "SELECT count(*) FROM daemon") == [(1,)], "the first heartbeat")
    d.proc.send_signal(signal.SIGSTOP)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        articles_for(tmp_path / "inbox" / "late", seeds, range(2))
        done = cli(config, "ingest", "--wait", "1", str(tmp_path / "inbox" / "late"), check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        d.proc.send_signal(signal.SIGCONT)
    assert done.returncode == 75, done.stderr
    assert f"pid {d.proc.pid}" in done.stderr and "write lock" in done.stderr, done.stderr
    assert "Nothing was handed over" in done.stderr and "Traceback" not in done.stderr
    assert query(db, "SELECT count(*) FROM ingest_requests") == [(0,)]
    assert d.stop() == 0


def test_ingest_finishes_alone_when_the_daemon_dies_before_taking_its_files(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    config = make_config()
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    # After its first heartbeat's commit, as above: stopped inside that write, it would hold
    # SQLite's lock and the files could not be handed over at all (CI met it once).
    wait_for(lambda: query(db, "SELECT count(*) FROM daemon") == [(1,)], "the first heartbeat")
    d.proc.send_signal(signal.SIGSTOP)
    files = articles_for(tmp_path / "inbox" / "late", seeds, range(5))
    asking = subprocess.Popen(
        [*MONITOR, "--config", str(config), "ingest", "--wait", "120", str(tmp_path / "inbox")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    wait_for(lambda: query(db, "SELECT id FROM ingest_requests"), "the files handed over")
    kill_tree(d.proc)  # dies without ever taking them
    out, err = asking.communicate(timeout=WAIT * 4)
    assert asking.returncode == 0, err
    assert "the daemon stopped; ingesting the rest here" in err
    assert out.strip().splitlines()[-1] == "5 new, 0 duplicate, 0 failed, 0 unchanged (5 files)"
    assert per_origin(db) == Counter({str(f): 1 for f in files})
    assert query(db, "SELECT count(*) FROM ingest_requests") == [(0,)]


# -- a busy store -------------------------------------------------------------------------


class Locker(threading.Thread):
    """A write lock held from another thread's own connection until `release` is set."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.taken, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        with exclusive(self.db):
            self.taken.set()
            self.release.wait(WAIT)


def test_a_store_write_waits_out_a_lock_and_a_stop_ends_the_wait(tmp_path: Path) -> None:
    from monitor.store.busy import Retry, Stopped
    from monitor.store.db import Store

    db = tmp_path / "monitor.db"
    stop, pings = threading.Event(), []
    store = Store(db, retry=Retry(busy_timeout=0.1, stop=stop, alive=lambda: pings.append(1)))
    store.db  # noqa: B018 -- made on first use (store/stamp.py): before the lock's timer starts

    def fail(origin: str) -> Callable[[], int]:
        return lambda: store.record_failure(origin, "test", sha256=None, size=None, raw=None)

    try:
        locker = Locker(db)
        locker.start()
        locker.taken.wait(WAIT)
        threading.Timer(1.0, locker.release.set).start()
        store.write(fail("after the lock"), what="test")  # before the fix: database is locked
        assert len(pings) >= 2  # the watchdog was pinged while it waited
        locker = Locker(db)
        locker.start()
        locker.taken.wait(WAIT)
        threading.Timer(0.5, stop.set).start()
        with pytest.raises(Stopped):
            store.write(fail("stopped"), what="test")
        locker.release.set()
        locker.join(WAIT)
        origins = [o for (o,) in store.db.execute("SELECT origin FROM failures")]
        assert origins == ["after the lock"]  # and nothing half-written of the stopped one
    finally:
        store.close()


def test_an_idle_daemon_outlives_a_lock_held_longer_than_the_busy_timeout(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    """The real default busy timeout (10 s): before the fix the heartbeat raised
    `database is locked` and the daemon exited 1."""
    config = make_config()
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    wait_for(lambda: query(db, "SELECT heartbeat FROM daemon"), "a first heartbeat")
    with exclusive(db):
        d.wait_event("store busy, retrying")
        # An attempt waited the whole busy timeout, gave up, and the daemon went on.
        d.wait_event("heartbeat not written; trying again later")
        (path,) = articles_for(tmp_path / "inbox", seeds, range(1))
        released = time.time()
    assert d.proc.poll() is None
    wait_for(
        lambda: query(db, "SELECT heartbeat FROM daemon WHERE heartbeat > ?", (released,)),
        "the heartbeat to resume",
    )
    wait_for(lambda: per_origin(db) == Counter({str(path): 1}), "the file dropped meanwhile")
    assert len(events(d, "store busy, retrying")) == 1, "logged per attempt, not per episode"
    assert events(d, "store writable again")
    assert d.stop() == 0


def test_sigterm_while_the_store_is_locked_exits_0_and_leaves_the_input_for_next_time(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    config = make_config()
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    # The lock is taken after the first heartbeat is written, so the article's write is
    # most often the first refused; a heartbeat that comes due first opens the busy
    # episode instead, and its one log line names the heartbeat (either is a lock met).
    wait_for(lambda: query(db, "SELECT heartbeat FROM daemon"), "a first heartbeat")
    with exclusive(db):
        (path,) = articles_for(tmp_path / "inbox", seeds, range(1))
        d.wait_event("store busy, retrying")
        time.sleep(1.0)  # the article reaches its write (settle 0.3 s), refused in turn
        code = d.stop(signal.SIGTERM)  # waits for the exit while the lock is held
    assert code == 0, "".join(d.lines[-20:])
    assert per_origin(db) == Counter()  # not half-written, and not recorded as seen
    again = start(daemons, config)
    wait_for(lambda: per_origin(db) == Counter({str(path): 1}), "the file stored on restart")
    assert again.stop() == 0


def test_writes_and_alert_deliveries_wait_out_a_lock_with_a_short_busy_timeout(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path], daemons: list[Daemon]
) -> None:
    """[store] busy_timeout = 0.5: many attempts in one lock, one log line for them."""
    config = short_busy_timeout(make_config())
    db = tmp_path / "monitor.db"
    d = start(daemons, config)
    d.wait_event("watching")
    # The lock after the first heartbeat: that write, due right after "watching", would
    # otherwise be the one to meet the lock and name the episode.
    wait_for(lambda: query(db, "SELECT heartbeat FROM daemon"), "a first heartbeat")
    with exclusive(db):
        files = articles_for(tmp_path / "inbox", seeds, range(4))
        d.wait_event("store busy, retrying", what="article")
        time.sleep(3)  # the scenario: a lock of six busy timeouts; nothing is asserted on time
        assert d.proc.poll() is None
        during = len(d.lines)  # what the daemon logged while the lock was held
    wait_for(lambda: len(per_origin(db)) == 4, "every file stored once the lock is gone")
    wait_for(
        lambda: (
            query(db, "SELECT count(*) FROM deliveries WHERE status = 'sent'")[0][0] > 0
            and query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)]
        ),
        "every alert delivered",
    )
    # One line for the whole lock, however many attempts it refused. After it, on a slow
    # machine, the daemon's own writer and alert dispatcher may meet each other's lock for
    # more than this test's 0.5 s busy timeout: a second, genuine episode, not counted here.
    busy = [line for line in d.lines[:during] if '"store busy, retrying"' in line]
    assert len(busy) == 1, busy
    assert d.stop() == 0
    assert per_origin(db) == Counter({str(f): 1 for f in files})


# -- an unwritable store ------------------------------------------------------------------


def _unwritable_config(make_config: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "not-a-folder").write_text("a file where the store's folder should be")
    config = make_config()
    config.write_text(
        config.read_text().replace('path = "monitor.db"', 'path = "not-a-folder/monitor.db"')
    )
    return config, tmp_path / "not-a-folder" / "monitor.db"


def test_an_unwritable_store_path_fails_check_config_run_and_ingest_clearly(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config, db = _unwritable_config(make_config, tmp_path)
    articles_for(tmp_path / "inbox", seeds, range(1))
    checked = cli(config, "check-config", check=False)
    assert checked.returncode == 2 and str(db) in checked.stderr, checked.stderr
    assert "writable" in checked.stderr
    for command in (["run"], ["ingest", str(tmp_path / "inbox")]):
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), *command],
            capture_output=True,
            text=True,
            timeout=WAIT * 4,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("error: cannot write the store") and str(db) in line
        assert "[store] path" in line  # what to do


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_store_folder_fails_check_config(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = make_config()
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    config.write_text(config.read_text().replace('path = "monitor.db"', 'path = "ro/m.db"'))
    try:
        checked = cli(config, "check-config", check=False)
    finally:
        folder.chmod(0o755)
    assert checked.returncode == 2 and str(folder) in checked.stderr, checked.stderr
