"""Builds everything from the settings and runs inputs through it: once (`ingest`,
`feeds poll`, `retry-failed`) or until stopped (`run_forever`, in daemon.py).

The service reads the inputs: files against the inbox ledger (a file unchanged since
its last outcome is not read again), feed entries against their feed's list, failed
inputs again. It hands them to the batches (batches.py: extract and tag in the workers,
group a batch into stories, then the steps that read the store), and each outcome is
written by outcomes.py, the one place where the pipeline's output is written: the
article, its ledger entry and its alerts in one transaction. A crash at any point leaves
either nothing or a complete article whose alerts are sent on the next start. The parts
themselves are built in assembly.py, which the reload and check-config share.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from monitor import pipeline
from monitor.alerts.outbox import Dispatcher, Stats
from monitor.alerts.rules import RuleSet
from monitor.assembly import (
    build_alerting,
    build_inbox,
    build_pipeline,
    build_review,
    build_taggers,
    own_files,
    steps_topics,
)
from monitor.batches import Batches, Job, completed
from monitor.config import ConfigError, Settings
from monitor.daemon import HEARTBEAT_SECONDS, Daemon, install_signal_handlers
from monitor.heap import keep_big_buffers_mapped
from monitor.models import Item
from monitor.ops.redact import Redactor
from monitor.ops.systemd import Notifier
from monitor.outcomes import Outcome, Record, Writer, no_record
from monitor.sources import feeds
from monitor.sources.inbox import Inbox, is_regular_file, kind_of
from monitor.sources.ledger_keys import ledger_key, origin_of, path_of_key
from monitor.sources.read_retries import ReadRetries
from monitor.store.busy import Retry
from monitor.store.db import Store
from monitor.story_review import StoryReview
from monitor.tagging.compiled import cache_folder
from monitor.workers import Extractor

if TYPE_CHECKING:  # feeds bring httpx, feedparser, APScheduler: imported once one is set
    from monitor.sources.feeds import PollResult
    from monitor.sources.fetch import Fetcher

# Where the callers have always found them (cli.py, tests, bench/).
__all__ = [
    "HEARTBEAT_SECONDS",
    "Outcome",
    "Service",
    "build_alerting",
    "build_inbox",
    "build_pipeline",
    "build_taggers",
    "install_signal_handlers",
    "origin_of",
    "own_files",
    "steps_topics",
]

log = structlog.get_logger("monitor")


@dataclass
class Service:
    settings: Settings
    store: Store
    pipeline: pipeline.Pipeline
    rules: RuleSet
    dispatcher: Dispatcher
    inbox: Inbox
    redactor: Redactor
    extractor: Extractor
    read_retries: ReadRetries = field(default_factory=lambda: ReadRetries(60.0))
    review: StoryReview | None = None  # stories grouped again as they grow

    @classmethod
    def build(
        cls,
        settings: Settings,
        redactor: Redactor | None = None,
        stop: threading.Event | None = None,
    ) -> Service:
        """Everything from the settings; ConfigError for anything a user must fix. `stop`
        ends a wait for a busy store while the store is opened (Stopped)."""
        keep_big_buffers_mapped()  # before the tables load: heap.py says why
        retry = Retry(busy_timeout=settings.store.busy_timeout, stop=stop)
        store = Store(settings.store.path, retry=retry, templates=cache_folder(os.environ))
        redactor = redactor or Redactor()
        feeds.check_feeds(settings.feeds)
        built, rules = build_alerting(settings, redactor)
        taggers = build_taggers(settings)
        steps = build_pipeline(settings, store, taggers)
        unknown = rules.unknown_topics(set(taggers[0].taxonomy.topic_ids()))
        if unknown:
            raise ConfigError(
                f"{settings.source_path}: unknown topics in [[alerts.rules]]: " + "; ".join(unknown)
            )
        return cls(
            settings=settings,
            store=store,
            pipeline=steps,
            rules=rules,
            dispatcher=Dispatcher(
                settings.store.path,
                built,
                settings.alerts,
                rules.rules,
                busy_timeout=settings.store.busy_timeout,
            ),
            inbox=build_inbox(settings),
            redactor=redactor,
            extractor=Extractor(
                settings.pipeline.worker_count(),
                settings.pipeline.extract_timeout,
                meanwhile=steps.warmers,
            ),
            read_retries=ReadRetries(settings.inbox.rescan_seconds),
            review=build_review(settings),
        )

    def fetcher(self) -> Fetcher:
        from monitor.sources.fetch import Fetcher, FetchLimits

        f = self.settings.fetch
        return Fetcher(
            FetchLimits(
                connect_timeout=f.connect_timeout,
                read_timeout=f.read_timeout,
                total_timeout=f.total_timeout,
                max_bytes=int(f.max_mb * 1024 * 1024),
                max_redirects=f.max_redirects,
                user_agent=f.user_agent,
            )
        )

    def poll_feeds(
        self, names: Iterable[str] = (), force: bool = False
    ) -> Iterator[tuple[PollResult, Counter[str]]]:
        """`monitor feeds poll`: each named (or every enabled) feed once, stored as it comes."""
        with self.fetcher() as fetcher:
            for result in feeds.poll_feeds_once(
                self.settings.feeds, self.store.db, fetcher, names=names, force=force
            ):
                yield result, self.process_feed_result(result)

    def warm_up(self) -> None:
        """Load the models and vocabularies before the first input arrives (the worker
        pool starts when a run of inputs first needs it: workers.Extractor)."""
        self.extractor.warm_up()
        self.pipeline.warm_up()

    def close(self) -> None:
        self.inbox.stop()
        self.dispatcher.stop()
        self.extractor.close()
        self.store.close()

    # -- files and feed entries ------------------------------------------------------------

    @property
    def writer(self) -> Writer:
        """Where outcomes are written, with the rules and outbox in force."""
        return Writer(self.store, self.rules, self.dispatcher, self.review)

    @property
    def batches(self) -> Batches:
        """The steps and workers in force, for one run of inputs."""
        return Batches(self.settings.pipeline.batch, self.extractor, self.pipeline, self.writer)

    def process_file(self, path: Path) -> Outcome:
        """Run one file through the pipeline and store the outcome; never raises for bad input."""
        return next(iter(self.process_files([path])))[1]

    def process_files(
        self,
        paths: Iterable[Path],
        stop: threading.Event | None = None,
        alive: Callable[[], None] | None = None,
    ) -> Iterator[tuple[Path, Outcome]]:
        """Process files in order, in batches (see Batches.run). `alive` is called as each
        input is extracted and tagged, before its batch is stored: the daemon's watchdog
        ping, which a batch of slow pages would otherwise hold back."""

        def jobs() -> Iterator[tuple[Path, Job | Outcome]]:
            for path in paths:
                yield path, self._read(path)

        return self.batches.run(jobs(), stop, alive)

    def _read(self, path: Path) -> Job | Outcome:
        """Ledger and size checks, then the bytes; an Outcome when there is nothing to run."""
        origin, key = origin_of(path), ledger_key(path)
        try:
            st = path.stat()
        except OSError as exc:
            log.warning("file vanished before it was read", path=origin, error=str(exc))
            return "failed"
        seen = self.store.ledger_get(key)
        # No hash recorded: its bytes were never read (permissions, I/O error). chmod
        # changes neither size nor mtime, so such a file is tried again (read_retries).
        unreadable = bool(seen) and seen["outcome"] == "failed" and not seen["sha256"]
        same = bool(seen) and (seen["size"], seen["mtime_ns"]) == (st.st_size, st.st_mtime_ns)
        if same and not (unreadable and self.read_retries.due(key, st.st_ctime_ns)):
            return "unchanged"

        def ledger(sha256: str) -> Record:
            def record(article_id: int | None, failure_id: int | None) -> None:
                self.store.ledger_put(
                    key,
                    size=st.st_size,
                    mtime_ns=st.st_mtime_ns,
                    sha256=sha256,
                    outcome="article" if article_id else "failed",
                    article_id=article_id,
                    failure_id=failure_id,
                )

            return record

        limit = int(self.settings.inbox.max_file_mb * 1024 * 1024)
        if st.st_size > limit:
            reason = (
                f"file is {st.st_size / 1048576:.1f} MB, over the limit of "
                f"{self.settings.inbox.max_file_mb:g} MB; raise [inbox] max_file_mb to read it"
            )
            sha256 = _sha256_file(path) or ""
            return self.writer.failure(origin, reason, sha256, st.st_size, None, ledger(sha256))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            wait = self.read_retries.failed(key, st.st_ctime_ns)
            if same:  # tried again, still unreadable: recorded already
                log.info("still cannot read the file", path=origin, error=str(exc), retry_in=wait)
                return "failed"
            reason = (
                f"cannot read the file: {exc}; fix its permissions (the user monitor runs as "
                "must be able to read it): it is tried again on a change and on the rescans"
            )
            return self.writer.failure(origin, reason, "", st.st_size, None, ledger(""))
        self.read_retries.forget(key)
        # A changed file that became an article may be its later version (revisions.py).
        previous = seen["article_id"] if seen and seen["outcome"] == "article" else None
        item = Item(
            origin=origin,
            raw=raw,
            kind=kind_of(path),  # type: ignore[arg-type]
            seen_at=datetime.now(UTC),
            previous=previous,
        )
        if seen and seen["sha256"] == item.sha256:
            self.store.write(  # touched, not changed: remember the new mtime
                lambda: self.store.ledger_put(
                    key,
                    size=st.st_size,
                    mtime_ns=st.st_mtime_ns,
                    sha256=item.sha256,
                    outcome=seen["outcome"],
                    article_id=seen["article_id"],
                    failure_id=seen["failure_id"],
                ),
                what="ledger",
            )
            return "unchanged"
        return Job(item, ledger(item.sha256))

    def process_feed_result(
        self, result: PollResult, alive: Callable[[], None] | None = None
    ) -> Counter[str]:
        """Store a poll's new entries, each with its feed_entries row in the article's
        transaction, then the feed's state (ETag, errors): in that order, so a crash
        never leaves a feed "not modified" with entries that were not stored."""
        counts: Counter[str] = Counter()
        db = self.store.db

        def jobs() -> Iterator[tuple[str, Job | Outcome]]:
            for entry in result.entries:
                if feeds.is_recorded(db, result.feed, entry.key):
                    yield entry.key, "unchanged"
                    continue

                def record(article_id: int | None, _failure_id: int | None, e=entry) -> None:  # type: ignore[no-untyped-def]
                    feeds.record_entry(
                        db, result.feed, e.key, article_id, full_text_error=e.full_text_error
                    )

                yield entry.key, Job(entry.item, record)

        for _key, outcome in self.batches.run(jobs(), alive=alive):
            counts[outcome] += 1
        self.store.write(lambda: feeds.save_state(db, result.state), what="feed state")
        if result.error:
            log.warning("feed poll failed", feed=result.feed, error=result.error)
        elif result.entries or result.warning:
            log.info(
                "feed polled",
                feed=result.feed,
                new=counts["new"],
                duplicate=counts["duplicate"],
                failed=counts["failed"],
                warning=result.warning,
            )
        return counts

    def deliver(self, seconds: float = 30.0) -> Stats:
        """One-shot commands: send what is due now, for at most `seconds`."""
        return self.dispatcher.drain(time.monotonic() + seconds)

    # -- one-shot ------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path],
        progress: Callable[[Path, Outcome], None] | None = None,
        texts_alone: bool = False,
    ) -> Counter[str]:
        """`monitor ingest`: the files in batches. `texts_alone`: they are a backlog of
        texts and nothing else, and the pool's server was started for texts
        (workers.Extractor.texts_alone)."""
        if texts_alone:
            self.extractor.texts_alone()
        counts: Counter[str] = Counter()
        for path, outcome in self.process_files(paths):
            counts[outcome] += 1
            if progress:
                progress(path, outcome)
        return counts

    def retry_failed(self) -> Counter[str]:
        """Process again every input whose latest outcome is a failure (after a fix or a
        config change): from its file if it is still there, else from the raw bytes kept."""
        counts: Counter[str] = Counter()
        rows = self.store.db.execute(
            "SELECT l.path, r.content FROM ledger l LEFT JOIN failures f ON f.id = l.failure_id "
            "LEFT JOIN raw r ON r.sha256 = f.raw_sha256 WHERE l.outcome = 'failed' ORDER BY l.path"
        ).fetchall()
        for key, content in rows:
            path = path_of_key(key)
            origin = origin_of(path)
            self.store.write(
                lambda k=key: self.store.db.execute("DELETE FROM ledger WHERE path = ?", [k]),
                what="ledger",
            )
            if is_regular_file(path):
                counts[self.process_file(path)] += 1
            elif content is not None:
                counts[self._process_raw(origin, content, key)] += 1
            else:
                log.warning("cannot retry: file gone and its bytes were not kept", path=origin)
                counts["gone"] += 1
        return counts

    def process_item(self, item: Item, record: Record | None = None) -> Outcome:
        """One item through the pipeline into the store, here and now: for tools that make
        their own items, outside any ledger unless `record` is given."""
        job = Job(item, record or no_record)
        return next(iter(self.batches.finish([(None, job, completed(item))], None, None)))[1]

    def process_items(self, items: Iterable[Item]) -> Counter[str]:
        """Items that arrive together (the story evaluation's backlog), in batches as the
        daemon reads a backlog, outside any ledger."""
        counts: Counter[str] = Counter()
        jobs = ((item.origin, Job(item, no_record)) for item in items)
        for _key, outcome in self.batches.run(jobs):
            counts[outcome] += 1
        return counts

    def _process_raw(self, origin: str, raw: bytes, key: str) -> Outcome:
        item = Item(origin=origin, raw=raw, kind=kind_of(Path(origin)), seen_at=datetime.now(UTC))  # type: ignore[arg-type]

        def record(article_id: int | None, failure_id: int | None) -> None:
            self.store.ledger_put(
                key,
                size=len(raw),
                mtime_ns=0,
                sha256=item.sha256,
                outcome="article" if article_id else "failed",
                article_id=article_id,
                failure_id=failure_id,
            )

        return self.process_item(item, record)

    # -- daemon --------------------------------------------------------------------------

    def run_forever(
        self,
        stop: threading.Event,
        reload: threading.Event | None = None,
        notifier: Notifier | None = None,
        tick: float = 0.2,
    ) -> None:
        """Watch the inbox until stop is set (daemon.py)."""
        Daemon(self).run(stop, reload, notifier, tick)


def _sha256_file(path: Path) -> str | None:
    """Hash without loading the whole file: it may be too big to read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
