"""RSS and Atom feeds (being split by concern; poll.py holds the whole module for now)."""

from monitor.sources.feeds.poll import *  # noqa: F403
from monitor.sources.feeds.poll import (  # noqa: F401
    FeedPoller,
    FeedState,
    PollResult,
)
