"""The daemon's feed polling: one APScheduler interval job per enabled feed.

Each job polls on a scheduler thread with its own short-lived read-only connection to
the store, and puts the PollResult on a queue; the daemon's main loop stores it and calls
done() (the package docstring says why a feed is not polled again before that). Only
the daemon needs this module, and it is the only one that imports APScheduler.
"""

from __future__ import annotations

import functools
import queue
import random
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import structlog
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import FeedConfig
from monitor.sources.feeds.poll import PollResult, check_feeds, parse_duration, poll_feed
from monitor.sources.feeds.state import _now, _parse_iso, load_state, recorded_keys
from monitor.sources.fetch import Fetcher

log = structlog.get_logger("monitor.feeds")
READ_BUSY_TIMEOUT_MS = 10_000


# -- the daemon's scheduler --------------------------------------------------------------


class FeedPoller:
    """One APScheduler interval job per enabled feed; results go on a queue for the main loop.

    The main loop, per result: process and record its entries, save_state(), then done().
    Until done() is called for a feed, its job skips (see the module docstring).
    """

    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        db_path: Path,
        fetcher: Fetcher,
        *,
        results: queue.Queue[PollResult] | None = None,
        max_workers: int = 4,
        rng: random.Random | None = None,
    ) -> None:
        check_feeds(feeds)
        self.db_path = db_path
        self.fetcher = fetcher
        self.results: queue.Queue[PollResult] = results if results is not None else queue.Queue()
        self._feeds = {f.name: f for f in feeds}
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._outstanding: set[str] = set()
        self._scheduler = BackgroundScheduler(
            timezone="UTC",
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
            executors={"default": ThreadPoolExecutor(max_workers)},
        )

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Schedule every enabled feed and start polling in the background."""
        self._schedule_all()
        self._scheduler.start()
        log.info("feed poller started", feeds=sorted(self._jobs()))

    def stop(self, wait: bool = True) -> None:
        """Stop scheduling; with wait, also wait for polls in flight (bounded by timeouts)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)

    def set_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """SIGHUP: replace the feed list. Feeds kept keep their state, and their schedule
        unless their interval or jitter changed; new feeds are due soon."""
        check_feeds(feeds)
        with self._lock:
            self._feeds = {f.name: f for f in feeds}
        if self._scheduler.running:
            self._schedule_all()

    # -- for the main loop -----------------------------------------------------------------

    def drain(self, limit: int = 100) -> Iterator[PollResult]:
        """Results waiting on the queue, without blocking."""
        for _ in range(limit):
            try:
                yield self.results.get_nowait()
            except queue.Empty:
                return

    def done(self, result: PollResult) -> None:
        """The main loop has stored (or given up on) this result: the feed may poll again."""
        with self._lock:
            self._outstanding.discard(result.feed)

    def next_runs(self) -> dict[str, datetime | None]:
        return {job.args[0]: job.next_run_time for job in self._scheduler.get_jobs()}

    # -- inside ----------------------------------------------------------------------------

    def _jobs(self) -> set[str]:
        return {job.args[0] for job in self._scheduler.get_jobs()}

    def _schedule_all(self) -> None:
        with self._lock:
            feeds = dict(self._feeds)
        for name in self._jobs() - {n for n, f in feeds.items() if f.enabled}:
            self._scheduler.remove_job(_job_id(name))
        stored = self._stored_next_polls()
        existing = self._jobs()
        now = _now()
        for feed in feeds.values():
            if not feed.enabled:
                continue
            interval = parse_duration(feed.interval, feed=feed.name)
            jitter = parse_duration(feed.jitter, feed=feed.name, key="jitter")
            trigger = IntervalTrigger(seconds=interval, jitter=jitter or None, timezone=UTC)
            if feed.name in existing:
                job = self._scheduler.get_job(_job_id(feed.name))
                old = (job.trigger.interval_length, job.trigger.jitter) if job else None
                if old != (trigger.interval_length, trigger.jitter):
                    self._scheduler.reschedule_job(_job_id(feed.name), trigger=trigger)
                continue
            # First poll: when the stored state says (a restart does not re-poll every feed
            # at once, nor skip a backoff), else soon, spread over the jitter.
            first = now + timedelta(seconds=self._rng.uniform(0, min(jitter, interval)))
            due = stored.get(feed.name)
            if due is not None and due > first:
                first = min(due, now + timedelta(seconds=interval))
            self._scheduler.add_job(
                self._poll_job,
                trigger,
                args=[feed.name],
                id=_job_id(feed.name),
                name=f"poll feed {feed.name}",
                next_run_time=first,
                replace_existing=True,
            )

    def _stored_next_polls(self) -> dict[str, datetime]:
        out: dict[str, datetime] = {}
        try:
            with self._connect() as conn:
                for name, next_poll, backoff in conn.execute(
                    "SELECT feed, next_poll, backoff_until FROM feed_state"
                ).fetchall():
                    times = [t for t in (_parse_iso(next_poll), _parse_iso(backoff)) if t]
                    if times:
                        out[name] = max(times)
        except sqlite3.Error:
            pass  # no store or no table yet: every feed is due
        return out

    def _connect(self) -> _ReadConnection:
        return _ReadConnection(self.db_path)

    def _poll_job(self, name: str) -> None:
        """Runs in a scheduler thread. Never raises: APScheduler would only log it."""
        bound = log.bind(feed=name)  # contextvars do not follow into scheduler threads
        with self._lock:
            feed = self._feeds.get(name)
            if feed is None or name in self._outstanding:
                if feed is not None:
                    bound.info("previous poll not stored yet; skipping this one")
                return
        try:
            with self._connect() as conn:
                state = load_state(conn, feed)
                result = poll_feed(
                    feed,
                    self.fetcher,
                    state,
                    seen=functools.partial(recorded_keys, conn, name),
                    rng=self._rng,
                )
        except Exception:
            bound.exception("feed poll crashed")
            return
        if result.skipped:
            bound.debug("feed poll skipped", reason=result.skipped)
            return
        with self._lock:
            self._outstanding.add(name)
        self.results.put(result)
        bound.info("feed polled", outcome=result.outcome, new=len(result.entries),
                   total=result.total, error=result.error)  # fmt: skip


class _ReadConnection:
    """A read-only connection for one poll, closed after it: one per thread, never shared."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=READ_BUSY_TIMEOUT_MS / 1000
        )
        self.conn.execute(f"PRAGMA busy_timeout = {READ_BUSY_TIMEOUT_MS}")

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def __enter__(self) -> _ReadConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _job_id(name: str) -> str:
    return f"feed:{name}"
