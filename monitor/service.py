"""Builds everything from the settings and runs it: once (`ingest`) or until stopped (`run`).

This is the one place where the pipeline's output is written: the article, its ledger
entry and its alerts go into the store in one transaction, then the alerts go to the log.
A crash at any point leaves either nothing or a complete article whose alerts are logged
on the next start.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

import structlog

from monitor import pipeline
from monitor.alerts.channels import build_channels
from monitor.alerts.outbox import Dispatcher, Stats
from monitor.alerts.rules import RuleSet, alert_key, payload
from monitor.config import ConfigError, Settings
from monitor.dedup import NearDuplicates
from monitor.handoff import HandOffs
from monitor.models import Article, Item, Rejected
from monitor.ops.metrics import Metrics
from monitor.ops.redact import Redactor
from monitor.ops.reload import needs_restart
from monitor.ops.systemd import Notifier
from monitor.revisions import alert_fields
from monitor.sources import feeds
from monitor.sources.feeds import FeedPoller, PollResult
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.sources.inbox import Inbox, check_folders, is_regular_file, kind_of
from monitor.sources.ledger_keys import ledger_key, path_of_key
from monitor.sources.read_retries import ReadRetries
from monitor.store.busy import Retry, Stopped
from monitor.store.db import Store, now
from monitor.store.failures import record_failure_once
from monitor.store.revise import replace_article, stored_version
from monitor.stories import Stories
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.topics import TopicTagger, load_taxonomy
from monitor.text.language import LanguageDetector
from monitor.workers import BrokenProcessPool, Extractor

log = structlog.get_logger("monitor")

HEARTBEAT_SECONDS = 5.0  # how often the daemon records that it is alive, for `monitor status`
# Inputs read ahead (this batch and the next) stay in memory until stored: at most this
# many bytes of them; a batch is cut short when they would be more.
READ_AHEAD_BYTES = 128 * 1024 * 1024

Outcome = Literal["new", "duplicate", "failed", "unchanged", "revised"]


# Inside the article's (or failure's) transaction: remember where the input came from
# (the inbox ledger, or a feed's entry list), with the article id or the failure id.
Record = Callable[[int | None, int | None], None]
_K = TypeVar("_K")


@dataclass(frozen=True)
class _Job:
    """An input read and due for the pipeline, and how to record its outcome."""

    item: Item
    record: Record


def _no_record(_article_id: int | None, _failure_id: int | None) -> None:
    """Items that come from no file and no feed have no ledger row to write."""


def _nothing_found(_digest: str) -> None:
    """The hash lookup of a pipeline built without a store."""


def _completed(item: Item) -> Future[Article]:
    """prepare() run here and now, as a finished future (the in-process fallback)."""
    return Extractor(0, 0).submit(item)


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

    @classmethod
    def build(
        cls,
        settings: Settings,
        redactor: Redactor | None = None,
        stop: threading.Event | None = None,
    ) -> Service:
        """Everything from the settings; ConfigError for anything a user must fix. `stop`
        ends a wait for a busy store while the store is opened (Stopped)."""
        retry = Retry(busy_timeout=settings.store.busy_timeout, stop=stop)
        store = Store(settings.store.path, retry=retry)
        redactor = redactor or Redactor()
        feeds.check_feeds(settings.feeds)
        built, rules = build_alerting(settings, redactor)
        steps = build_pipeline(settings, store)
        unknown = rules.unknown_topics(set(steps_topics(settings)))
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
            inbox=Inbox(settings.inbox, exclude=own_files(settings)),
            redactor=redactor,
            extractor=Extractor(
                settings.pipeline.worker_count(), settings.pipeline.extract_timeout
            ),
            read_retries=ReadRetries(settings.inbox.rescan_seconds),
        )

    def fetcher(self) -> Fetcher:
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
        """Load models and start workers before the first input arrives."""
        self.extractor.warm_up()
        self.pipeline.warm_up()

    def close(self) -> None:
        self.inbox.stop()
        self.dispatcher.stop()
        self.extractor.close()
        self.store.close()

    # -- files and feed entries ------------------------------------------------------------

    def process_file(self, path: Path) -> Outcome:
        """Run one file through the pipeline and store the outcome; never raises for bad input."""
        return next(iter(self.process_files([path])))[1]

    def process_files(
        self,
        paths: Iterable[Path],
        stop: threading.Event | None = None,
        alive: Callable[[], None] | None = None,
    ) -> Iterator[tuple[Path, Outcome]]:
        """Process files in order, in batches (see _run_jobs). `alive` is called as each
        input is extracted and tagged, before its batch is stored: the daemon's watchdog
        ping, which a batch of slow pages would otherwise hold back."""

        def jobs() -> Iterator[tuple[Path, _Job | Outcome]]:
            for path in paths:
                yield path, self._read(path)

        return self._run_jobs(jobs(), stop, alive)

    def _run_jobs(
        self,
        jobs: Iterable[tuple[_K, _Job | Outcome]],
        stop: threading.Event | None = None,
        alive: Callable[[], None] | None = None,
    ) -> Iterator[tuple[_K, Outcome]]:
        """Inputs in batches (up to [pipeline] batch, and READ_AHEAD_BYTES read ahead): each
        batch is extracted and tagged, then grouped into stories as a whole, then stored
        article by article in arrival order. The next batch is extracted meanwhile, so
        the workers are busy while this thread stores (a batch cannot be stored before
        all of it is tagged: its grouping needs every article)."""
        submitted: deque[tuple[_K, _Job, Future[Article]]] = deque()
        size = self.settings.pipeline.batch
        # The batch being stored, the next one, and a few more to keep the workers busy.
        limit = 2 * size + max(1, 4 * self.extractor.workers)
        held = 0  # bytes of the submitted inputs
        for key, job in jobs:
            if stop is not None and stop.is_set():
                break
            if isinstance(job, str):
                yield key, job
                continue
            submitted.append((key, job, self.extractor.submit(job.item)))
            held += len(job.item.raw)
            if alive is not None and not self.extractor.parallel:
                alive()  # submit() extracted it here and now
            while len(submitted) >= limit or held > READ_AHEAD_BYTES:
                batch = [submitted.popleft() for _ in range(min(size, len(submitted)))]
                held -= sum(len(j.item.raw) for _, j, _ in batch)
                yield from self._finish_batch(batch, stop, alive)
        while submitted:
            if stop is not None and stop.is_set():
                for _key, _job, future in submitted:
                    future.cancel()  # not recorded: the next start processes them
                return
            batch = [submitted.popleft() for _ in range(min(size, len(submitted)))]
            yield from self._finish_batch(batch, stop, alive)

    def _finish_batch(
        self,
        batch: list[tuple[_K, _Job, Future[Article]]],
        stop: threading.Event | None,
        alive: Callable[[], None] | None,
    ) -> Iterator[tuple[_K, Outcome]]:
        """One batch: every input through the steps that read nothing stored (failures
        recorded as they come), then the batch planned as a whole (Pipeline.batch), then
        each article stored in arrival order. A stop leaves the rest unrecorded, so the
        next start reads them again; nothing of the batch is half-written."""

        def stopped() -> bool:
            return stop is not None and stop.is_set()

        ready: list[tuple[_K, _Job, Article]] = []
        for n, (key, job, future) in enumerate(batch):
            if stopped():
                for _key, _job, pending in batch[n:]:
                    pending.cancel()
                return
            prepared = self._prepared(job, future)
            if isinstance(prepared, str):
                yield key, prepared
            else:
                ready.append((key, job, prepared))
            if alive is not None:
                alive()
        if stopped():
            return
        articles = [article for _, _, article in ready]
        finish = None
        try:
            if articles:
                finish = self.pipeline.batch(articles)
        except Exception:  # a bug in grouping must cost the grouping, not the articles
            log.exception("could not group a batch; each article is grouped alone")
        for key, job, article in ready:
            if stopped():
                return
            yield key, self._store(job, article, finish)

    def _prepared(self, job: _Job, future: Future[Article]) -> Article | Outcome:
        """The steps that read nothing stored; a failure is recorded and its Outcome
        returned."""
        future = self.extractor.rescue(future, job.item)
        try:
            return self.pipeline.run_ahead(self.extractor.result(future))
        except Rejected as exc:
            return self._fail_job(job, exc.reason)
        except FutureTimeout:
            self.extractor.restart()  # the stuck worker goes with its pool
            reason = (
                f"extraction took longer than {self.extractor.timeout:g} s (a hostile or "
                "broken page?); raise [pipeline] extract_timeout to allow more"
            )
            return self._fail_job(job, reason)
        except (BrokenProcessPool, CancelledError):
            # A worker died (killed, out of memory). Not this input's fault: retry in-process.
            self.extractor.restart()
            log.warning("extraction worker died; retrying in-process", path=job.item.origin)
            return self._prepared(job, _completed(job.item))
        except Exception as exc:  # a bug must cost one input, not the daemon
            return self._internal_error(job, exc)

    def _internal_error(self, job: _Job, exc: Exception) -> Outcome:
        log.exception("internal error while processing an input", path=job.item.origin)
        return self._fail_job(
            job, f"internal error ({type(exc).__name__}: {exc}); please report it"
        )

    def _fail_job(self, job: _Job, reason: str) -> Outcome:
        """An input read and due for the pipeline failed: recorded with its bytes."""
        item = job.item
        return self._fail(item.origin, reason, item.sha256, len(item.raw), item.raw, job.record)

    def _read(self, path: Path) -> _Job | Outcome:
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
            return self._fail(origin, reason, sha256, st.st_size, None, ledger(sha256))
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
            return self._fail(origin, reason, "", st.st_size, None, ledger(""))
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
        return _Job(item, ledger(item.sha256))

    def process_feed_result(
        self, result: PollResult, alive: Callable[[], None] | None = None
    ) -> Counter[str]:
        """Store a poll's new entries, each with its feed_entries row in the article's
        transaction, then the feed's state (ETag, errors): in that order, so a crash
        never leaves a feed "not modified" with entries that were not stored."""
        counts: Counter[str] = Counter()
        db = self.store.db

        def jobs() -> Iterator[tuple[str, _Job | Outcome]]:
            for entry in result.entries:
                if feeds.is_recorded(db, result.feed, entry.key):
                    yield entry.key, "unchanged"
                    continue

                def record(article_id: int | None, _failure_id: int | None, e=entry) -> None:  # type: ignore[no-untyped-def]
                    feeds.record_entry(
                        db, result.feed, e.key, article_id, full_text_error=e.full_text_error
                    )

                yield entry.key, _Job(entry.item, record)

        for _key, outcome in self._run_jobs(jobs(), alive=alive):
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

    def _store(self, job: _Job, article: Article, finish: pipeline.Step | None) -> Outcome:
        """The steps that read the store, then the article, its ledger entry and its
        alerts in one transaction. `finish` is the batch's (Pipeline.batch); None: the
        article is a batch of its own."""
        item = job.item
        try:
            article = (finish or self.pipeline.batch([article]))(article)
        except Rejected as exc:
            return self._fail_job(job, exc.reason)
        except Exception as exc:  # a bug must cost one input, not the daemon
            return self._internal_error(job, exc)
        origin = item.origin

        def write() -> tuple[int, int, int | None]:
            # Run again whole if the store is busy: it only writes, inside the transaction.
            revision = None
            if article.revision is not None:  # replaces its file's earlier version
                article_id, story_is_new, revision = replace_article(self.store, article)
            else:
                article_id = self.store.save_article(article)
                story_is_new = article.story_link is not None and article.story_link.new
            job.record(article_id, None)
            queued = self._queue_alerts(
                article, article_id, story_is_new=story_is_new, revision=revision
            )
            return article_id, queued, revision

        article_id, queued, revision = self.store.write(write, what="article")
        outcome: Outcome = "duplicate" if article.duplicate_of is not None else "new"
        if revision is not None:
            outcome = "revised"
        log.info(
            "article stored",
            path=origin,
            id=article_id,
            outcome=outcome,
            title=article.title,
            language=article.language,
            topics=[t.topic for t in article.topics],
            duplicate_of=article.duplicate_of,
            similarity=article.similarity,
            story=article.story,
            revision=revision,
        )
        if queued:
            self.dispatcher.wake()
        return outcome

    def _queue_alerts(
        self, article: Article, article_id: int, *, story_is_new: bool, revision: int | None
    ) -> int:
        """Inside the article's transaction: the alerts it raises, with their deliveries.
        A revision keeps its article's id, so a rule that alerted before has the same key
        and is not queued again; one that only the new version matches is."""
        now_dt = datetime.now(UTC)
        at = now_dt.isoformat(timespec="milliseconds")
        decisions = self.rules.evaluate(
            article,
            article_id,
            story_is_new=story_is_new,
            now=now_dt,
            query_matches=lambda q, aid: self.store.query_matches(q, aid),
            last_alert=self.store.last_alert_for_story,
        )
        queued = 0
        for d in decisions:
            key = alert_key(d.rule, article_id, self.store.store_id)
            body = payload(d, article_id, article, at, key) | alert_fields(article, revision)
            if (
                self.store.add_alert(
                    rule=d.rule,
                    article_id=article_id,
                    kind=d.kind,
                    story=article.story,
                    key=key,
                    payload=body,
                    channels=d.channels,
                    digest=d.digest,
                )
                is not None
            ):
                queued += 1
        return queued

    def _fail(
        self, origin: str, reason: str, sha256: str, size: int, raw: bytes | None, record: Record
    ) -> Outcome:
        def write() -> None:
            failure_id = self.store.record_failure(
                origin, reason, sha256=sha256 or None, size=size, raw=raw
            )
            record(None, failure_id)

        self.store.write(write, what="failure")
        log.warning("input failed", path=origin, reason=reason)
        return "failed"

    def deliver(self, seconds: float = 30.0) -> Stats:
        """One-shot commands: send what is due now, for at most `seconds`."""
        return self.dispatcher.drain(time.monotonic() + seconds)

    # -- one-shot ------------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[Path], progress: Callable[[Path, Outcome], None] | None = None
    ) -> Counter[str]:
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
        job = _Job(item, record or _no_record)
        return next(iter(self._finish_batch([(None, job, _completed(item))], None, None)))[1]

    def process_items(self, items: Iterable[Item]) -> Counter[str]:
        """Items that arrive together (the story evaluation's backlog), in batches as the
        daemon reads a backlog, outside any ledger."""
        counts: Counter[str] = Counter()
        jobs = ((item.origin, _Job(item, _no_record)) for item in items)
        for _key, outcome in self._run_jobs(jobs):
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
        """Watch the inbox until stop is set. Work happens here, in the calling thread,
        and so do the systemd watchdog pings: a stuck loop stops them."""
        notify = notifier or Notifier({})
        pid, started = os.getpid(), now()
        counts: Counter[str] = Counter()
        # A write waiting for a busy store keeps pinging systemd and ends when stop is set.
        self.store.retry.stop, self.store.retry.alive = stop, notify.watchdog
        handoffs = HandOffs(self.store)

        metrics = self._start_metrics()

        def beat(stopped: bool = False) -> None:
            backlog = self.inbox.pending_count
            if metrics is not None:
                metrics.backlog.set(backlog)
                for status, n in self.store.delivery_counts().items():
                    metrics.deliveries.labels(status).set(n)
                metrics.feed_errors.set(self.store.failing_feeds())
            try:  # a busy store must never stop the daemon: the next beat tries again
                self.store.heartbeat(
                    pid=pid,
                    started_at=started,
                    backlog=backlog,
                    stored=counts["new"] + counts["duplicate"] + counts["revised"],
                    failed=counts["failed"],
                    stopped=stopped,
                    wait=not stopped,
                )
            except (sqlite3.Error, Stopped) as exc:
                log.warning("heartbeat not written; trying again later", error=str(exc))
            notify.status(
                f"{counts['new']} new, {counts['duplicate']} duplicate, "
                f"{counts['failed']} failed; backlog {backlog}"
            )

        self.dispatcher.start()
        self.warm_up()
        fetcher = self.fetcher()
        poller = FeedPoller(self.settings.feeds, self.settings.store.path, fetcher)
        poller.start()
        self.inbox.start()  # watch first, then scan: a file dropped in between is not missed
        for path in self.inbox.scan():
            self.inbox.mark(path)
        self._record_inbox_problems()
        log.info(
            "watching",
            paths=[str(p) for p in self.inbox.roots],
            pending=self.inbox.pending_count,
            store=str(self.store.path),
        )
        notify.ready(
            f"watching {len(self.inbox.roots)} folder(s); backlog {self.inbox.pending_count}"
        )
        beat()
        next_rescan = time.monotonic() + self.settings.inbox.rescan_seconds
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while not stop.is_set():
            notify.watchdog()
            if reload is not None and reload.is_set():
                reload.clear()
                notify.reloading()
                if self._reload():
                    poller.set_feeds(self.settings.feeds)
                notify.ready("reloaded")
            for result in poller.drain(limit=4):
                try:
                    polled = self.process_feed_result(result, notify.watchdog)
                    counts.update(polled)
                except Stopped:  # the entries not recorded are offered again next start
                    break
                except Exception:  # the entries not recorded are offered again next poll
                    log.exception("could not store a feed's entries", feed=result.feed)
                finally:
                    poller.done(result)
                notify.watchdog()
            self.inbox.drain_events(timeout=self.inbox.wait_hint(tick))
            try:
                started_at = time.perf_counter()
                ready = self.inbox.ready()
                for _path, outcome in self.process_files(ready, stop, notify.watchdog):
                    counts[outcome] += 1
                    notify.watchdog()
                    if metrics is not None:
                        metrics.inputs.labels(outcome).inc()
                        metrics.seconds.observe(time.perf_counter() - started_at)
                    started_at = time.perf_counter()
                counts.update(handoffs.serve(self.process_files, stop, notify.watchdog))
            except Stopped:  # in the middle of a busy store: the input in hand is left
                break  # unrecorded, and the next start reads it again
            except Exception:  # e.g. the disk is full: the next rescan retries the files
                log.exception("could not store the outcome of a batch of files")
            if time.monotonic() >= next_rescan:
                for path in self.inbox.scan():
                    self.inbox.mark(path)
                self._record_inbox_problems()
                next_rescan = time.monotonic() + self.settings.inbox.rescan_seconds
            if time.monotonic() >= next_beat:
                beat()
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
        poller.stop(wait=False)
        fetcher.close()
        beat(stopped=True)
        notify.stopping()
        log.info("stopping", pending=self.inbox.pending_count)

    def _start_metrics(self) -> Metrics | None:
        listen = self.settings.metrics.listen
        if not listen:
            return None
        host, port = listen.rsplit(":", 1)
        metrics = Metrics()
        try:
            metrics.serve(host, int(port))
        except OSError as exc:
            log.error(
                "metrics server cannot listen; going on without it", listen=listen, error=str(exc)
            )
            return None
        log.info("metrics served", url=f"http://{listen}/metrics")
        return metrics

    def _reload(self) -> bool:
        """SIGHUP: rebuild the pipeline from the config file; keep the old one if it is bad."""
        from monitor import config  # local: only the daemon reloads

        source = self.settings.source_path
        try:
            fresh = config.load(source) if source else self.settings
            steps = build_pipeline(fresh, self.store)
            steps.warm_up()  # the new language model loads now, not on the next article
            channels, rules = build_alerting(fresh, self.redactor)
            feeds.check_feeds(fresh.feeds)
            if fresh.inbox != self.settings.inbox:
                check_folders(fresh.inbox, source)
        except Exception as exc:
            log.error("reload failed; keeping the running configuration", error=str(exc))
            return False
        self.dispatcher.stop()
        self.pipeline, self.rules = steps, rules
        self.dispatcher = Dispatcher(
            fresh.store.path,
            channels,
            fresh.alerts,
            rules.rules,
            busy_timeout=self.store.retry.busy_timeout,
        )
        self.dispatcher.start()
        old, self.settings = self.settings, fresh
        if fresh.inbox != old.inbox:
            self._rewatch()
        log.info("configuration reloaded", path=str(source))
        restart = needs_restart(old, fresh)
        if restart:
            log.warning(
                "some changed settings take effect only after a restart; restart monitor "
                "to apply them",
                settings=restart,
            )
        return True

    def _rewatch(self) -> None:
        """[inbox] changed on reload: a new watcher on the new folders (the old one stops
        first), its pending files carried over, and a scan of the new folders; a file
        already in the ledger is not read again."""
        old = self.inbox
        fresh = Inbox(self.settings.inbox, exclude=own_files(self.settings))
        old.stop()
        fresh.start()
        fresh.adopt(old)
        for path in fresh.scan():
            fresh.mark(path)
        self.inbox = fresh
        self.read_retries.base = self.settings.inbox.rescan_seconds
        self._record_inbox_problems()
        log.info(
            "watching",
            paths=[str(p) for p in fresh.roots],
            pending=fresh.pending_count,
            store=str(self.store.path),
        )

    def _record_inbox_problems(self) -> None:
        """Folders the scan could not read: in `monitor failures`, once each."""
        while self.inbox.problems:
            folder, reason = self.inbox.problems.pop(0)
            self.store.write(
                lambda f=folder, r=reason: record_failure_once(
                    self.store.db, origin_of(f), r, now()
                ),
                what="failure",
            )


def own_files(settings: Settings) -> list[Path]:
    """The store and the alert logs, never read as input if they sit in an inbox."""
    return [
        settings.store.path,
        settings.alerts.log,
        *(c.path for c in settings.alerts.channels if getattr(c, "path", None)),
    ]


def build_alerting(settings: Settings, redactor: Redactor) -> tuple[dict, RuleSet]:  # type: ignore[type-arg]
    """Channels and rules. Every caller (start, SIGHUP, check-config) comes through here
    before it logs or prints the settings, so the feeds' secrets are registered here too."""
    rules = RuleSet(settings.alerts.rules, settings.stories, console=settings.alerts.console)
    feeds.register_secrets(settings.feeds, redactor)
    return build_channels(settings.alerts, redactor), rules


def build_inbox(settings: Settings) -> Inbox:
    """The inbox folders, never reading the store or our own logs as input."""
    return Inbox(settings.inbox, exclude=own_files(settings))


def steps_topics(settings: Settings) -> list[str]:
    """Topic ids of the taxonomy in force, to check that rules name real topics."""
    taxonomy = load_taxonomy(settings.tagging.taxonomy, overrides=settings.topics or None)
    return list(taxonomy.topic_ids())


def build_taggers(settings: Settings) -> tuple[TopicTagger, EntityTagger]:
    """The taxonomy and gazetteer in force (shipped, or the configured files, with
    config.toml's [topics] and [entities] on top), compiled."""
    taxonomy = load_taxonomy(settings.tagging.taxonomy, overrides=settings.topics or None)
    gazetteer = load_gazetteer(settings.tagging.gazetteer, extra=settings.entities or None)
    return TopicTagger(taxonomy), EntityTagger(gazetteer)


def build_pipeline(settings: Settings, store: Store | None = None) -> pipeline.Pipeline:
    """With a store, copies and stories are looked up in it (read-only: the writes happen
    in _store's transaction); without one (check-config), nothing is found."""
    topics, entities = build_taggers(settings)
    return pipeline.build(
        find_by_hash=store.find_by_body_hash if store else _nothing_found,
        topics=topics,
        entities=entities,
        language=LanguageDetector(),
        near=NearDuplicates(settings.dedup.jaccard, settings.dedup.containment),
        find_near=store.near_candidates if store else None,
        find_stored=partial(stored_version, store) if store else None,
        stories=Stories(
            settings.stories.window_days,
            settings.stories.similarity,
            settings.stories.dated_threshold,
        ),
        story_index=store,
    )


def install_signal_handlers(stop: threading.Event, reload: threading.Event) -> None:
    """SIGTERM/SIGINT finish the current file and stop; SIGHUP asks for a reload."""

    def on_stop(signum: int, _frame: object) -> None:
        stop.set()

    def on_hup(signum: int, _frame: object) -> None:
        reload.set()

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGHUP, on_hup)


def origin_of(path: Path) -> str:
    """The path as stored. A file name that is not valid UTF-8 (a latin-1 name copied from
    an old share) keeps its bytes visible as escapes instead of breaking the insert."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text


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
