"""Finding the configuration file, and reading the two paths a read command needs.

config.py validates a whole configuration with pydantic, and the commands that run the
pipeline need all of it. `monitor search`, `show`, `stats`, `export`, `stories`, `story`,
`failures` and `alerts` need only where the store and the alert log are; importing
pydantic and building the settings models (with structlog for the log set-up) cost them
0.1-0.2 s of a start-up meant to take a few tenths (docs/benchmarks.md). So they read
those two paths here, without pydantic, resolved exactly as config.py resolves them
(tests/test_configfile.py compares the two). Whenever something in what they read looks
wrong (a section or key config.py does not know, a value of the wrong type, a file that
is not TOML), `read_paths` returns None and the command validates everything with
config.py instead, so its error message is the one the daemon would give.

The CLI imports this module as its `config_mod`: `load` and `ConfigError` here are
config.py's, imported when first used.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.ops.redact import scrub_urls

if TYPE_CHECKING:
    from monitor.config import Settings

ENV_VAR = "MONITOR_CONFIG"
DEFAULT_PATH = Path("config.toml")

# config.py's top-level sections and the defaults of the two paths; a test keeps them
# equal to Settings' fields and defaults.
SECTIONS = frozenset(
    {
        "inbox",
        "store",
        "alerts",
        "tagging",
        "logging",
        "pipeline",
        "metrics",
        "dedup",
        "stories",
        "feeds",
        "fetch",
        "topics",
        "entities",
    }
)
DEFAULT_STORE = Path("monitor.db")
DEFAULT_ALERT_LOG = Path("alerts.jsonl")


class ConfigError(Exception):
    """A configuration a user must fix; the message says where and how.

    URLs in the message have their secrets masked (a webhook URL with a password in it,
    shown back in an error, would end up in the journal).
    """

    def __init__(self, message: object = "") -> None:
        super().__init__(scrub_urls(str(message)))


def resolve_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """The config file to use: --config, then $MONITOR_CONFIG, then ./config.toml."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


def load(path: Path) -> Settings:
    """The whole configuration, validated (config.load)."""
    from monitor.config import load as validated

    return validated(path)


@dataclass(frozen=True)
class StorePath:
    path: Path


@dataclass(frozen=True)
class AlertLog:
    log: Path


@dataclass(frozen=True)
class ReadSettings:
    """What a read command uses, shaped like Settings: `.store.path`, `.alerts.log`."""

    store: StorePath
    alerts: AlertLog
    source_path: Path


def read_paths(path: Path) -> ReadSettings | None:
    """The store and alert log paths, or None when config.py should look at the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    store = _table(data, "store", {"path", "busy_timeout"})
    alerts = _table(data, "alerts", None)
    if store is None or alerts is None or not set(data) <= SECTIONS:
        return None
    store_path, log = store.get("path", DEFAULT_STORE), alerts.get("log", DEFAULT_ALERT_LOG)
    if not isinstance(store_path, str | Path) or not isinstance(log, str | Path):
        return None
    base = path.resolve().parent
    return ReadSettings(
        store=StorePath(_resolve(Path(store_path), base)),
        alerts=AlertLog(_resolve(Path(log), base)),
        source_path=path.resolve(),
    )


def _table(data: dict[str, Any], name: str, keys: set[str] | None) -> dict[str, Any] | None:
    """A section as a dict ({} when absent); None when it is not a table or has a key
    outside `keys` (None: any key, the rest of the section being config.py's to check)."""
    table = data.get(name, {})
    if not isinstance(table, dict) or (keys is not None and not set(table) <= keys):
        return None
    return table


def _resolve(p: Path, base: Path) -> Path:
    """As config.py: a relative path means "next to the config file"."""
    return p if p.is_absolute() else (base / p).resolve()
