"""A short line per alert in the daemon's own log (the terminal, or journald)."""

from __future__ import annotations

import structlog

from monitor.alerts.channels.base import Message

log = structlog.get_logger("monitor.alerts")


class ConsoleChannel:
    reads_text = False  # it sends the payload (base.Channel)

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, message: Message) -> None:
        p = message.payload
        log.warning(
            "ALERT",
            rule=p.get("rule"),
            kind=p.get("kind"),
            title=p.get("title"),
            topics=p.get("topics"),
            origin=p.get("origin"),
        )
