"""config.toml -> validated, frozen settings.

Every module receives the part of these settings it needs; nothing reads a global. Errors
name the file, the key and what is expected, and suggest the nearest key for a typo,
because a daemon that starts with a silently ignored setting is worse than one that stops.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from monitor.config_errors import explain
from monitor.config_section import _Section

# Finding the file and the error type live where the read commands reach them without
# pydantic (configfile.py says why); imported here so config.X keeps meaning them.
from monitor.configfile import DEFAULT_PATH as DEFAULT_PATH
from monitor.configfile import ENV_VAR as ENV_VAR
from monitor.configfile import ConfigError as ConfigError
from monitor.configfile import resolve_path as resolve_path

# The largest section lives in its own module; imported here so config.StoriesConfig stays.
from monitor.story_config import StoriesConfig as StoriesConfig

# Names that editors, browsers and downloaders give to files still being written.
DEFAULT_IGNORE = ["*.tmp", "*.part", "*.crdownload", "*.swp", "*~", "*.partial", "*.download"]


class InboxConfig(_Section):
    paths: tuple[Path, ...] = (Path("seeds"),)
    settle_seconds: float = Field(1.0, ge=0, description="a file unchanged this long is complete")
    rescan_seconds: float = Field(60.0, gt=0, description="full rescan, for missed events")
    max_file_mb: float = Field(20.0, gt=0)
    ignore: tuple[str, ...] = tuple(DEFAULT_IGNORE)
    polling: bool = Field(False, description="use the polling observer (NFS, CIFS)")
    # Off: a missing folder is a configuration error (a misspelt path would otherwise be
    # created and watched, empty, forever). On: created at start, for first runs.
    create: bool = Field(False, description="create missing inbox folders at start")


class StoreConfig(_Section):
    path: Path = Path("monitor.db")
    busy_timeout: float = Field(
        10.0,
        gt=0,
        le=600,
        description="seconds a write waits for another process's lock before it retries",
    )


BUILTIN_CHANNELS = ("log", "console")  # [alerts] log and console, always there


class SecretRef(_Section):
    """Where a secret lives: never in the config file itself, so it never reaches git or logs.

    `credential` reads systemd's $CREDENTIALS_DIRECTORY/NAME (LoadCredential=).
    """

    env: str | None = None
    file: Path | None = None
    credential: str | None = None


Secret = str | SecretRef  # a plain string is allowed for tests and local experiments


class _Channel(_Section):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    template: Path | None = None  # Jinja2 template for the message body


class WebhookChannel(_Channel):
    type: Literal["webhook"]
    url: str = Field(pattern=r"^https?://")
    headers: dict[str, Secret] = Field(default_factory=dict)
    secret: Secret | None = None  # HMAC-SHA256 key: X-Monitor-Signature header
    timeout: float = Field(10.0, gt=0)


class EmailChannel(_Channel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
    type: Literal["email"]
    host: str
    port: int = Field(587, gt=0, lt=65536)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: Secret | None = None
    sender: str = Field(alias="from")
    to: tuple[str, ...] = Field(min_length=1)
    timeout: float = Field(20.0, gt=0)


class AppriseChannel(_Channel):
    type: Literal["apprise"]
    urls: tuple[Secret, ...] = Field(min_length=1)  # Apprise URLs carry tokens: secrets


class CommandChannel(_Channel):
    type: Literal["command"]
    argv: tuple[str, ...] = Field(min_length=1)  # run without a shell; alert JSON on stdin
    timeout: float = Field(30.0, gt=0)


class LogChannel(_Channel):
    type: Literal["log"]
    path: Path
    max_mb: float = Field(10.0, gt=0)
    keep: int = Field(5, ge=0)


class ConsoleChannel(_Channel):
    type: Literal["console"]


Channel = Annotated[
    WebhookChannel | EmailChannel | AppriseChannel | CommandChannel | LogChannel | ConsoleChannel,
    Field(discriminator="type"),
]


class RuleConfig(_Section):
    name: str = Field(min_length=1)
    topics: tuple[str, ...] = ()  # any of these
    all_topics: tuple[str, ...] = ()  # every one of these
    entities: tuple[str, ...] = ()  # any of these canonical names
    query: str | None = None  # full-text query, as `monitor search` takes it
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_score: float = 0.0  # the best matching topic's score must reach it
    channels: tuple[str, ...] = ("log", "console")
    cooldown_minutes: float = Field(0.0, ge=0)  # per story: one alert per story per period
    digest: Literal["off", "hourly", "daily"] = "off"


class AlertsConfig(_Section):
    log: Path = Path("alerts.jsonl")  # the built-in "log" channel
    log_max_mb: float = Field(10.0, gt=0)  # rotate the log past this size
    log_keep: int = Field(5, ge=0)  # rotated files kept: alerts.jsonl.1 ... .N
    console: bool = True  # the built-in "console" channel prints a line per alert
    max_attempts: int = Field(8, ge=1)  # then the delivery is a dead letter
    backoff_seconds: float = Field(5.0, gt=0)  # first retry; doubles each time, with jitter
    max_backoff_seconds: float = Field(3600.0, gt=0)
    channels: tuple[Channel, ...] = ()
    rules: tuple[RuleConfig, ...] = ()

    @model_validator(mode="after")
    def _names_resolve(self) -> AlertsConfig:
        names = [c.name for c in self.channels]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"channel names must be unique; repeated: {', '.join(dupes)}")
        known = set(names) | set(BUILTIN_CHANNELS)
        for rule in self.rules:
            for channel in rule.channels:
                if channel not in known:
                    near = difflib.get_close_matches(channel, sorted(known), n=1)
                    hint = f"; did you mean '{near[0]}'?" if near else ""
                    raise ValueError(
                        f"rule '{rule.name}' names channel '{channel}', which is not defined"
                        f"{hint} (defined: {', '.join(sorted(known))})"
                    )
        rule_names = [r.name for r in self.rules]
        if len(set(rule_names)) != len(rule_names):
            raise ValueError("rule names must be unique")
        return self


class TaggingConfig(_Section):
    taxonomy: Path | None = None  # None: the taxonomy shipped with monitor
    gazetteer: Path | None = None  # None: the gazetteer shipped with monitor
    # The beat gate (tagging/beat.py) learned this beat (Russia, North Korea: arms,
    # sanctions, nuclear programmes); one who follows another beat with the shipped topic
    # ids turns it off.
    beat_gate: bool = True


class FeedConfig(_Section):
    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://", description="http or https only")
    interval: str = Field("15m", description="how often to poll: 90s, 15m, 2h, 1d")
    full_text: bool = False  # fetch each entry's page and extract it
    headers: dict[str, str] = Field(default_factory=dict)
    jitter: str = "30s"
    enabled: bool = True
    # Internal addresses (loopback, private, link-local ...) are refused unless allowed:
    # true for the feed's own host (its URL's host, its full-text pages there too), or a
    # list of host names or IP addresses, as URLs write them (docs/security.md).
    allow_private: bool | tuple[str, ...] = False

    @model_validator(mode="after")
    def _private_hosts_are_hosts(self) -> FeedConfig:
        if isinstance(self.allow_private, tuple):
            for host in self.allow_private:
                if not host.strip() or (any(c in host for c in "/:@?# ") and not _ipv6(host)):
                    raise ValueError(
                        f"allow_private: {host!r} is not a host name or IP address; write "
                        'hosts as URLs carry them, without scheme, port or path: ["10.0.0.5", '
                        '"intranet.example"]'
                    )
        return self


def _ipv6(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).version == 6
    except ValueError:
        return False


class FetchConfig(_Section):
    """Limits for every HTTP request (feeds and full-text pages)."""

    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    total_timeout: float = Field(120.0, gt=0, description="a server dribbling bytes stops here")
    max_mb: float = Field(10.0, gt=0, description="largest body, counted after decompression")
    max_redirects: int = Field(5, ge=0)
    user_agent: str = "monitor/0.1 (news monitor; RSS/Atom feed poller)"


class DedupConfig(_Section):
    jaccard: float = Field(0.8, gt=0, le=1, description="near-duplicate: shingle overlap")
    containment: float = Field(0.9, gt=0, le=1, description="a truncated copy's overlap")


class PipelineConfig(_Section):
    workers: int | Literal["auto"] = "auto"  # processes for decode+extract; 0: in-process
    extract_timeout: float = Field(60.0, gt=0, description="seconds one file may take")
    batch: int = Field(
        64,
        ge=1,
        le=512,
        description="inputs that arrive together (a backlog, a feed poll) are read ahead and "
        "grouped into stories as one batch of at most this many; 1: one at a time",
    )

    def worker_count(self) -> int:
        """auto: one per core, none on a single core (a pool would only add overhead)."""
        if self.workers == "auto":
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            return cores if cores > 1 else 0
        return max(0, self.workers)


class MetricsConfig(_Section):
    listen: str | None = Field(
        None, pattern=r"^[^:]+:\d+$", description="host:port, e.g. 127.0.0.1:9464"
    )


class LoggingConfig(_Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class Settings(_Section):
    inbox: InboxConfig = InboxConfig()
    store: StoreConfig = StoreConfig()
    alerts: AlertsConfig = AlertsConfig()
    tagging: TaggingConfig = TaggingConfig()
    logging: LoggingConfig = LoggingConfig()
    pipeline: PipelineConfig = PipelineConfig()
    metrics: MetricsConfig = MetricsConfig()
    dedup: DedupConfig = DedupConfig()
    stories: StoriesConfig = StoriesConfig()
    feeds: tuple[FeedConfig, ...] = ()
    fetch: FetchConfig = FetchConfig()
    topics: dict[str, dict[str, Any]] = Field(default_factory=dict)
    entities: dict[str, dict[str, Any]] = Field(default_factory=dict)
    source_path: Path | None = Field(None, exclude=True)  # the file these came from


def load(path: Path) -> Settings:
    """Read, validate and resolve a config file; raise ConfigError with a usable message."""
    if not path.is_file():
        raise ConfigError(
            f"{path}: config file not found. Pass --config PATH, set ${ENV_VAR}, "
            "or copy config.toml from the monitor repository."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc}); save it as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(explain(path, exc, Settings)) from exc
    return _resolve_relative(settings, path.resolve().parent).model_copy(
        update={"source_path": path.resolve()}
    )


def _resolve_relative(settings: Settings, base: Path) -> Settings:
    """Relative paths mean "next to the config file", not "wherever the daemon started"."""

    def r(p: Path) -> Path:
        return p if p.is_absolute() else (base / p).resolve()

    def r_opt(p: Path | None) -> Path | None:
        return None if p is None else r(p)

    return settings.model_copy(
        update={
            "inbox": settings.inbox.model_copy(
                update={"paths": tuple(r(p) for p in settings.inbox.paths)}
            ),
            "store": settings.store.model_copy(update={"path": r(settings.store.path)}),
            "alerts": settings.alerts.model_copy(
                update={
                    "log": r(settings.alerts.log),
                    "channels": tuple(
                        c.model_copy(
                            update={"template": r_opt(c.template)}
                            | ({"path": r(c.path)} if isinstance(c, LogChannel) else {})
                        )
                        for c in settings.alerts.channels
                    ),
                }
            ),
            "tagging": settings.tagging.model_copy(
                update={
                    "taxonomy": r_opt(settings.tagging.taxonomy),
                    "gazetteer": r_opt(settings.tagging.gazetteer),
                }
            ),
        }
    )
