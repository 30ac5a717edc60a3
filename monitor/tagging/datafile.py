"""Reading the taxonomy and the gazetteer: the shipped file, or a user's, as TOML.

Both are data a user edits by hand, so both fail the same way: a message that names the
file and says what is wrong, raised as a ConfigError the daemon reports at start-up or
on SIGHUP (keeping the configuration it runs).
"""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

# configfile, not config: `monitor search` reads the gazetteer's names without pydantic
from monitor.configfile import ConfigError


def read(
    path: Path | None, shipped: str, what: str, cache: Path | None = None
) -> tuple[str, dict[str, Any]]:
    """(where it came from, its tables): `path`, or data/`shipped` inside the package.

    `cache`: the compiled vocabularies' folder (compiled.py), where the parsed tables are
    kept by the text's digest: parsing the shipped taxonomy and gazetteer costs 0.02-0.03 s
    before the daemon is ready, reading them back (marshal) a tenth of that. A file with
    values marshal cannot hold (a TOML date) is parsed every time."""
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
    if cache is None:
        return source, _parse(text, source)
    from monitor.tagging.compiled import VocabularyCache

    digest = hashlib.sha256(b"toml-1\n" + text.encode()).hexdigest()[:40]
    tables = VocabularyCache(cache).get(
        f"toml-{digest}", lambda: _parse(text, source), lambda t: isinstance(t, dict)
    )
    return source, tables


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from exc
