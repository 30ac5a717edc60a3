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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitor.config_errors import explain

# Finding the file and the error type live where the read commands reach them without
# pydantic (configfile.py says why); imported here so config.X keeps meaning them.
from monitor.configfile import DEFAULT_PATH as DEFAULT_PATH
from monitor.configfile import ENV_VAR as ENV_VAR
from monitor.configfile import ConfigError as ConfigError
from monitor.configfile import resolve_path as resolve_path

# Names that editors, browsers and downloaders give to files still being written.
DEFAULT_IGNORE = ["*.tmp", "*.part", "*.crdownload", "*.swp", "*~", "*.partial", "*.download"]


class _Section(BaseModel):
    # defer_build: each model's validator is built when first used, not when the module
    # is imported; the channel and feed kinds a configuration does not use are never
    # built (0.025 s of every start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


class StoriesConfig(_Section):
    window_days: float = Field(3.0, gt=0, description="articles further apart are other events")
    similarity: float = Field(
        0.55, gt=0, le=1, description="mean cosine with a story's members to join it"
    )
    dated_similarity: float | None = Field(
        None,
        gt=0,
        le=1,
        description="the same, when article and story both have dates (default: 0.3, or "
        "similarity if that is lower)",
    )
    updates: Literal["alert", "digest", "silent"] = "silent"
    cooldown_minutes: float = Field(60.0, ge=0)
    background_weight: float = Field(
        0.0,
        ge=0,
        description="documents the shipped background word frequencies count as (0: off; "
        "1000 with entity_weight 2 and bars 0.4/0.25 did best on the real set, docs/stories.md)",
    )
    entity_weight: float = Field(4.0, gt=0, description="a name's weight against a word's")
    cross_language_similarity: float = Field(
        0.9,
        ge=0,
        le=1,
        description="a report may also meet a story told only in the other language by the "
        "cosine of their names alone, against this bar; 0: off",
    )
    novel_similarity: float = Field(
        0.45,
        gt=0,
        le=1,
        description="a lower bar for a report without dates to go on whose names the story "
        "already has (at most `novelty` of their weight new); at or above similarity: off",
    )
    novelty: float = Field(
        0.1, ge=0, le=1, description="the share of a report's name weight new to a story"
    )
    cross_novel_similarity: float = Field(
        0.7,
        ge=0,
        le=1,
        description="a lower names-alone bar (cross_language_similarity's) for a report whose "
        "names the story already has (at most `novelty` of their weight new); 0: off",
    )
    weekday_similarity: float = Field(
        0.45,
        ge=0,
        le=1,
        description="a lower bar for an undated report whose text names a weekday on which "
        "a story's dated reports fall (text_dates.py); 0 or at or above similarity: off",
    )
    timed_cross_similarity: float = Field(
        0.65,
        ge=0,
        le=1,
        description="the names-alone bar (cross_language_similarity's) for an undated report "
        "whose text says a day (weekday, day of the month, or one read against arrival) that "
        "agrees with the story's dated reports; 0: off",
    )
    day_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="a lower bar for an undated report whose text names a day of the month "
        "(19 June, 19 يونيو) within a day of a story's dated reports (text_dates.py); 0 or at "
        "or above similarity: off",
    )
    arrival_dates: bool = Field(
        True,
        description="an undated report naming one day (19 June, Tuesday), read against when it "
        "arrived, meets a story whose dated reports are within the window of that day at "
        "dated_similarity (text_dates.py)",
    )
    concept_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="the share of the comparison with a story told in the other language "
        "that is the cosine of their event words' concepts (visit / زيارة: event_lexicon.py); "
        "the rest is their names'; 0: off (names alone)",
    )
    concept_similarity: float = Field(
        0.7,
        ge=0,
        le=1,
        description="event concepts that agree this much (their cosine) let a report that "
        "names someone new meet a story in the other language at cross_novel_similarity; "
        "0: off",
    )
    same_language: bool = Field(
        False,
        description="in a story told in both languages, a report is also measured against "
        "the members in its own language",
    )
    same_language_known: bool = Field(
        True,
        description="the same, only when the report names nothing new to the story (at most "
        "`novelty` of its name weight): a look-alike event names someone of its own",
    )
    both_languages_known: bool = Field(
        True,
        description="a group told in both languages (a story, at the story merge) meets a "
        "story told in both on the pairs written in one language, when it names nothing new "
        "to it (as same_language_known)",
    )
    same_language_told: bool = Field(
        False,
        description="with same_language_known: also when the report's text says a day (weekday, "
        "day of the month) that agrees with the story's dated reports",
    )
    known_concept_similarity: float = Field(
        0.65,
        ge=0,
        le=1,
        description="with same_language_known: a report whose event concepts agree with the "
        "story's at least this much (their cosine) is measured against the members in its "
        "own language even when it names someone new; 0: off",
    )
    novel_concept_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="a report whose event concepts agree with the story's at least this much "
        "may join at novel_similarity even when it names someone new; 0: off",
    )
    kind_similarity: float = Field(
        0.35,
        ge=0,
        le=1,
        description="the bar for an undated report meeting a dated story told in both "
        "languages when its main event concept and main name are the story's (measured "
        "against the members in its own language); 0: off",
    )
    kind_novelty: float = Field(
        0.3,
        ge=0,
        le=1,
        description="with kind_similarity: at most this share of the report's name weight "
        "on names the story never had",
    )
    kind_agreement: float = Field(
        0.75,
        ge=0,
        le=1,
        description="with kind_similarity: a report whose names and event concepts each agree "
        "with the story's at least this much counts as one kind by one actor too; 0: off",
    )
    same_day_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="the bar when a dated report falls on a day the story's dated reports "
        "hold or the day before or after them (each side's dates a day apart at most, all "
        "within two days; not only within the window); 0: off",
    )
    same_day_concepts: float = Field(
        0.5,
        ge=0,
        le=1,
        description="... when their event concepts agree at least this much (0: any)",
    )
    number_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="the bar when a report and a story are mainly about one ordinal (the "
        "17th package: the ordinal each names most); 0: off",
    )
    number_margin: float = Field(
        1.0,
        ge=0,
        le=1,
        description="added to the bar when a report and a story each name event numbers "
        "(the 16th package, the Hwasong-18) and none in common (1: ruled out); 0: off",
    )
    batch: Literal["linkage", "stream"] = Field(
        "linkage",
        description="how a batch is grouped: by average linkage, or placed report by report "
        "by the stream's rule in an order of its own (undated first, then by date)",
    )
    review: bool = Field(
        True,
        description="group a story's members again as a batch would each time it grows, and "
        "split off a separate event as a new story (with its new_story alert)",
    )
    review_members: int = Field(20, ge=4, description="the latest members a review groups")
    merge: bool = Field(
        True,
        description="with review on: after a report joins a story, join the story with "
        "another it would join as a whole (no alert)",
    )
    merge_both_ways: bool = Field(
        False,
        description="with merge on: also join a story with a nearby story that would join "
        "it as a whole, and ask so of a report's new story too",
    )

    @property
    def dated_threshold(self) -> float:
        if self.dated_similarity is None:
            return min(self.similarity, 0.3)
        return self.dated_similarity

    @model_validator(mode="after")
    def _dated_not_stricter(self) -> StoriesConfig:
        if self.dated_similarity is not None and self.dated_similarity > self.similarity:
            raise ValueError(
                f"dated_similarity ({self.dated_similarity:g}) is above similarity "
                f"({self.similarity:g}): dates in the window are evidence for a match, so "
                "set it at or below similarity"
            )
        return self


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
