"""Run a program with the alert JSON on stdin: argv as a list, never a shell."""

from __future__ import annotations

import subprocess

from monitor.alerts.channels.base import DeliveryError, Message


class CommandChannel:
    reads_text = False  # it sends the payload (base.Channel)

    def __init__(self, name: str, argv: tuple[str, ...], *, timeout: float) -> None:
        self.name = name
        self.argv = list(argv)
        self.timeout = timeout

    def send(self, message: Message) -> None:
        env_key = {"MONITOR_ALERT_KEY": message.key}
        try:
            done = subprocess.run(
                self.argv,
                input=message.json_bytes(),
                capture_output=True,
                timeout=self.timeout,
                env=_env() | env_key,
                check=False,
            )
        except FileNotFoundError as exc:
            raise DeliveryError(f"command not found: {self.argv[0]}", permanent=True) from exc
        except subprocess.TimeoutExpired as exc:
            raise DeliveryError(f"command timed out after {self.timeout:g}s") from exc
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise DeliveryError(f"command exited {done.returncode}: {tail}")


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)
