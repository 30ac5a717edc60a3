"""POST the alert as JSON, signed, with an Idempotency-Key the receiver can deduplicate on."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import httpx

from monitor.alerts.channels.base import DeliveryError, Message

USER_AGENT = "monitor-alerts/0.1"


class WebhookChannel:
    reads_text = False  # it sends the payload (base.Channel)

    def __init__(
        self, name: str, url: str, *, headers: Mapping[str, str], secret: str | None, timeout: float
    ) -> None:
        self.name = name
        self.url = url
        self.headers = dict(headers)
        self.secret = secret
        self.timeout = timeout

    def send(self, message: Message) -> None:
        body = message.json_bytes()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": message.key,
            **self.headers,
        }
        if self.secret:
            digest = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Monitor-Signature"] = f"sha256={digest}"
        try:
            response = httpx.post(
                self.url,
                content=body,
                headers=headers,
                timeout=self.timeout,
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if 200 <= status < 300:
            return
        retry_after = _retry_after(response.headers.get("Retry-After"))
        # 408 and 429 are "try later"; other 4xx mean the request itself is wrong.
        permanent = 400 <= status < 500 and status not in (408, 425, 429)
        raise DeliveryError(f"HTTP {status}", permanent=permanent, retry_after=retry_after)


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
