"""Keep secrets out of the logs: a structlog processor that masks known secret values."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

MASK = "[redacted]"
_MIN_LENGTH = 4  # masking "a" or "" would shred every log line


class Redactor:
    """Filled with secret values as channels are built; applied to every log event."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if len(secret) >= _MIN_LENGTH:
            self._secrets.add(secret)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, MASK)
            return value
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.scrub(v) for v in value)
        return value

    def __call__(
        self, _logger: Any, _name: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        if not self._secrets:
            return event
        for key, value in list(event.items()):
            event[key] = self.scrub(value)
        return event
