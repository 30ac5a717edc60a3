"""Reading the taxonomy and the gazetteer: the shipped file, or a user's, as TOML.

Both are data a user edits by hand, so both fail the same way: a message that names the
file and says what is wrong, raised as a ConfigError the daemon reports at start-up or
on SIGHUP (keeping the configuration it runs).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

# configfile, not config: `monitor search` reads the gazetteer's names without pydantic
from monitor.configfile import ConfigError


def read(path: Path | None, shipped: str, what: str) -> tuple[str, dict[str, Any]]:
    """(where it came from, its tables): `path`, or data/`shipped` inside the package."""
    if path is None:
        source = f"monitor/tagging/data/{shipped}"
        text = resources.files("monitor.tagging").joinpath(f"data/{shipped}").read_text("utf-8")
    else:
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror}).") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{path}: the {what} is not UTF-8 ({exc}); save it as UTF-8."
            ) from exc
    try:
        return source, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from exc
