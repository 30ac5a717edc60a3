"""What is kept about feeds in the store: the two tables, a feed's state row, the entries
recorded as seen, and the health report `monitor feeds list` prints.

Only the daemon's main loop writes these (save_state, record_entry, inside its own
transactions; the package docstring says in which order and why). The polling side only
reads them: load_state and recorded_keys, on its own read-only connection. Times are
stored as ISO 8601 UTC strings; the helpers that make and read them are here, with the
columns they fill.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from monitor.ops.redact import scrub_url, scrub_urls

if TYPE_CHECKING:  # only in annotations: the store's side needs no settings model
    from monitor.config import FeedConfig


class Executes(Protocol):
    """sqlite_utils.Database and sqlite3.Connection both fit: each has execute(sql, args)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


# -- tables ----------------------------------------------------------------------------


def create_tables(db: Executes) -> None:
    """Create the feed tables if missing. Call from a store migration (idempotent)."""
    # One row per feed name. error_count counts consecutive failures (it drives backoff and
    # resets on success); errors_total never resets. Times are ISO 8601 UTC strings.
    db.execute(
        """CREATE TABLE IF NOT EXISTS feed_state (
            feed TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            last_poll TEXT,
            last_status INTEGER,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            last_warning TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            errors_total INTEGER NOT NULL DEFAULT 0,
            last_entry_count INTEGER,
            next_poll TEXT,
            backoff_until TEXT
        )"""
    )
    # One row per entry ever handed to the pipeline, written in the same transaction as its
    # article (record_entry): that is what makes "seen once" survive crashes. article_id is
    # NULL when the pipeline rejected the entry (the failure is in `failures`); the entry is
    # still seen, so it is not retried on every poll.
    db.execute(
        """CREATE TABLE IF NOT EXISTS feed_entries (
            feed TEXT NOT NULL,
            entry_key TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            article_id INTEGER,
            full_text_error TEXT,
            PRIMARY KEY (feed, entry_key)
        )"""
    )


@dataclass(frozen=True)
class FeedState:
    """One feed_state row. Immutable: poll_feed returns the next state, the main loop saves it."""

    feed: str
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: str | None = None
    last_status: int | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    last_warning: str | None = None
    error_count: int = 0
    errors_total: int = 0
    last_entry_count: int | None = None
    next_poll: str | None = None
    backoff_until: str | None = None


_STATE_COLUMNS = tuple(FeedState.__dataclass_fields__)


def load_state(db: Executes, feed: FeedConfig) -> FeedState:
    """The stored state of a feed, or a fresh one for a feed never polled."""
    try:
        cursor = db.execute(
            f"SELECT {', '.join(_STATE_COLUMNS)} FROM feed_state WHERE feed = ?", [feed.name]
        )
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return FeedState(feed=feed.name, url=feed.url)
    row = cursor.fetchone()
    if row is None:
        return FeedState(feed=feed.name, url=feed.url)
    return FeedState(**dict(zip(_STATE_COLUMNS, row, strict=True)))


def save_state(db: Executes, state: FeedState) -> None:
    """Store a PollResult's state; call after its entries are recorded (module docstring)."""
    values = [getattr(state, c) for c in _STATE_COLUMNS]
    db.execute(
        f"INSERT OR REPLACE INTO feed_state ({', '.join(_STATE_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_STATE_COLUMNS))})",
        values,
    )


def record_entry(
    db: Executes,
    feed: str,
    entry_key: str,
    article_id: int | None,
    *,
    full_text_error: str | None = None,
) -> bool:
    """Mark an entry seen. Call inside the transaction that saves its article (or failure).

    Returns False when it was already recorded: then the caller should roll back or skip,
    since the article would be a second copy.
    """
    cursor = db.execute(
        "INSERT OR IGNORE INTO feed_entries "
        "(feed, entry_key, first_seen, article_id, full_text_error) VALUES (?, ?, ?, ?, ?)",
        [feed, entry_key, _iso(_now()), article_id, full_text_error],
    )
    return cursor.rowcount == 1


def recorded_keys(db: Executes, feed: str, keys: Iterable[str]) -> set[str]:
    """The subset of keys already recorded for this feed."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    try:
        for start in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
            chunk = wanted[start : start + 500]
            cursor = db.execute(
                "SELECT entry_key FROM feed_entries WHERE feed = ? AND entry_key IN "
                f"({', '.join('?' * len(chunk))})",
                [feed, *chunk],
            )
            found.update(row[0] for row in cursor.fetchall())
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
    return found


def is_recorded(db: Executes, feed: str, entry_key: str) -> bool:
    return bool(recorded_keys(db, feed, [entry_key]))


def feed_health(db: Executes, feeds: Sequence[FeedConfig] = ()) -> list[dict[str, Any]]:
    """One dict per feed for `monitor feeds`: configured feeds first (in config order, even
    if never polled), then feeds that have state but are no longer configured."""
    rows: dict[str, dict[str, Any]] = {}
    seen_counts: dict[str, int] = {}
    try:
        for row in db.execute(
            f"SELECT {', '.join(_STATE_COLUMNS)} FROM feed_state ORDER BY feed"
        ).fetchall():
            rows[row[0]] = dict(zip(_STATE_COLUMNS, row, strict=True))
        for name, count in db.execute(
            "SELECT feed, count(*) FROM feed_entries GROUP BY feed"
        ).fetchall():
            seen_counts[name] = count
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
    out = []
    configured = {f.name for f in feeds}
    for feed in feeds:
        state = rows.get(feed.name) or _state_dict(FeedState(feed=feed.name, url=feed.url))
        out.append(_health(state, seen_counts, configured=True, enabled=feed.enabled, url=feed.url))
    for name, state in rows.items():
        if name not in configured:
            out.append(_health(state, seen_counts, configured=False, enabled=False))
    return out


def _health(
    state: dict[str, Any],
    counts: Mapping[str, int],
    *,
    configured: bool,
    enabled: bool,
    url: str | None = None,
) -> dict[str, Any]:
    health = {
        "name": state["feed"],
        "url": scrub_url(url or state["url"]),
        "configured": configured,
        "enabled": enabled,
        "entries_seen": counts.get(state["feed"], 0),
    }
    health.update({k: v for k, v in state.items() if k not in ("feed", "url")})
    for key in ("last_error", "last_warning"):  # stores older than the scrubbing
        if health.get(key):
            health[key] = scrub_urls(health[key])
    health["next_poll"] = state["next_poll"] if enabled else None
    return health


def _state_dict(state: FeedState) -> dict[str, Any]:
    return {c: getattr(state, c) for c in _STATE_COLUMNS}


# -- times ------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
