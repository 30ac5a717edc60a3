"""Apprise: one channel type for the many services it knows (Slack, Telegram, Matrix, ...)."""

from __future__ import annotations

import apprise

from monitor.alerts.channels.base import DeliveryError, Message


class AppriseChannel:
    reads_text = True  # the subject and text are what it sends

    def __init__(self, name: str, urls: tuple[str, ...]) -> None:
        self.name = name
        self.urls = urls

    def send(self, message: Message) -> None:
        notifier = apprise.Apprise()
        for url in self.urls:
            if not notifier.add(url):
                # The URL is a secret (it holds tokens): say which one by position only.
                raise DeliveryError(
                    f"Apprise cannot use URL #{self.urls.index(url) + 1}", permanent=True
                )
        result = notifier.notify(body=message.text, title=message.subject)
        # Apprise 2.x returns a result object whose truth value is not success (NOTES.md).
        failed = getattr(result, "failed_count", 0) + getattr(result, "timeout_count", 0)
        if failed or not getattr(result, "success_count", bool(result)):
            raise DeliveryError(f"Apprise: {failed} of {len(self.urls)} services failed")
