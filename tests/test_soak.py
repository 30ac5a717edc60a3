"""The SIGKILL soak, in a hostile world: a daemon killed at random moments while a second
daemon tries to start, `monitor ingest` writes the same files, and another process holds
the store's write lock (`BEGIN EXCLUSIVE`) at random moments. Nothing may be lost, stored
twice or alerted twice.

Short by default (it runs in `make test`); `MONITOR_SOAK=full` (`make soak`) runs it at
full size.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from process_tree import kill_tree
from running import WAIT, Daemon, alert_lines, query, wait_for

FULL = os.environ.get("MONITOR_SOAK") == "full"
P = TypeVar("P", Daemon, "subprocess.Popen[str]")


@dataclass(frozen=True)
class Size:
    rounds: int  # daemon starts, each killed with SIGKILL at a random moment
    files_per_round: int  # new files dropped into the inbox each round


SIZE = Size(rounds=25, files_per_round=16) if FULL else Size(rounds=5, files_per_round=8)


def article(lines: list[str], n: int, rng: random.Random) -> str:
    """A distinct article (not a copy of another, so each one alerts): eight lines drawn
    from the seeds, and one of its own."""
    return "\n".join([*rng.sample(lines, 8), f"تحديث رقم {n} مساء اليوم من المراسل."]) + "\n"


class LockHolder(threading.Thread):
    """Another process's write lock on the store, as the sqlite3 shell or a backup tool
    takes it: `BEGIN EXCLUSIVE` for 0.5-2.5 s, at random moments, until stopped."""

    def __init__(self, db: Path, rng: random.Random) -> None:
        super().__init__(daemon=True)
        self.db, self.rng = db, rng
        self.stop = threading.Event()
        self.holds = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.wait(self.rng.uniform(0.3, 2.0)):
                if not self.db.exists():
                    continue
                conn = sqlite3.connect(self.db, timeout=WAIT, isolation_level=None)
                try:
                    conn.execute("BEGIN EXCLUSIVE")
                    self.holds += 1
                    self.stop.wait(self.rng.uniform(0.5, 2.5))
                    conn.execute("COMMIT")
                finally:
                    conn.close()
        except BaseException as exc:  # reported by the test, not lost in a thread
            self.error = exc


def ingest(config: Path, files: list[Path]) -> subprocess.Popen[str]:
    """`monitor ingest` of some of the inbox's files, beside whatever else runs."""
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("MONITOR_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "ingest", "--wait", "120"]
        + [str(f) for f in files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def started() -> Iterator[Callable[[P], P]]:
    """Daemons and ingests to kill at the end, whatever the test did."""
    procs: list[subprocess.Popen[str]] = []

    def add(p: P) -> P:
        procs.append(p.proc if isinstance(p, Daemon) else p)
        return p

    yield add
    for proc in procs:
        kill_tree(proc)


def test_sigkill_a_second_writer_and_a_lock_holder_never_lose_or_double_anything(
    make_config: Callable[..., Path],
    tmp_path: Path,
    seeds: list[Path],
    started: Callable[[P], P],
) -> None:
    # Every Arabic article alerts (the seeds are Arabic): many alerts to double or lose.
    # No worker pool to start each round in the short soak: the full soak uses one.
    pipeline = '[pipeline]\nworkers = "auto"\n' if FULL else "[pipeline]\nworkers = 0\n"
    config = make_config(
        "[[alerts.rules]]\nname = 'arabic'\nlanguages = ['ar']\nchannels = ['log']\n" + pipeline
    )
    text = config.read_text().replace(
        'path = "monitor.db"', 'path = "monitor.db"\nbusy_timeout = 1'
    )
    config.write_text(text)
    inbox, db = tmp_path / "inbox", tmp_path / "monitor.db"
    lines = [
        line
        for seed in seeds
        for line in seed.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 8
    ]
    rng = random.Random(int(os.environ.get("MONITOR_SOAK_SEED", "7")))
    began = time.monotonic()
    files: list[Path] = []
    holder = LockHolder(db, random.Random(rng.random()))
    holder.start()
    ingests: list[subprocess.Popen[str]] = []
    kills = refused = 0
    for round_ in range(SIZE.rounds):
        first = started(Daemon(config))
        wait_for(lambda d=first: d.lines, "the daemon to start")
        if rng.random() < 0.5:  # a second daemon, while the first holds the store
            first.wait_event("watching")
            second = started(Daemon(config))
            second.proc.wait(timeout=WAIT)  # before the fix: it ran beside the first
            assert second.proc.returncode == 75, "".join(second.lines[-20:])
            refused += 1
        new = []
        for i in range(SIZE.files_per_round):
            path = inbox / f"r{round_:02d}" / f"{i:03d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(article(lines, len(files) + i, rng), encoding="utf-8")
            new.append(path)
        if rng.random() < 0.6:  # a second writer: the new files, as the daemon reads them
            chosen = [*new, *rng.sample(files, k=min(len(files), 4))]
            ingests.append(started(ingest(config, chosen)))
        files += new
        wait_for(lambda: rng.random() < 0.1, "a random moment", timeout=10)
        if first.proc.poll() is None:
            kill_tree(first.proc)  # and its workers, as systemd kills a crashed service
            kills += 1
        if ingests and ingests[-1].poll() is None and rng.random() < 0.3:
            kill_tree(ingests[-1])  # the second writer dies too, wherever it was
            kills += 1
    holder.stop.set()
    holder.join(timeout=WAIT)
    assert holder.error is None, holder.error
    final = started(Daemon(config))
    final.wait_event("watching")
    wait_for(lambda: len(per_origin(db)) == len(files), "every file stored", timeout=WAIT * 4)
    wait_for(
        lambda: query(db, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)],
        "every alert delivered",
        timeout=WAIT * 2,
    )
    for p in ingests:
        code = p.wait(timeout=WAIT * 4)
        err = p.stderr.read() if p.stderr else ""
        assert code in (0, -signal.SIGKILL), err  # done here or by a daemon; or killed
        assert "Traceback" not in err, err
    assert final.stop() == 0
    stored = per_origin(db)
    lost = len(set(map(str, files)) - set(stored))
    doubled = sum(n - 1 for n in stored.values())
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    logged = Counter((a["rule"], a["article_id"]) for a in alert_lines(tmp_path / "alerts.jsonl"))
    expected = {(r, a) for r, a in query(db, "SELECT rule, article_id FROM alerts")}
    alerts_doubled = sum(n - 1 for n in logged.values())
    print(
        f"\nsoak ({'full' if FULL else 'short'}): {len(files)} files, {SIZE.rounds} rounds, "
        f"{kills} SIGKILLs, {refused} second daemons refused, {len(ingests)} concurrent "
        f"ingests, {holder.holds} exclusive locks held; lost {lost}, doubled {doubled}, "
        f"alerts {len(expected)}, alerts doubled {alerts_doubled}; "
        f"{time.monotonic() - began:.0f} s"
    )
    assert lost == 0, "a file was lost"
    assert doubled == 0, "a file was stored twice"
    assert set(logged) == expected, "an alert is missing from the log"
    assert alerts_doubled == 0, "an alert was logged twice"


def per_origin(db: Path) -> Counter[str]:
    return Counter(o for (o,) in query(db, "SELECT origin FROM articles"))
