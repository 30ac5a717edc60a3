"""`monitor run`: the service's loop until stopped, and what only a long-running process
needs: the heartbeat and metrics, a reload on SIGHUP, a new watcher when [inbox] changes,
and the signal handlers.

Apart from the service (service.py), which builds the parts and runs inputs through
them, because none of this is needed by the one-shot commands (`ingest`, `feeds poll`,
`retry-failed`) and the loop reads best as one function. The loop works in the calling
thread, and so do the systemd watchdog pings: a stuck loop stops them.
"""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

import structlog

from monitor.alerts.outbox import Dispatcher
from monitor.assembly import build_alerting, build_inbox, build_pipeline
from monitor.handoff import HandOffs
from monitor.ops.reload import needs_restart
from monitor.ops.systemd import Notifier
from monitor.sources import feeds
from monitor.sources.feeds.polling import Polling
from monitor.sources.inbox import check_folders
from monitor.sources.ledger_keys import origin_of
from monitor.store.busy import Stopped
from monitor.store.db import HEARTBEAT_SECONDS, now
from monitor.store.failures import record_failure_once

if TYPE_CHECKING:
    from monitor.ops.metrics import Metrics
    from monitor.service import Service

log = structlog.get_logger("monitor")


class Daemon:
    """One run of the loop over a built service; a reload replaces the service's parts."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def _warm_up(self) -> None:
        try:
            self.service.warm_up()
        except Exception:  # the first input loads it again, and reports what fails then
            log.exception("warm-up failed")
        # What it loaded (the tagging tables, the models) lives as long as the daemon:
        # the cyclic collector need not traverse it again and again (ops/collector.py).
        gc.freeze()

    def run(
        self,
        stop: threading.Event,
        reload: threading.Event | None = None,
        notifier: Notifier | None = None,
        tick: float = 0.2,
    ) -> None:
        """Watch the inbox until stop is set. Work happens here, in the calling thread,
        and so do the systemd watchdog pings: a stuck loop stops them."""
        service = self.service
        notify = notifier or Notifier({})
        pid, started = os.getpid(), now()
        counts: Counter[str] = Counter()
        # A write waiting for a busy store keeps pinging systemd and ends when stop is set.
        service.store.retry.stop, service.store.retry.alive = stop, notify.watchdog
        handoffs = HandOffs(service.store)

        metrics = self._start_metrics()

        def beat(stopped: bool = False) -> None:
            backlog = service.inbox.pending_count
            if metrics is not None:
                metrics.backlog.set(backlog)
                for status, n in service.store.delivery_counts().items():
                    metrics.deliveries.labels(status).set(n)
                metrics.feed_errors.set(service.store.failing_feeds())
            try:  # a busy store must never stop the daemon: the next beat tries again
                service.store.heartbeat(
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

        service.dispatcher.start()
        poller = Polling(service.settings.store.path, service.fetcher)  # on a first feed
        poller.set_feeds(service.settings.feeds)
        service.inbox.start()  # watch first, then scan: a file dropped in between is not missed
        for path in service.inbox.scan():
            service.inbox.mark(path)
        self._record_inbox_problems()
        log.info(
            "watching",
            paths=[str(p) for p in service.inbox.roots],
            pending=service.inbox.pending_count,
            store=str(service.store.path),
        )
        notify.ready(
            f"watching {len(service.inbox.roots)} folder(s); backlog {service.inbox.pending_count}"
        )
        # Loaded in a thread once the inbox is watched and scanned, not before (the thread
        # would hold the interpreter's lock meanwhile): the daemon is ready in tenths of a
        # second, and a file that arrives first waits for what it needs.
        warming = threading.Thread(target=self._warm_up, name="warm-up", daemon=True)
        warming.start()
        beat()
        next_rescan = time.monotonic() + service.settings.inbox.rescan_seconds
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while not stop.is_set():
            notify.watchdog()
            if reload is not None and reload.is_set():
                reload.clear()
                notify.reloading()
                if self._reload():
                    poller.set_feeds(service.settings.feeds)
                notify.ready("reloaded")
            for result in poller.drain(limit=4):
                try:
                    polled = service.process_feed_result(result, notify.watchdog)
                    counts.update(polled)
                except Stopped:  # the entries not recorded are offered again next start
                    break
                except Exception:  # the entries not recorded are offered again next poll
                    log.exception("could not store a feed's entries", feed=result.feed)
                finally:
                    poller.done(result)
                notify.watchdog()
            service.inbox.drain_events(timeout=service.inbox.wait_hint(tick))
            try:
                started_at = time.perf_counter()
                ready = service.inbox.ready()
                for _path, outcome in service.process_files(ready, stop, notify.watchdog):
                    counts[outcome] += 1
                    notify.watchdog()
                    if metrics is not None:
                        metrics.inputs.labels(outcome).inc()
                        metrics.seconds.observe(time.perf_counter() - started_at)
                    started_at = time.perf_counter()
                counts.update(handoffs.serve(service.process_files, stop, notify.watchdog))
            except Stopped:  # in the middle of a busy store: the input in hand is left
                break  # unrecorded, and the next start reads it again
            except Exception:  # e.g. the disk is full: the next rescan retries the files
                log.exception("could not store the outcome of a batch of files")
            if time.monotonic() >= next_rescan:
                for path in service.inbox.scan():
                    service.inbox.mark(path)
                self._record_inbox_problems()
                next_rescan = time.monotonic() + service.settings.inbox.rescan_seconds
            if time.monotonic() >= next_beat:
                beat()
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
        poller.stop()
        # A stop during the warm-up waits for it (a second or two): a thread still
        # importing or logging while the interpreter shuts down can abort the process.
        warming.join(timeout=30)
        beat(stopped=True)
        notify.stopping()
        log.info("stopping", pending=service.inbox.pending_count)

    def _start_metrics(self) -> Metrics | None:
        listen = self.service.settings.metrics.listen
        if not listen:
            return None
        from monitor.ops.metrics import Metrics  # prometheus_client: only when served

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

        service = self.service
        source = service.settings.source_path
        try:
            fresh = config.load(source) if source else service.settings
            steps = build_pipeline(fresh, service.store)
            steps.warm_up()  # the new language model loads now, not on the next article
            channels, rules = build_alerting(fresh, service.redactor)
            feeds.check_feeds(fresh.feeds)
            if fresh.inbox != service.settings.inbox:
                check_folders(fresh.inbox, source)
        except Exception as exc:
            log.error("reload failed; keeping the running configuration", error=str(exc))
            return False
        service.dispatcher.stop()
        service.pipeline, service.rules = steps, rules
        service.dispatcher = Dispatcher(
            fresh.store.path,
            channels,
            fresh.alerts,
            rules.rules,
            busy_timeout=service.store.retry.busy_timeout,
        )
        service.dispatcher.start()
        old, service.settings = service.settings, fresh
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
        service = self.service
        old = service.inbox
        fresh = build_inbox(service.settings)
        old.stop()
        fresh.start()
        fresh.adopt(old)
        for path in fresh.scan():
            fresh.mark(path)
        service.inbox = fresh
        service.read_retries.base = service.settings.inbox.rescan_seconds
        self._record_inbox_problems()
        log.info(
            "watching",
            paths=[str(p) for p in fresh.roots],
            pending=fresh.pending_count,
            store=str(service.store.path),
        )

    def _record_inbox_problems(self) -> None:
        """Folders the scan could not read: in `monitor failures`, once each."""
        store, inbox = self.service.store, self.service.inbox
        while inbox.problems:
            folder, reason = inbox.problems.pop(0)
            store.write(
                lambda f=folder, r=reason: record_failure_once(store.db, origin_of(f), r, now()),
                what="failure",
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
