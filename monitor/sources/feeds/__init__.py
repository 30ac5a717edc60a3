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

The package, by concern (it was one module of 950 lines):

    state.py      the feed tables, FeedState, entries recorded as seen, feed health
    parse.py      a fetched document and its entries: checks, identity, page, dates
    poll.py       one poll of one feed -> PollResult; durations, config checks, one-shot
    scheduler.py  FeedPoller: the daemon's APScheduler jobs and their read connections

This module re-exports the names the service, the CLI, the store's migration and the
tests use, so `feeds.poll_feed` and `from monitor.sources.feeds import FeedPoller` work as
they did. A test that changes a constant must change it in the module that reads it
(e.g. `feeds.poll.MAX_PAGES_PER_POLL`): the copy here is not read by anything.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.sources.feeds.parse import MAX_KEY_CHARS, entry_key
    from monitor.sources.feeds.poll import (
        BACKOFF_CAP_SECONDS,
        MAX_PAGES_PER_POLL,
        RETRY_AFTER_CAP_SECONDS,
        NewEntry,
        PollResult,
        SeenLookup,
        backoff_seconds,
        check_feeds,
        parse_duration,
        poll_feed,
        poll_feeds_once,
        private_hosts,
        register_secrets,
        select_feeds,
    )
    from monitor.sources.feeds.scheduler import READ_BUSY_TIMEOUT_MS, FeedPoller
    from monitor.sources.feeds.state import (
        Executes,
        FeedState,
        create_tables,
        feed_health,
        is_recorded,
        load_state,
        record_entry,
        recorded_keys,
        save_state,
    )

# Each name is imported from its module when first used (PEP 562): the poll and the
# scheduler bring httpx, feedparser and APScheduler (0.1 s of CPU), which a daemon or an
# `ingest` with no feed configured never needs.
_HOME = {
    "BACKOFF_CAP_SECONDS": "poll",
    "Executes": "state",
    "FeedPoller": "scheduler",
    "FeedState": "state",
    "MAX_KEY_CHARS": "parse",
    "MAX_PAGES_PER_POLL": "poll",
    "NewEntry": "poll",
    "PollResult": "poll",
    "READ_BUSY_TIMEOUT_MS": "scheduler",
    "RETRY_AFTER_CAP_SECONDS": "poll",
    "SeenLookup": "poll",
    "backoff_seconds": "poll",
    "check_feeds": "poll",
    "create_tables": "state",
    "entry_key": "parse",
    "feed_health": "state",
    "is_recorded": "state",
    "load_state": "state",
    "parse_duration": "poll",
    "poll_feed": "poll",
    "poll_feeds_once": "poll",
    "private_hosts": "poll",
    "record_entry": "state",
    "recorded_keys": "state",
    "register_secrets": "poll",
    "save_state": "state",
    "select_feeds": "poll",
}

_MODULES = frozenset(_HOME.values())


def __getattr__(name: str) -> Any:
    if name in _MODULES:  # `feeds.poll.MAX_PAGES_PER_POLL` before anything imported poll
        return importlib.import_module(f"{__name__}.{name}")
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BACKOFF_CAP_SECONDS",
    "MAX_KEY_CHARS",
    "MAX_PAGES_PER_POLL",
    "READ_BUSY_TIMEOUT_MS",
    "RETRY_AFTER_CAP_SECONDS",
    "Executes",
    "FeedPoller",
    "FeedState",
    "NewEntry",
    "PollResult",
    "SeenLookup",
    "backoff_seconds",
    "check_feeds",
    "create_tables",
    "entry_key",
    "feed_health",
    "is_recorded",
    "load_state",
    "parse_duration",
    "poll_feed",
    "poll_feeds_once",
    "private_hosts",
    "record_entry",
    "recorded_keys",
    "register_secrets",
    "save_state",
    "select_feeds",
]
