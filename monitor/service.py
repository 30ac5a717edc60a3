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
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

import structlog

from monitor import pipeline
from monitor.alerts.channels import build_channels
from monitor.alerts.outbox import Dispatcher, Stats
from monitor.alerts.rules import RuleSet, alert_key, payload
from monitor.config import ConfigError, Settings
from monitor.dedup import HashLookup
from monitor.models import Article, Item, Rejected
from monitor.ops.redact import Redactor
from monitor.ops.systemd import Notifier
from monitor.sources.inbox import Inbox, kind_of
from monitor.store.db import Store, now
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.topics import TopicTagger, load_taxonomy
from monitor.text.language import LanguageDetector
from monitor.workers import BrokenProcessPool, Extractor

log = structlog.get_logger("monitor")

HEARTBEAT_SECONDS = 5.0  # how often the daemon records that it is alive, for `monitor status`

Outcome = Literal["new", "duplicate", "failed", "unchanged"]


class _Stat(Protocol):
    st_size: int
    st_mtime_ns: int


@dataclass(frozen=True)
class _Read:
    """A file read and due for the pipeline, with the stat the ledger will record."""

    item: Item
    st_size: int
    st_mtime_ns: int


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

    @classmethod
    def build(cls, settings: Settings, redactor: Redactor | None = None) -> Service:
        """Everything from the settings; ConfigError for anything a user must fix."""
        store = Store(settings.store.path)
        redactor = redactor or Redactor()
        built, rules = build_alerting(settings, redactor)
        steps = build_pipeline(settings, store.find_by_body_hash)
        unknown = rules.unknown_topics(set(steps_topics(settings)))
        if unknown:
            raise ConfigError(
                f"{settings.source_path}: unknown topics in [[alerts.rules]]: " + "; ".join(unknown)
            )
        logs = [
            settings.alerts.log,
            *(c.path for c in settings.alerts.channels if getattr(c, "path", None)),
        ]
        return cls(
            settings=settings,
            store=store,
            pipeline=steps,
            rules=rules,
            dispatcher=Dispatcher(settings.store.path, built, settings.alerts, rules.rules),
            inbox=Inbox(settings.inbox, exclude=[settings.store.path, *logs]),
            redactor=redactor,
            extractor=Extractor(
                settings.pipeline.worker_count(), settings.pipeline.extract_timeout
            ),
        )

    def close(self) -> None:
        self.inbox.stop()
        self.dispatcher.stop()
        self.extractor.close()
        self.store.close()

    # -- files ---------------------------------------------------------------------------

    def process_file(self, path: Path) -> Outcome:
        """Run one file through the pipeline and store the outcome; never raises for bad input."""
        return next(iter(self.process_files([path])))[1]

    def process_files(
        self, paths: Iterable[Path], stop: threading.Event | None = None
    ) -> Iterator[tuple[Path, Outcome]]:
        """Process files in order, with decode+extract of the next few already running in
        the worker processes while this thread finishes and stores the current one."""
        in_flight: deque[tuple[Path, _Read, Future[Article]]] = deque()
        window = max(1, 2 * self.extractor.workers)
        for path in paths:
            if stop is not None and stop.is_set():
                break
            read = self._read(path)
            if isinstance(read, str):
                yield path, read
                continue
            in_flight.append((path, read, self.extractor.submit(read.item)))
            while len(in_flight) >= window:
                yield self._finish(*in_flight.popleft())
        while in_flight:
            if stop is not None and stop.is_set():
                for _path, _read, future in in_flight:
                    future.cancel()  # not stored: the ledger does not have them, next start does
                return
            yield self._finish(*in_flight.popleft())

    def _read(self, path: Path) -> _Read | Outcome:
        """Ledger and size checks, then the bytes; an Outcome when there is nothing to run."""
        origin = origin_of(path)
        try:
            st = path.stat()
        except OSError as exc:
            log.warning("file vanished before it was read", path=origin, error=str(exc))
            return "failed"
        seen = self.store.ledger_get(origin)
        if seen and (seen["size"], seen["mtime_ns"]) == (st.st_size, st.st_mtime_ns):
            return "unchanged"
        limit = int(self.settings.inbox.max_file_mb * 1024 * 1024)
        if st.st_size > limit:
            reason = (
                f"file is {st.st_size / 1048576:.1f} MB, over the limit of "
                f"{self.settings.inbox.max_file_mb:g} MB; raise [inbox] max_file_mb to read it"
            )
            return self._fail(origin, reason, st, _sha256_file(path), raw=None)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return self._fail(origin, f"cannot read the file: {exc}", st, None, raw=None)
        item = Item(origin=origin, raw=raw, kind=kind_of(path), seen_at=datetime.now(UTC))  # type: ignore[arg-type]
        if seen and seen["sha256"] == item.sha256:
            with self.store.db.atomic():  # touched, not changed: remember the new mtime
                self.store.ledger_put(
                    origin,
                    size=st.st_size,
                    mtime_ns=st.st_mtime_ns,
                    sha256=item.sha256,
                    outcome=seen["outcome"],
                    article_id=seen["article_id"],
                    failure_id=seen["failure_id"],
                )
            return "unchanged"
        return _Read(item, st.st_size, st.st_mtime_ns)

    def _finish(self, path: Path, read: _Read, future: Future[Article]) -> tuple[Path, Outcome]:
        item = read.item
        origin = item.origin
        try:
            article = self.pipeline.finish(future.result(timeout=self.extractor.timeout))
        except Rejected as exc:
            return path, self._fail(origin, exc.reason, read, item.sha256, raw=item.raw)
        except FutureTimeout:
            self.extractor.restart()  # the stuck worker goes with its pool
            reason = (
                f"extraction took longer than {self.extractor.timeout:g} s (a hostile or "
                "broken page?); raise [pipeline] extract_timeout to allow more"
            )
            return path, self._fail(origin, reason, read, item.sha256, raw=item.raw)
        except BrokenProcessPool:
            # A worker died (killed, out of memory). Not this file's fault: retry in-process.
            self.extractor.restart()
            log.warning("extraction worker died; retrying the file in-process", path=origin)
            return self._finish(path, read, _completed(item))
        except Exception as exc:  # a bug must cost one file, not the daemon
            log.exception("internal error while processing a file", path=origin)
            reason = f"internal error ({type(exc).__name__}: {exc}); please report it"
            return path, self._fail(origin, reason, read, item.sha256, raw=item.raw)
        with self.store.db.atomic():
            article_id = self.store.save_article(article)
            self.store.ledger_put(
                origin,
                size=read.st_size,
                mtime_ns=read.st_mtime_ns,
                sha256=item.sha256,
                outcome="article",
                article_id=article_id,
            )
            queued = self._queue_alerts(article, article_id, story_is_new=False)
        outcome: Outcome = "duplicate" if article.duplicate_of is not None else "new"
        log.info(
            "article stored",
            path=origin,
            id=article_id,
            outcome=outcome,
            title=article.title,
            language=article.language,
            topics=[t.topic for t in article.topics],
            duplicate_of=article.duplicate_of,
        )
        if queued:
            self.dispatcher.wake()
        return path, outcome

    def _queue_alerts(self, article: Article, article_id: int, *, story_is_new: bool) -> int:
        """Inside the article's transaction: the alerts it raises, with their deliveries."""
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
            key = alert_key(d.rule, article_id)
            body = payload(d, article_id, article, at, key)
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
        self, origin: str, reason: str, stat: _Stat, sha256: str | None, raw: bytes | None
    ) -> Outcome:
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
        with self.store.db.atomic():
            failure_id = self.store.record_failure(
                origin, reason, sha256=sha256, size=size, raw=raw
            )
            self.store.ledger_put(
                origin,
                size=size,
                mtime_ns=mtime_ns,
                sha256=sha256 or "",
                outcome="failed",
                failure_id=failure_id,
            )
        log.warning("file failed", path=origin, reason=reason)
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
        for origin, content in rows:
            path = Path(origin)
            with self.store.db.atomic():
                self.store.db.execute("DELETE FROM ledger WHERE path = ?", [origin])
            if path.is_file():
                counts[self.process_file(path)] += 1
            elif content is not None:
                counts[self._process_raw(origin, content)] += 1
            else:
                log.warning("cannot retry: file gone and its bytes were not kept", path=origin)
                counts["gone"] += 1
        return counts

    def _process_raw(self, origin: str, raw: bytes) -> Outcome:
        item = Item(origin=origin, raw=raw, kind=kind_of(Path(origin)), seen_at=datetime.now(UTC))  # type: ignore[arg-type]
        try:
            article = self.pipeline.run(item)
        except Rejected as exc:
            with self.store.db.atomic():
                self.store.record_failure(
                    origin, exc.reason, sha256=item.sha256, size=len(raw), raw=raw
                )
            return "failed"
        with self.store.db.atomic():
            article_id = self.store.save_article(article)
            self._queue_alerts(article, article_id, story_is_new=False)
        return "duplicate" if article.duplicate_of is not None else "new"

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

        def beat(stopped: bool = False) -> None:
            backlog = self.inbox.pending_count
            self.store.heartbeat(
                pid=pid,
                started_at=started,
                backlog=backlog,
                stored=counts["new"] + counts["duplicate"],
                failed=counts["failed"],
                stopped=stopped,
            )
            notify.status(
                f"{counts['new']} new, {counts['duplicate']} duplicate, "
                f"{counts['failed']} failed; backlog {backlog}"
            )

        self.dispatcher.start()
        self.extractor.warm_up()
        self.inbox.start()  # watch first, then scan: a file dropped in between is not missed
        for path in self.inbox.scan():
            self.inbox.mark(path)
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
                self._reload()
                notify.ready("reloaded")
            self.inbox.drain_events(timeout=self.inbox.wait_hint(tick))
            try:
                for _path, outcome in self.process_files(self.inbox.ready(), stop):
                    counts[outcome] += 1
                    notify.watchdog()
            except Exception:  # e.g. the disk is full: the next rescan retries the files
                log.exception("could not store the outcome of a batch of files")
            if time.monotonic() >= next_rescan:
                for path in self.inbox.scan():
                    self.inbox.mark(path)
                next_rescan = time.monotonic() + self.settings.inbox.rescan_seconds
            if time.monotonic() >= next_beat:
                beat()
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
        beat(stopped=True)
        notify.stopping()
        log.info("stopping", pending=self.inbox.pending_count)

    def _reload(self) -> None:
        """SIGHUP: rebuild the pipeline from the config file; keep the old one if it is bad."""
        from monitor import config  # local: only the daemon reloads

        source = self.settings.source_path
        try:
            fresh = config.load(source) if source else self.settings
            steps = build_pipeline(fresh, self.store.find_by_body_hash)
            channels, rules = build_alerting(fresh, self.redactor)
        except Exception as exc:
            log.error("reload failed; keeping the running configuration", error=str(exc))
            return
        self.dispatcher.stop()
        self.pipeline, self.rules = steps, rules
        self.dispatcher = Dispatcher(fresh.store.path, channels, fresh.alerts, rules.rules)
        self.dispatcher.start()
        self.settings = fresh
        log.info("configuration reloaded", path=str(source))


def build_alerting(settings: Settings, redactor: Redactor) -> tuple[dict, RuleSet]:  # type: ignore[type-arg]
    rules = RuleSet(settings.alerts.rules, settings.stories, console=settings.alerts.console)
    return build_channels(settings.alerts, redactor), rules


def steps_topics(settings: Settings) -> list[str]:
    """Topic ids of the taxonomy in force, to check that rules name real topics."""
    taxonomy = load_taxonomy(settings.tagging.taxonomy, overrides=settings.topics or None)
    return list(taxonomy.topic_ids())


def build_pipeline(settings: Settings, find_by_hash: HashLookup) -> pipeline.Pipeline:
    taxonomy = load_taxonomy(settings.tagging.taxonomy, overrides=settings.topics or None)
    gazetteer = load_gazetteer(settings.tagging.gazetteer, extra=settings.entities or None)
    return pipeline.build(
        find_by_hash=find_by_hash,
        topics=TopicTagger(taxonomy),
        entities=EntityTagger(gazetteer),
        language=LanguageDetector(),
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
