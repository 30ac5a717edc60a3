"""RSS and Atom feeds: polled on a schedule, parsed from bytes, new entries handed over as Items.

Data flow, and who writes what (SQLite wants one writer, NOTES.md):

    scheduler thread:  read state -> fetch (fetch.py) -> feedparser -> PollResult -> queue
    daemon main loop:  for each PollResult: per entry, pipeline + article + record_entry()
                       in one transaction; then save_state() ; then poller.done(result)

Feed state (ETag, Last-Modified, errors, backoff) goes through the queue with the entries
instead of being written by the polling thread, for one reason beyond "one writer": the new
ETag must not be committed before that response's entries are. If it were, a crash between
the two would make the next poll a 304 and those entries would be lost for good. Stored
after the entries, a crash just means the feed is fetched again and the entries already
recorded are skipped. The polling threads only read, each with its own short-lived
read-only connection (WAL lets them read while the main loop writes).

The poller does not poll a feed again until the main loop has called done() for that
feed's previous result, so a slow main loop never gets the same entries twice and a poll
always starts from stored state.

Entry identity: id, else link, else a hash of the entry's text; never its date or position,
so a feed that re-orders or re-dates its entries does not make them new again.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import html
import io
import queue
import random
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlsplit

import feedparser
import structlog
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import ConfigError, FeedConfig
from monitor.models import Item
from monitor.ops.redact import Redactor, is_secret_name, scrub_url, scrub_urls
from monitor.sources.fetch import Fetcher, FetchResult

log = structlog.get_logger("monitor.feeds")

# After n consecutive failures a feed waits about interval * 2**(n-1) (times a random
# factor in [0.5, 1] so feeds that failed together do not retry together), at most this:
BACKOFF_CAP_SECONDS = 6 * 3600
# A server's Retry-After is honoured up to this; beyond it we assume a mistake.
RETRY_AFTER_CAP_SECONDS = 24 * 3600
# Ids longer than this are stored as their hash: some feeds put whole URLs with tracking
# parameters, or worse, in <guid>.
MAX_KEY_CHARS = 512
READ_BUSY_TIMEOUT_MS = 10_000
# full_text: pages fetched per poll at most, newest entries first (see _parse).
MAX_PAGES_PER_POLL = 50

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# An entity declaration anywhere, in the encodings feedparser would convert from. See
# _declares_entities for why such bodies are refused outright.
_ENTITY_DECL = tuple(
    "<!ENTITY".encode(enc) for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
)
_ENTITY_DECL_8BIT = re.compile(rb"<!ENTITY", re.I)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_FEED_LINK = re.compile(rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.I)


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


# -- durations ---------------------------------------------------------------------------


def parse_duration(value: str, *, feed: str | None = None, key: str = "interval") -> float:
    """Seconds in a duration: "15m" -> 900.0. Units s, m, h, d, summed ("1h30m"); a bare
    number is seconds.

    Raises ConfigError naming the feed, the key and the value, because a feed that silently
    polls every second (or never) is worse than a daemon that refuses to start.
    """
    text = str(value).strip()
    where = f"feeds[{feed!r}].{key}" if feed else key
    total: float | None = None
    try:
        total = float(text)
    except ValueError:
        if text and _DURATION.sub("", text).strip() == "":
            total = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in _DURATION.findall(text))
    if total is None:
        raise ConfigError(
            f"{where} = {value!r} is not a duration; write it like 90s, 15m, 2h, 1d or 1h30m"
        )
    if key == "interval" and total <= 0:
        raise ConfigError(f"{where} = {value!r} must be longer than zero")
    if total < 0:
        raise ConfigError(f"{where} = {value!r} must not be negative")
    return total


def register_secrets(feeds: Sequence[FeedConfig], redactor: Redactor) -> None:
    """Tell the redactor what a feed's config holds that must not be shown: the secrets
    inside its URL, and header values whose names say they are secrets (Authorization,
    Cookie, X-Api-Key ...)."""
    for feed in feeds:
        redactor.add_url(feed.url)
        for name, value in feed.headers.items():
            if is_secret_name(name) or name.lower() in ("cookie", "proxy-authorization"):
                redactor.add(value)
                redactor.add(value.split(" ", 1)[-1])  # the token of "Bearer TOKEN"


def check_feeds(feeds: Sequence[FeedConfig]) -> None:
    """Validate what pydantic cannot: durations and unique names (state is keyed by name)."""
    names: set[str] = set()
    for feed in feeds:
        if feed.name in names:
            raise ConfigError(f"feeds: two feeds are named {feed.name!r}; names must be unique")
        names.add(feed.name)
        parse_duration(feed.interval, feed=feed.name)
        parse_duration(feed.jitter, feed=feed.name, key="jitter")


# -- one poll ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEntry:
    """An entry not seen before, ready for the pipeline."""

    key: str
    item: Item
    full_text_error: str | None = None  # why the summary was used instead of the page


@dataclass(frozen=True)
class PollResult:
    feed: str
    state: FeedState  # save with save_state() after the entries are recorded
    entries: tuple[NewEntry, ...] = ()  # oldest first, as far as the document tells
    error: str | None = None
    warning: str | None = None  # e.g. ill-formed XML whose entries were still read
    skipped: str | None = None  # why no request was made (backing off)
    not_modified: bool = False
    total: int = 0  # entries in the document, new or not

    @property
    def outcome(self) -> Literal["new", "unchanged", "error", "skipped"]:
        if self.skipped:
            return "skipped"
        if self.error:
            return "error"
        return "new" if self.entries else "unchanged"


SeenLookup = Callable[[Sequence[str]], set[str]]


def poll_feed(
    feed: FeedConfig,
    fetcher: Fetcher,
    state: FeedState,
    *,
    seen: SeenLookup | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
    force: bool = False,
) -> PollResult:
    """Fetch and parse one feed; return its unseen entries as Items and its next state.

    Never raises for a bad server or a bad document: those become `error` with the state's
    error count and backoff updated. `seen` returns which keys are already recorded (in
    the daemon, a read of feed_entries); `force` polls even while backing off.
    """
    now = now or _now()
    rng = rng or random.Random()
    interval = parse_duration(feed.interval, feed=feed.name)
    if state.url != feed.url:
        # The feed moved (config edited): validators of the old URL mean nothing here.
        state = replace(state, url=feed.url, etag=None, last_modified=None)
    backoff_until = _parse_iso(state.backoff_until)
    if not force and backoff_until is not None and backoff_until > now:
        return PollResult(feed.name, state, skipped=f"backing off until {state.backoff_until}")
    bound = log.bind(feed=feed.name)
    state = replace(state, last_poll=_iso(now))
    response = fetcher.get(
        feed.url,
        headers=feed.headers,
        etag=state.etag,
        last_modified=state.last_modified,
        allow_private=private_hosts(feed),
    )
    state = replace(state, last_status=response.status)
    if response.error:
        return _failed(feed, state, response.error, now, interval, rng, response)
    if response.not_modified:
        return PollResult(feed.name, _succeeded(state, now, interval, response), not_modified=True)
    try:
        return _parse(feed, fetcher, state, response, seen, now, interval, rng)
    except Exception as exc:  # a bug or a feedparser crash costs one poll, not the thread
        bound.exception("internal error while reading a feed")
        reason = scrub_urls(f"internal error reading the feed ({type(exc).__name__}: {exc})")
        return _failed(feed, state, reason, now, interval, rng, response)


def _parse(
    feed: FeedConfig,
    fetcher: Fetcher,
    state: FeedState,
    response: FetchResult,
    seen: SeenLookup | None,
    now: datetime,
    interval: float,
    rng: random.Random,
) -> PollResult:
    body = response.body
    if not body.strip():
        return _failed(feed, state, f"empty response body (HTTP {response.status})", now,
                       interval, rng, response)  # fmt: skip
    if _declares_entities(body):
        reason = (
            "refused: the document declares XML entities (<!ENTITY ...>), which feeds never "
            "need and entity-expansion bombs rely on"
        )
        return _failed(feed, state, reason, now, interval, rng, response)
    parsed = feedparser.parse(io.BytesIO(body), response_headers=_parser_headers(response))
    entries = list(parsed.get("entries") or [])
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        problem = None  # HTTP and XML disagreed on the charset and feedparser sorted it out
    if not entries and (not version or problem is not None):
        return _failed(feed, state, _not_a_feed(body, version, problem), now, interval, rng,
                       response)  # fmt: skip
    warning = None
    if problem is not None:
        warning = f"ill-formed feed; {len(entries)} entries still read ({problem})"
        log.warning("ill-formed feed", feed=feed.name, problem=str(problem), entries=len(entries))
    feed_title = _clean(parsed.get("feed", {}).get("title")) or None
    keyed: dict[str, Any] = {}
    for entry in entries:
        keyed.setdefault(entry_key(entry), entry)  # the same entry twice in one document
    known = seen(list(keyed)) if seen else set()
    fresh = [(k, e) for k, e in keyed.items() if k not in known]
    fresh = _oldest_first(fresh)
    # With full_text, the newest entries get their pages; older ones (a feed's first poll
    # can bring hundreds) keep their summaries, so one poll cannot hammer a site.
    first_page = max(0, len(fresh) - MAX_PAGES_PER_POLL)
    new = tuple(
        _new_entry(
            feed, fetcher, key, entry, feed_title or feed.name, now, fetch_page=i >= first_page
        )
        for i, (key, entry) in enumerate(fresh)
    )
    refused = [e for e in new if e.full_text_error and e.full_text_error.startswith("refused")]
    if refused:
        # Shown by `monitor feeds list`: the summaries were stored, the pages were not read.
        note = f"{len(refused)} full-text page(s) refused: {refused[-1].full_text_error}"
        warning = f"{warning}; {note}" if warning else note
    state = replace(
        _succeeded(state, now, interval, response),
        title=feed_title or state.title,
        last_warning=warning,
        last_entry_count=len(entries),
    )
    return PollResult(feed.name, state, new, warning=warning, total=len(entries))


def _succeeded(
    state: FeedState, now: datetime, interval: float, response: FetchResult
) -> FeedState:
    etag, modified = state.etag, state.last_modified
    if not response.not_modified:  # a 200 replaces the validators, or clears them
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
    return replace(
        state,
        etag=etag,
        last_modified=modified,
        last_success=_iso(now),
        error_count=0,
        backoff_until=None,
        next_poll=_iso(now + timedelta(seconds=interval)),
    )


def _failed(
    feed: FeedConfig,
    state: FeedState,
    reason: str,
    now: datetime,
    interval: float,
    rng: random.Random,
    response: FetchResult,
) -> PollResult:
    errors = state.error_count + 1
    wait = backoff_seconds(errors, interval, rng)
    asked = response.retry_after(now) if response.status in (429, 503) else None
    if asked is not None:
        wait = max(wait, min(asked, RETRY_AFTER_CAP_SECONDS))
    until = now + timedelta(seconds=wait)
    state = replace(
        state,
        last_error=reason,
        last_error_at=_iso(now),
        error_count=errors,
        errors_total=state.errors_total + 1,
        backoff_until=_iso(until),
        next_poll=_iso(max(until, now + timedelta(seconds=interval))),
    )
    log.warning("feed poll failed", feed=feed.name, error=reason, errors=errors,
                backoff_until=state.backoff_until)  # fmt: skip
    return PollResult(feed.name, state, error=reason)


def backoff_seconds(errors: int, interval: float, rng: random.Random) -> float:
    """Exponential in consecutive errors, with jitter; the first failure waits < interval."""
    if errors <= 0:
        return 0.0
    cap = max(BACKOFF_CAP_SECONDS, interval)
    return min(interval * 2 ** min(errors - 1, 30), cap) * rng.uniform(0.5, 1.0)


def _declares_entities(body: bytes) -> bool:
    """Whether the document declares entities. Such documents are refused, not parsed.

    feedparser's defence (sanitizer.replace_doctype) strips <!ENTITY lines with a regex that
    only matches declarations at the start of a line: a DOCTYPE written on one line goes
    through to expat whole. What then stops a billion-laughs bomb is expat's amplification
    limit, present only since libexpat 2.4 (2021) and so a property of whatever Python and
    system library the daemon runs on. Real feeds do not declare entities, so refusing them
    costs nothing and does not depend on either. We look in the UTF-16/32 and EBCDIC
    spellings too, because feedparser converts those to UTF-8 before parsing.
    """
    if _ENTITY_DECL_8BIT.search(body):
        return True
    return any(pattern in body for pattern in _ENTITY_DECL)


def _parser_headers(response: FetchResult) -> dict[str, str]:
    """Only what feedparser should know: the type (charset) and the base URL for relative
    links. Content-Encoding is left out: the body is already decoded."""
    headers = {"content-location": response.url}
    for name in ("content-type", "content-language"):
        if name in response.headers:
            headers[name] = response.headers[name]
    return headers


def _not_a_feed(body: bytes, version: str, problem: object) -> str:
    if not version and _HTML_START.match(body[:4096]):
        found = [
            html.unescape(m.group(1).decode("utf-8", "replace"))
            for tag in _FEED_LINK.findall(body[:200_000])
            if (m := _HREF.search(tag))
        ]
        hint = f"; the page links to feeds at: {', '.join(found[:3])}" if found else ""
        return f"the URL serves an HTML page, not an RSS or Atom feed{hint}"
    if problem is not None:
        return f"not a readable feed: {problem}"
    return "not an RSS or Atom feed (feedparser recognised no feed format)"


# -- entries -----------------------------------------------------------------------------


def entry_key(entry: Mapping[str, Any]) -> str:
    """An entry's identity: its id, else its link, else a hash of its title and text."""
    ident = _clean(entry.get("id"))
    if ident:
        return _bounded("id:", ident)
    link = _clean(entry.get("link"))
    if link:
        return _bounded("link:", link)
    parts = [_clean(entry.get("title")), _clean(entry.get("summary"))]
    parts += [_clean(c.get("value")) for c in entry.get("content") or []]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def _bounded(prefix: str, value: str) -> str:
    if len(value) <= MAX_KEY_CHARS:
        return prefix + value
    return f"{prefix}sha256:{hashlib.sha256(value.encode('utf-8')).hexdigest()}"


def _new_entry(
    feed: FeedConfig,
    fetcher: Fetcher,
    key: str,
    entry: Mapping[str, Any],
    source: str,
    now: datetime,
    *,
    fetch_page: bool = True,
) -> NewEntry:
    link = _clean(entry.get("link"))
    if not link.lower().startswith(("http://", "https://")):
        link = ""
    title = _clean(entry.get("title")) or None
    raw = _entry_document(entry, title)
    full_text_error = None
    if feed.full_text:
        if not fetch_page:
            full_text_error = f"not fetched: more than {MAX_PAGES_PER_POLL} new entries in one poll"
        elif link:
            page = fetcher.get_page(link, allow_private=private_hosts(feed))
            full_text_error = _page_problem(page)
            if full_text_error is None:
                raw = page.body
        else:
            full_text_error = "the entry has no http(s) link to fetch"
        if full_text_error and fetch_page:
            level = log.warning if full_text_error.startswith("refused") else log.info
            level("full text unavailable; using the feed's summary", feed=feed.name,
                  link=link, reason=full_text_error)  # fmt: skip
    # Origins are shown and exported: a token in the feed's URL (or a link's) stays out.
    origin = scrub_url(link) if link else f"{scrub_url(feed.url)}#{quote(key, safe=':/@')}"
    item = Item(
        origin=origin,
        raw=raw,
        kind="html",
        seen_at=now,
        title_hint=title,
        published_hint=_published(entry),
        source_hint=source,
    )
    return NewEntry(key=key, item=item, full_text_error=full_text_error)


def private_hosts(feed: FeedConfig) -> tuple[str, ...]:
    """The hosts this feed may reach at internal addresses (config allow_private): its own
    host for `true`, the hosts listed for a list, none by default. Entry links to other
    hosts are checked like any address: the feed's content is not the feed's config."""
    if feed.allow_private is True:
        return (urlsplit(feed.url).hostname or "",)
    if feed.allow_private is False:
        return ()
    return tuple(feed.allow_private)


def _page_problem(page: FetchResult) -> str | None:
    if page.error:
        return page.error
    ctype = page.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in ("text/html", "application/xhtml+xml"):
        return f"the page is {ctype}, not HTML"
    if not page.body.strip():
        return "the page is empty"
    return None


def _entry_document(entry: Mapping[str, Any], title: str | None) -> bytes:
    """The entry's richest text (full content over summary) as a small UTF-8 HTML page, so
    the pipeline's HTML extractor reads it like any page. feedparser has already sanitised
    it (no scripts, no event handlers)."""
    candidates = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or "text/html"))
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    value, ctype = max(candidates, key=lambda c: len(c[0].strip()))
    if ctype == "text/plain":
        value = "".join(
            f"<p>{html.escape(p.strip())}</p>" for p in value.split("\n\n") if p.strip()
        )
    head = f"<title>{html.escape(title)}</title>" if title else ""
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head>'
        f"<body><article>{value}</article></body></html>"
    )
    return page.encode("utf-8")


def _oldest_first(entries: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Ingest in publication order, so alerts and stories read in order: by date when every
    entry has one, else the document's order reversed (feeds list newest first)."""
    dates = [e.get("published_parsed") or e.get("updated_parsed") for _, e in entries]
    if all(dates):
        order = sorted(range(len(entries)), key=lambda i: tuple(dates[i])[:6])
        return [entries[i] for i in order]
    return entries[::-1]


def _published(entry: Mapping[str, Any]) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    except AttributeError:
        return None


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


# -- one-shot (CLI) ----------------------------------------------------------------------


def select_feeds(feeds: Sequence[FeedConfig], names: Iterable[str] = ()) -> list[FeedConfig]:
    """Named feeds (even disabled ones: the user asked), or every enabled feed."""
    wanted = list(names)
    if not wanted:
        return [f for f in feeds if f.enabled]
    by_name = {f.name: f for f in feeds}
    chosen = []
    for name in wanted:
        if name not in by_name:
            near = difflib.get_close_matches(name, list(by_name), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            known = ", ".join(by_name) or "none configured"
            raise ConfigError(f"no feed named {name!r}{hint} (feeds: {known})")
        chosen.append(by_name[name])
    return chosen


def poll_feeds_once(
    feeds: Sequence[FeedConfig],
    db: Executes,
    fetcher: Fetcher,
    *,
    names: Iterable[str] = (),
    force: bool = False,
) -> Iterator[PollResult]:
    """`monitor feeds poll [NAME]`: poll each feed in turn, reading state from db.

    A generator: store each result (entries, then state) before asking for the next, so a
    feed that appears twice, or an interrupted run, never hands over an entry twice. One
    stalled feed costs its timeout, then the next feed is polled.
    """
    chosen = select_feeds(feeds, names)
    check_feeds(chosen)
    for feed in chosen:
        state = load_state(db, feed)
        yield poll_feed(
            feed,
            fetcher,
            state,
            seen=functools.partial(recorded_keys, db, feed.name),
            force=force,
        )


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
