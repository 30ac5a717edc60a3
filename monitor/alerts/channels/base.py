"""What every channel receives and how it reports a failure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from monitor.ops.redact import scrub_urls


@dataclass(frozen=True)
class Message:
    """One alert, ready to send: the payload plus its rendered subject and text (empty
    for a channel that does not read them: Channel.reads_text)."""

    key: str  # idempotency key: the same for every retry of this alert
    payload: dict[str, Any]
    subject: str
    text: str
    retry: bool = False  # an earlier attempt may have reached the channel

    def json_bytes(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")


class DeliveryError(Exception):
    """A failed send. permanent: retrying cannot help (a 4xx); retry_after: server's wish."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None):
        # Stored in deliveries.last_error and printed by `monitor alerts --failed`: the
        # secrets of a URL in it (an httpx message naming the webhook) are masked here.
        reason = scrub_urls(reason)
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Channel(Protocol):
    name: str
    # Does send() read the message's subject and text? Only then are they rendered
    # (Jinja2's import and the templates' compiling cost about 30 ms of CPU a process):
    # the log, console, webhook and command channels send the payload alone.
    reads_text: bool

    def send(self, message: Message) -> None:
        """Deliver or raise DeliveryError; must return within the channel's timeout."""
        ...
