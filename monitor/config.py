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
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_VAR = "MONITOR_CONFIG"
DEFAULT_PATH = Path("config.toml")

# Names that editors, browsers and downloaders give to files still being written.
DEFAULT_IGNORE = ["*.tmp", "*.part", "*.crdownload", "*.swp", "*~", "*.partial", "*.download"]


class ConfigError(Exception):
    """A configuration a user must fix; the message says where and how."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InboxConfig(_Section):
    paths: tuple[Path, ...] = (Path("seeds"),)
    settle_seconds: float = Field(1.0, ge=0, description="a file unchanged this long is complete")
    rescan_seconds: float = Field(60.0, gt=0, description="full rescan, for missed events")
    max_file_mb: float = Field(20.0, gt=0)
    ignore: tuple[str, ...] = tuple(DEFAULT_IGNORE)
    polling: bool = Field(False, description="use the polling observer (NFS, CIFS)")


class StoreConfig(_Section):
    path: Path = Path("monitor.db")


class AlertsConfig(_Section):
    log: Path = Path("alerts.jsonl")
    console: bool = True


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


class DedupConfig(_Section):
    jaccard: float = Field(0.8, gt=0, le=1, description="near-duplicate: shingle overlap")
    containment: float = Field(0.9, gt=0, le=1, description="a truncated copy's overlap")


class StoriesConfig(_Section):
    window_days: float = Field(3.0, gt=0, description="articles further apart are other events")
    updates: Literal["alert", "digest", "silent"] = "silent"
    cooldown_minutes: float = Field(60.0, ge=0)


class LoggingConfig(_Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class Settings(_Section):
    inbox: InboxConfig = InboxConfig()
    store: StoreConfig = StoreConfig()
    alerts: AlertsConfig = AlertsConfig()
    tagging: TaggingConfig = TaggingConfig()
    logging: LoggingConfig = LoggingConfig()
    dedup: DedupConfig = DedupConfig()
    stories: StoriesConfig = StoriesConfig()
    feeds: tuple[FeedConfig, ...] = ()
    topics: dict[str, dict[str, Any]] = Field(default_factory=dict)
    entities: dict[str, dict[str, Any]] = Field(default_factory=dict)
    source_path: Path | None = Field(None, exclude=True)  # the file these came from


def resolve_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """The config file to use: --config, then $MONITOR_CONFIG, then ./config.toml."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


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
        raise ConfigError(_explain(path, exc)) from exc
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
            "alerts": settings.alerts.model_copy(update={"log": r(settings.alerts.log)}),
            "tagging": settings.tagging.model_copy(
                update={
                    "taxonomy": r_opt(settings.tagging.taxonomy),
                    "gazetteer": r_opt(settings.tagging.gazetteer),
                }
            ),
        }
    )


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings model that owns the key at loc, to suggest its valid keys."""
    model: type[BaseModel] = Settings
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        ann = field.annotation if field else None
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return None
    return model


def _explain(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: invalid configuration"]
    for err in exc.errors():
        loc = err["loc"]
        key = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            model = _model_at(loc)
            valid = sorted(model.model_fields) if model else []
            valid = [v for v in valid if v != "source_path"]
            near = difflib.get_close_matches(str(loc[-1]), valid, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            lines.append(f"  {key}: unknown key{hint} (valid keys here: {', '.join(valid)})")
        else:
            got = err.get("input")
            lines.append(f"  {key}: {err['msg']} (got {got!r})")
    return "\n".join(lines)
