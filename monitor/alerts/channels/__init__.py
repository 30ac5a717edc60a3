"""Build the configured channels (and the built-in `log` and `console`) by name."""

from __future__ import annotations

from monitor import config as cfg
from monitor.alerts.channels.base import Channel, DeliveryError, Message
from monitor.alerts.render import Renderer
from monitor.alerts.secrets import resolve
from monitor.ops.redact import Redactor

__all__ = ["Channel", "DeliveryError", "Message", "build_channels"]


def build_channels(
    alerts: cfg.AlertsConfig, redactor: Redactor
) -> dict[str, tuple[Channel, Renderer]]:
    """Every channel a rule may name, each with the renderer of its message text.

    Each kind's module is imported only when a channel of that kind is configured: the
    webhook brings httpx and apprise its plugins (0.05-0.1 s of CPU at every start)."""
    from monitor.alerts.channels.console import ConsoleChannel
    from monitor.alerts.channels.logfile import LogFileChannel

    mb = 1024 * 1024
    default = Renderer()
    out: dict[str, tuple[Channel, Renderer]] = {
        "log": (
            LogFileChannel(
                "log", alerts.log, max_bytes=int(alerts.log_max_mb * mb), keep=alerts.log_keep
            ),
            default,
        ),
        "console": (ConsoleChannel("console"), default),
    }
    for c in alerts.channels:
        where = f"[[alerts.channels]] '{c.name}'"

        def secret(value: cfg.Secret, key: str, where: str = where) -> str:
            return resolve(value, where=f"{where} {key}", redactor=redactor)

        channel: Channel
        match c:
            case cfg.WebhookChannel():
                from monitor.alerts.channels.webhook import WebhookChannel

                redactor.add_url(c.url)  # a password or token inside the URL itself
                headers = {k: secret(v, f"headers.{k}") for k, v in c.headers.items()}
                key = secret(c.secret, "secret") if c.secret else None
                channel = WebhookChannel(
                    c.name, c.url, headers=headers, secret=key, timeout=c.timeout
                )
            case cfg.EmailChannel():
                from monitor.alerts.channels.email import EmailChannel

                password = secret(c.password, "password") if c.password else None
                channel = EmailChannel(
                    c.name,
                    host=c.host,
                    port=c.port,
                    security=c.security,
                    username=c.username,
                    password=password,
                    sender=c.sender,
                    to=c.to,
                    timeout=c.timeout,
                )
            case cfg.AppriseChannel():
                from monitor.alerts.channels.apprise_urls import AppriseChannel

                urls = tuple(secret(u, f"urls[{i}]") for i, u in enumerate(c.urls))
                for url in urls:  # each part too: an error may quote the token alone
                    redactor.add_url(url)
                channel = AppriseChannel(c.name, urls)
            case cfg.CommandChannel():
                from monitor.alerts.channels.command import CommandChannel

                channel = CommandChannel(c.name, c.argv, timeout=c.timeout)
            case cfg.LogChannel():
                channel = LogFileChannel(c.name, c.path, max_bytes=int(c.max_mb * mb), keep=c.keep)
            case cfg.ConsoleChannel():
                channel = ConsoleChannel(c.name)
        try:
            renderer = Renderer(c.template) if c.template else default
        except Exception as exc:  # a missing file or a Jinja2 syntax error
            raise cfg.ConfigError(f"{where} template {c.template}: {exc}") from exc
        out[c.name] = (channel, renderer)
    return out
