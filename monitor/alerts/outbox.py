"""Delivery of queued alerts: retries with backoff, dead letters, digests, one thread per channel.

The article's transaction only writes rows (alert + one delivery per channel); sending
happens here, later, so ingestion never waits for a network. Each channel has its own
thread and SQLite connection: a webhook that hangs for its whole timeout delays only
its own queue. Delivery is at-least-once: a delivery is claimed (attempts + 1) before it
is sent and marked sent after, so a crash in between sends it again on restart, with the
same idempotency key, and `retry=True` so the log channel can check it is not there yet.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from monitor.alerts.channels import Channel, DeliveryError, Message
from monitor.alerts.render import Renderer
from monitor.config import AlertsConfig, RuleConfig
from monitor.store.busy import BUSY_TIMEOUT, Retry, Stopped
from monitor.store.identity import store_id

log = structlog.get_logger("monitor.alerts")

_DIGEST_PERIOD = {"hourly": 3600.0, "daily": 86400.0}
_IDLE_WAIT = 1.0  # seconds between looks at the queue when nothing is due


@dataclass
class Stats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.dead


class Dispatcher:
    def __init__(
        self,
        db_path: Path,
        channels: dict[str, tuple[Channel, Renderer]],
        policy: AlertsConfig,
        rules: tuple[RuleConfig, ...] = (),
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.db_path = db_path
        self.channels = channels
        self.policy = policy
        self.digest_rules = [r for r in rules if r.digest != "off"]
        self._stop = threading.Event()
        self._wake: dict[str, threading.Event] = {name: threading.Event() for name in channels}
        self._threads: list[threading.Thread] = []
        self._local = threading.local()
        # Every write is one statement or one transaction, run again while another process
        # holds the store's write lock; stop() ends the wait (store/busy.py).
        self._retry = Retry(busy_timeout=busy_timeout, stop=self._stop)

    # -- one pass, usable from any thread ------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.db_path, timeout=self._retry.busy_timeout, isolation_level=None
            )
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def release_claims(self) -> int:
        """At start-up: deliveries claimed by a process that died are due again now."""
        cur = self._retry.run(
            lambda: self._conn().execute(
                "UPDATE deliveries SET claimed_at = NULL, next_attempt = ? "
                "WHERE status = 'pending' AND claimed_at IS NOT NULL",
                [time.time()],
            ),
            what="release alert claims",
        )
        return cur.rowcount

    def deliver_due(self, channel: str, limit: int = 50) -> Stats:
        """Try every due delivery of one channel once."""
        stats = Stats()
        conn = self._conn()
        rows = conn.execute(
            "SELECT d.id, a.key, a.payload FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
            "WHERE d.channel = ? AND d.status = 'pending' AND d.next_attempt <= ? "
            "AND d.claimed_at IS NULL ORDER BY d.id LIMIT ?",
            [channel, time.time(), limit],
        ).fetchall()
        for row in rows:
            if self._stop.is_set():
                break
            attempts = self._claim(conn, row["id"])
            if attempts is None:
                continue  # another process took it
            self._attempt(conn, channel, row, attempts, stats)
        return stats

    def _claim(self, conn: sqlite3.Connection, delivery_id: int) -> int | None:
        def claim() -> sqlite3.Row | None:
            cur = conn.execute(
                "UPDATE deliveries SET claimed_at = ?, attempts = attempts + 1 "
                "WHERE id = ? AND status = 'pending' AND claimed_at IS NULL RETURNING attempts",
                [time.time(), delivery_id],
            )
            row: sqlite3.Row | None = cur.fetchone()
            cur.close()  # RETURNING: the statement (and its write) ends with the cursor
            return row

        row = self._retry.run(claim, what="claim an alert delivery")
        return None if row is None else int(row[0])

    def _attempt(
        self, conn: sqlite3.Connection, channel: str, row: sqlite3.Row, attempts: int, stats: Stats
    ) -> None:
        sender, renderer = self.channels[channel]
        payload: dict[str, Any] = json.loads(row["payload"])
        try:
            subject, text = renderer.render(payload) if sender.reads_text else ("", "")
            sender.send(Message(row["key"], payload, subject, text, retry=attempts > 1))
        except DeliveryError as exc:
            self._failed(
                conn,
                row["id"],
                channel,
                attempts,
                exc.reason,
                exc.permanent,
                exc.retry_after,
                stats,
            )
            return
        except Exception as exc:  # a template or channel bug: retry, and say so
            log.exception("alert channel error", channel=channel)
            self._failed(
                conn,
                row["id"],
                channel,
                attempts,
                f"{type(exc).__name__}: {exc}",
                False,
                None,
                stats,
            )
            return
        sent_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._retry.run(
            lambda: conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, claimed_at = NULL, "
                "last_error = NULL WHERE id = ?",
                [sent_at, row["id"]],
            ),
            what="mark an alert sent",
        )
        stats.sent += 1

    def _failed(
        self,
        conn: sqlite3.Connection,
        delivery_id: int,
        channel: str,
        attempts: int,
        reason: str,
        permanent: bool,
        retry_after: float | None,
        stats: Stats,
    ) -> None:
        stats.errors[channel] = reason
        if permanent or attempts >= self.policy.max_attempts:
            self._retry.run(
                lambda: conn.execute(
                    "UPDATE deliveries SET status = 'dead', claimed_at = NULL, last_error = ? "
                    "WHERE id = ?",
                    [reason, delivery_id],
                ),
                what="record a failed alert",
            )
            stats.dead += 1
            log.error(
                "alert delivery gave up",
                channel=channel,
                attempts=attempts,
                error=reason,
                hint="see `monitor alerts --failed`; resend with `monitor alerts retry`",
            )
            return
        delay = min(
            self.policy.max_backoff_seconds, self.policy.backoff_seconds * 2 ** (attempts - 1)
        )
        delay = delay * random.uniform(0.5, 1.0)  # jitter: retries of many alerts spread out
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.policy.max_backoff_seconds))
        next_attempt = time.time() + delay
        self._retry.run(
            lambda: conn.execute(
                "UPDATE deliveries SET claimed_at = NULL, next_attempt = ?, last_error = ? "
                "WHERE id = ?",
                [next_attempt, reason, delivery_id],
            ),
            what="record a failed alert",
        )
        stats.failed += 1
        log.warning(
            "alert delivery failed; will retry",
            channel=channel,
            attempts=attempts,
            error=reason,
            retry_in=round(delay, 1),
        )

    def drain(self, deadline: float) -> Stats:
        """Deliver whatever is due, channel by channel, until nothing is due or time is up.

        For one-shot commands; a delivery scheduled for a later retry is left to the daemon.
        """
        total = Stats()
        self.release_claims()
        self.make_digests()
        while time.monotonic() < deadline:
            progress = 0
            for name in self.channels:
                stats = self.deliver_due(name)
                total.sent += stats.sent
                total.failed += stats.failed
                total.dead += stats.dead
                total.errors |= stats.errors
                progress += stats.attempted
            if not progress:
                break
        return total

    def pending(self) -> int:
        row = (
            self._conn()
            .execute("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            .fetchone()
        )
        return int(row[0])

    # -- digests -------------------------------------------------------------------------

    def make_digests(self, now: float | None = None) -> int:
        """Turn each digest rule's collected alerts into one alert per period."""
        now = time.time() if now is None else now
        conn = self._conn()
        made = 0
        for rule in self.digest_rules:
            period = _DIGEST_PERIOD[rule.digest]
            row = conn.execute(
                "SELECT last_sent FROM digests WHERE rule = ?", [rule.name]
            ).fetchone()
            if row is None:
                self._retry.run(
                    lambda r=rule: conn.execute(  # type: ignore[misc]
                        "INSERT OR IGNORE INTO digests (rule, last_sent) VALUES (?, ?)",
                        [r.name, now],
                    ),
                    what="start a digest",
                )
                continue
            if now - row[0] < period:
                continue
            made += self._retry.run(
                lambda r=rule, since=row[0]: self._digest(conn, r, since=since, now=now),  # type: ignore[misc]
                what="make a digest",
            )
        return made

    def _digest(self, conn: sqlite3.Connection, rule: RuleConfig, since: float, now: float) -> int:
        conn.execute("BEGIN IMMEDIATE")
        try:
            items = conn.execute(
                "SELECT id, payload FROM alerts WHERE rule = ? AND digest_pending = 1 ORDER BY id",
                [rule.name],
            ).fetchall()
            conn.execute("UPDATE digests SET last_sent = ? WHERE rule = ?", [now, rule.name])
            if not items:
                conn.execute("COMMIT")
                return 0
            at = datetime.now(UTC).isoformat(timespec="milliseconds")
            # With the store's id: another store's digest of the same rule and second
            # must not share its key.
            key = f"digest-{store_id(conn) or 'store'}-{rule.name}-{int(now)}"
            entries = [json.loads(r["payload"]) for r in items]
            payload = {
                "at": at,
                "rule": rule.name,
                "kind": "digest",
                "key": key,
                "count": len(entries),
                "since": datetime.fromtimestamp(since, UTC).isoformat(timespec="seconds"),
                "items": [
                    {
                        k: e.get(k)
                        for k in (
                            "article_id",
                            "title",
                            "snippet",
                            "topics",
                            "origin",
                            "story",
                            "kind",
                        )
                    }
                    for e in entries
                ],
            }
            cur = conn.execute(
                "INSERT INTO alerts (rule, article_id, kind, story, key, at, payload) "
                "VALUES (?, NULL, 'digest', NULL, ?, ?, ?)",
                [rule.name, key, at, json.dumps(payload, ensure_ascii=False)],
            )
            digest_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO deliveries (alert_id, channel, next_attempt) VALUES (?, ?, 0)",
                [(digest_id, c) for c in rule.channels],
            )
            conn.executemany(
                "UPDATE alerts SET digest_pending = 0, digest_id = ? WHERE id = ?",
                [(digest_id, r["id"]) for r in items],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return 1

    # -- background ----------------------------------------------------------------------

    def start(self) -> None:
        """In a thread of its own: releasing old claims may wait for a busy store, and the
        daemon must not wait with it (it would not see SIGTERM)."""
        t = threading.Thread(target=self._start, name="alerts-start", daemon=True)
        t.start()
        self._threads.append(t)

    def _start(self) -> None:
        try:
            self.release_claims()  # before any channel claims anew
        except Stopped:
            return
        for name in self.channels:
            t = threading.Thread(
                target=self._loop, args=(name,), name=f"alerts-{name}", daemon=True
            )
            t.start()
            self._threads.append(t)
        if self.digest_rules:
            t = threading.Thread(target=self._digest_loop, name="alerts-digest", daemon=True)
            t.start()
            self._threads.append(t)

    def wake(self) -> None:
        """New deliveries were committed: look now instead of at the next tick."""
        for event in self._wake.values():
            event.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.wake()
        deadline = time.monotonic() + timeout
        for _ in range(2):  # the starter thread may add the channels' threads meanwhile
            for t in list(self._threads):
                t.join(timeout=max(0.0, deadline - time.monotonic()))
        self._threads.clear()

    def _loop(self, channel: str) -> None:
        wake = self._wake[channel]
        while not self._stop.is_set():
            try:
                attempted = self.deliver_due(channel).attempted
            except Stopped:
                return
            except sqlite3.Error:
                log.exception("alert outbox unavailable; retrying", channel=channel)
                attempted = 0
            if not attempted:
                wake.wait(_IDLE_WAIT)
                wake.clear()

    def _digest_loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.make_digests():
                    self.wake()
            except Stopped:
                return
            except sqlite3.Error:
                log.exception("digest failed; retrying")
            self._stop.wait(30.0)
