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

# Where each re-exported name lives. Loaded on first use (PEP 562), not at import: `monitor
# feeds list` and `check-config` need the state tables, not feedparser, httpx and APScheduler,
# which the poller and the scheduler import and which cost a command a third of a second.
_HOME = {
    "MAX_KEY_CHARS": "monitor.sources.feeds.parse",
    "entry_key": "monitor.sources.feeds.parse",
    "BACKOFF_CAP_SECONDS": "monitor.sources.feeds.poll",
    "MAX_PAGES_PER_POLL": "monitor.sources.feeds.poll",
    "RETRY_AFTER_CAP_SECONDS": "monitor.sources.feeds.poll",
    "NewEntry": "monitor.sources.feeds.poll",
    "PollResult": "monitor.sources.feeds.poll",
    "SeenLookup": "monitor.sources.feeds.poll",
    "backoff_seconds": "monitor.sources.feeds.poll",
    "check_feeds": "monitor.sources.feeds.poll",
    "parse_duration": "monitor.sources.feeds.poll",
    "poll_feed": "monitor.sources.feeds.poll",
    "poll_feeds_once": "monitor.sources.feeds.poll",
    "private_hosts": "monitor.sources.feeds.poll",
    "register_secrets": "monitor.sources.feeds.poll",
    "select_feeds": "monitor.sources.feeds.poll",
    "READ_BUSY_TIMEOUT_MS": "monitor.sources.feeds.scheduler",
    "FeedPoller": "monitor.sources.feeds.scheduler",
    "Executes": "monitor.sources.feeds.state",
    "FeedState": "monitor.sources.feeds.state",
    "create_tables": "monitor.sources.feeds.state",
    "feed_health": "monitor.sources.feeds.state",
    "is_recorded": "monitor.sources.feeds.state",
    "load_state": "monitor.sources.feeds.state",
    "record_entry": "monitor.sources.feeds.state",
    "recorded_keys": "monitor.sources.feeds.state",
    "save_state": "monitor.sources.feeds.state",
}

if TYPE_CHECKING:  # the names, for type checkers and readers
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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once: later look-ups find it without this function
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
