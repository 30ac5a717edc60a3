"""The daemon's feed polling, started when the configuration first enables a feed.

FeedPoller (scheduler.py) brings APScheduler, and its fetcher httpx: 0.1 s of CPU at each
start, and threads, that a daemon with no feed configured (the test suite's, an inbox-only
install) never uses. This stands in for it: nothing is imported or started until a feed is
enabled, at start or by a SIGHUP reload that adds one; from then on every call goes to
the poller, and a reload that disables every feed leaves it running with no job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.config import FeedConfig

if TYPE_CHECKING:
    from monitor.sources.feeds.poll import PollResult
    from monitor.sources.feeds.scheduler import FeedPoller
    from monitor.sources.fetch import Fetcher


class Polling:
    """The daemon's FeedPoller, made on the first enabled feed (see the module docstring)."""

    def __init__(self, db_path: Path, fetcher: Callable[[], Fetcher]) -> None:
        self._db_path, self._make_fetcher = db_path, fetcher
        self._fetcher: Fetcher | None = None
        self.poller: FeedPoller | None = None

    def set_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """At start and after each reload: the feeds in force."""
        if self.poller is not None:
            self.poller.set_feeds(feeds)
        elif any(f.enabled for f in feeds):
            from monitor.sources.feeds.scheduler import FeedPoller

            self._fetcher = self._make_fetcher()
            self.poller = FeedPoller(feeds, self._db_path, self._fetcher)
            self.poller.start()

    def drain(self, limit: int) -> Iterator[PollResult]:
        return self.poller.drain(limit) if self.poller is not None else iter(())

    def done(self, result: PollResult) -> None:
        if self.poller is not None:
            self.poller.done(result)

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop(wait=False)
        if self._fetcher is not None:
            self._fetcher.close()
