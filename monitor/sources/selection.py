"""Which files `monitor ingest PATH...` reads, and why it leaves the others.

A path named on the command line is the user's explicit choice: it is read whatever its
name (`x.tmp`, `.hidden/a.txt`) and wherever it lives, inside the configured inbox or
not. Inside a folder named on the command line the daemon's rules apply (dotfiles,
dot-folders, temporary names, links leading out of the folder and monitor's own store are
skipped), because nobody chose those files one by one. Nothing here reads a file or the
store: the caller decides what to do with the list (process it here, or hand it over).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from monitor.config import InboxConfig, Settings
from monitor.sources.inbox import (
    NOT_REGULAR,
    OWN_FILE,
    UNREADABLE_FOLDER,
    is_folder,
    is_regular_file,
    is_store_file,
    resolve,
    skip_reason,
    walk,
)

MISSING = "no such file or folder"


def own_files(settings: Settings) -> list[Path]:
    """The store and the alert logs, never read as input if they sit in an inbox. Here,
    not with the service's parts: `monitor ingest` selects its files before it imports
    the service, so that the pool's server can start first (cli/daemon.py)."""
    return [
        settings.store.path,
        settings.alerts.log,
        *(c.path for c in settings.alerts.channels if getattr(c, "path", None)),
    ]


@dataclass
class Selection:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)
    empty: list[Path] = field(default_factory=list)  # named paths that gave no file

    def reasons(self) -> Counter[str]:
        return Counter(reason for _path, reason in self.skipped)


def select_files(
    paths: Iterable[Path], config: InboxConfig, exclude: Iterable[Path] = ()
) -> Selection:
    """The files to ingest for these command-line paths, in order, each once."""
    own = {Path(os.path.realpath(p)) for p in exclude}
    chosen = Selection()
    seen: set[Path] = set()
    for named in paths:
        before = len(chosen.files)
        if is_folder(named):
            _folder(Path(os.path.realpath(named)), config, own, chosen, seen)
        else:
            _named_file(named, own, chosen, seen)
        if len(chosen.files) == before:
            chosen.empty.append(named)
    return chosen


def _named_file(path: Path, own: set[Path], chosen: Selection, seen: set[Path]) -> None:
    if not os.path.lexists(path):
        chosen.skipped.append((path, MISSING))
        return
    resolved, problem = resolve(path)
    if resolved is None:
        chosen.skipped.append((path, problem or MISSING))
    elif resolved in own or is_store_file(resolved, own):
        chosen.skipped.append((path, OWN_FILE))
    elif not is_regular_file(resolved):
        chosen.skipped.append((path, NOT_REGULAR))
    elif resolved not in seen:
        seen.add(resolved)
        chosen.files.append(resolved)


def _folder(
    root: Path, config: InboxConfig, own: set[Path], chosen: Selection, seen: set[Path]
) -> None:
    def unreadable(exc: OSError) -> None:
        where = Path(os.fsdecode(exc.filename)) if exc.filename is not None else root
        chosen.skipped.append((where, f"{UNREADABLE_FOLDER} ({exc.strerror})"))

    for folder, names in walk(root, unreadable):
        # walk() leaves dot-folders out silently: count them here, as the files are.
        try:
            hidden = sorted(
                e.name for e in os.scandir(folder) if e.name.startswith(".") and e.is_dir()
            )
        except OSError:
            hidden = []
        chosen.skipped.extend((folder / name, _HIDDEN_FOLDER) for name in hidden)
        for name in names:
            path = folder / name
            reason = skip_reason(path, [root], own, config.ignore)
            if reason is not None:
                chosen.skipped.append((path, reason))
                continue
            resolved = Path(os.path.realpath(path))
            if resolved not in seen:
                seen.add(resolved)
                chosen.files.append(resolved)


_HIDDEN_FOLDER = "hidden folder (its name starts with a dot)"
