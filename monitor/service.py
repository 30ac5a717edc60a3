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
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog

from monitor import pipeline
from monitor.alerts import rules
from monitor.alerts.log import AlertLog
from monitor.config import Settings
from monitor.dedup import HashLookup
from monitor.models import Item, Rejected
from monitor.sources.inbox import Inbox, kind_of
from monitor.store.db import Store, now
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.topics import TopicTagger, load_taxonomy
from monitor.text.language import LanguageDetector

log = structlog.get_logger("monitor")

Outcome = Literal["new", "duplicate", "failed", "unchanged"]


@dataclass
class Service:
    settings: Settings
    store: Store
    pipeline: pipeline.Pipeline
    alert_log: AlertLog
    inbox: Inbox

    @classmethod
    def build(cls, settings: Settings) -> Service:
        store = Store(settings.store.path)
        return cls(
            settings=settings,
            store=store,
            pipeline=build_pipeline(settings, store.find_by_body_hash),
            alert_log=AlertLog(settings.alerts.log),
            inbox=Inbox(settings.inbox, exclude=[settings.store.path, settings.alerts.log]),
        )

    def close(self) -> None:
        self.inbox.stop()
        self.store.close()

    # -- one file ------------------------------------------------------------------------

    def process_file(self, path: Path) -> Outcome:
        """Run one file through the pipeline and store the outcome; never raises for bad input."""
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
        try:
            article = self.pipeline.run(item)
        except Rejected as exc:
            return self._fail(origin, exc.reason, st, item.sha256, raw=raw)
        except Exception as exc:  # a bug must cost one file, not the daemon
            log.exception("internal error while processing a file", path=origin)
            reason = f"internal error ({type(exc).__name__}: {exc}); please report it"
            return self._fail(origin, reason, st, item.sha256, raw=raw)
        with self.store.db.atomic():
            article_id = self.store.save_article(article)
            self.store.ledger_put(
                origin,
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                sha256=item.sha256,
                outcome="article",
                article_id=article_id,
            )
            at = now()
            for rule in rules.matching_rules(article):
                self.store.add_alert(rule, article_id, rules.payload(rule, article_id, article, at))
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
        self.flush_alerts()
        return outcome

    def _fail(
        self, origin: str, reason: str, st: object, sha256: str | None, raw: bytes | None
    ) -> Outcome:
        size, mtime_ns = st.st_size, st.st_mtime_ns  # type: ignore[attr-defined]
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

    def flush_alerts(self) -> int:
        """Append every alert not yet in the log; runs after each commit and at start-up."""
        pending = self.store.unlogged_alerts()
        for alert_id, alert in pending:
            self.alert_log.append(alert)
            self.store.mark_logged(alert_id)
            if self.settings.alerts.console:
                log.warning(
                    "ALERT",
                    rule=alert["rule"],
                    title=alert["title"],
                    topics=alert["topics"],
                    origin=alert["origin"],
                )
        return len(pending)

    # -- one-shot ------------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[Path], progress: Callable[[Path, Outcome], None] | None = None
    ) -> Counter[str]:
        counts: Counter[str] = Counter()
        self.flush_alerts()
        for path in paths:
            outcome = self.process_file(path)
            counts[outcome] += 1
            if progress:
                progress(path, outcome)
        return counts

    # -- daemon --------------------------------------------------------------------------

    def run_forever(
        self, stop: threading.Event, reload: threading.Event | None = None, tick: float = 0.2
    ) -> None:
        """Watch the inbox until stop is set. Work happens here, in the calling thread."""
        self.flush_alerts()
        self.inbox.start()  # watch first, then scan: a file dropped in between is not missed
        for path in self.inbox.scan():
            self.inbox.mark(path)
        log.info(
            "watching",
            paths=[str(p) for p in self.inbox.roots],
            pending=self.inbox.pending_count,
            store=str(self.store.path),
        )
        next_rescan = time.monotonic() + self.settings.inbox.rescan_seconds
        while not stop.is_set():
            if reload is not None and reload.is_set():
                reload.clear()
                self._reload()
            self.inbox.drain_events(timeout=tick)
            for path in self.inbox.ready():
                if stop.is_set():
                    break
                try:
                    self.process_file(path)
                except Exception:  # e.g. the disk is full: the next rescan retries the file
                    log.exception("could not store the outcome of a file", path=origin_of(path))
            if time.monotonic() >= next_rescan:
                for path in self.inbox.scan():
                    self.inbox.mark(path)
                next_rescan = time.monotonic() + self.settings.inbox.rescan_seconds
        log.info("stopping", pending=self.inbox.pending_count)

    def _reload(self) -> None:
        """SIGHUP: rebuild the pipeline from the config file; keep the old one if it is bad."""
        from monitor import config  # local: only the daemon reloads

        source = self.settings.source_path
        try:
            fresh = config.load(source) if source else self.settings
            self.pipeline = build_pipeline(fresh, self.store.find_by_body_hash)
        except Exception as exc:
            log.error("reload failed; keeping the running configuration", error=str(exc))
            return
        log.info("configuration reloaded", path=str(source))


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
