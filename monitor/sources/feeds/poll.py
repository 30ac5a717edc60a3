"""One poll of one feed, and the feed settings it relies on.

poll_feed fetches a feed (fetch.py), reads it with feedparser (with the checks and
helpers of parse.py), and returns a PollResult: the entries not seen before as Items, and
the feed's next FeedState (validators, error counts, backoff). It never writes: the
caller stores the result (the package docstring says in which order). Here too: the
durations and checks of the [[feeds]] configuration, and the one-shot
`monitor feeds poll`, which reads state from a store it is given.
"""

from __future__ import annotations

import difflib
import functools
import io
import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

import structlog

from monitor.config import ConfigError, FeedConfig
from monitor.models import Item
from monitor.ops.redact import Redactor, is_secret_name, scrub_url, scrub_urls
from monitor.sources.feeds.parse import (
    _clean,
    _declares_entities,
    _entry_document,
    _not_a_feed,
    _oldest_first,
    _parser_headers,
    _published,
    entry_key,
)
from monitor.sources.feeds.state import (
    Executes,
    FeedState,
    _iso,
    _now,
    _parse_iso,
    load_state,
    recorded_keys,
)

if TYPE_CHECKING:  # the caller makes the fetcher: checking a [[feeds]] list needs no httpx
    from monitor.sources.fetch import Fetcher, FetchResult

log = structlog.get_logger("monitor.feeds")

# After n consecutive failures a feed waits about interval * 2**(n-1) (times a random
# factor in [0.5, 1] so feeds that failed together do not retry together), at most this:
BACKOFF_CAP_SECONDS = 6 * 3600
# A server's Retry-After is honoured up to this; beyond it we assume a mistake.
RETRY_AFTER_CAP_SECONDS = 24 * 3600
# full_text: pages fetched per poll at most, newest entries first (see _parse).
MAX_PAGES_PER_POLL = 50

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
    import feedparser  # here, not at the top: a daemon with no feed never pays its import

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
