"""Compiled tagging vocabularies kept on disk, so a process loads them instead of building them.

Compiling the taxonomy and gazetteer expands every Arabic word into its surface forms
(terms.py): about 300,000 forms, 0.6-1.5 s of CPU and a peak of 150 MB while the
temporary sets are built. Every `monitor` process paid that at start (the daemon, each
`ingest`, each test that starts one). The compiled tables depend only on the terms and on
the code that expands them, so they are written once and read back: a load costs about a
tenth of a build and never allocates the temporaries.

The key is a hash of the terms as compiled (text, owner, affixes: the taxonomy and
gazetteer files with config.toml's overrides on top), of the code that turns them into
forms (_CODE below, byte for byte: terms.py, term_forms.py, affix_forms.py, normalize.py
...) and of the Python version (the file format is marshal's, which may change between
versions). Any change to one of them is a new key, so a stale table is never used; old
files are left for the user to delete (a few MB each).

Why marshal and not pickle: marshal reads plain values only (dicts, tuples, frozensets,
strings, ints) and runs no code, and it reads this data faster. It does not check its
input, so each file starts with a digest of the rest: a partial or corrupt file is found
before it is read, and rebuilt. Writers write a temporary file in the same folder and
rename it over the old one (atomic on POSIX), so two processes compiling at once both
succeed and a reader sees a whole file or none. A cache that cannot be read or written
costs a build, never the run.

Where: `$CACHE_DIRECTORY` (systemd's CacheDirectory=), else `$XDG_CACHE_HOME/monitor`,
else `~/.cache/monitor` (cache_folder()). Not the store's folder: the tables depend on
the vocabulary, not on the store, so every store of a user (and every test of the suite)
shares one copy, and the store's folder keeps only data worth a backup.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger("monitor.tagging")

_MAGIC = b"monitor-vocabulary-2\n"
# SHA-256 of the payload, after the magic: hashlib's SHA-256 runs on the CPU's SHA
# instructions, where its BLAKE2b is the portable C code, 2.5 times slower over the 15 MB
# the shipped vocabularies take (20 ms of every process's start; version 1 used it).
_DIGEST = 32
# The modules whose code decides the forms a term compiles to.
_CODE = (
    "tagging/terms.py",
    "tagging/term_forms.py",
    "tagging/affix_forms.py",
    "tagging/sorted_table.py",
    "text/normalize.py",
)


def cache_folder(environ: Mapping[str, str]) -> Path | None:
    """Where compiled vocabularies go: systemd's CacheDirectory (the hardened unit has
    no writable home), else the XDG cache folder; None when no home is known."""
    if environ.get("CACHE_DIRECTORY"):
        # systemd may list several folders, separated by ":"; the first is ours.
        return Path(environ["CACHE_DIRECTORY"].split(":")[0])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "monitor"
    home = environ.get("HOME")
    return Path(home) / ".cache" / "monitor" if home and home != "/" else None


def _code_fingerprint() -> bytes:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(sys.version.encode() + bytes([marshal.version]))
    for name in _CODE:
        digest.update((root / name).read_bytes())
    return digest.digest()


class VocabularyCache:
    """Compiled matcher tables in one folder, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, kind: str, terms: Sequence[tuple[str, str, str]]) -> str:
        # The format is in the key too: a file of another format is never opened.
        digest = hashlib.blake2b(_code_fingerprint() + _MAGIC, digest_size=20)
        digest.update(kind.encode())
        for text, owner, affixes in terms:
            # Separators that cannot occur in a term: two term lists that differ give
            # two keys.
            digest.update(f"{text}\x1f{owner}\x1f{affixes}\x1e".encode())
        return f"{kind}-{digest.hexdigest()}"

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.vocab"

    def load(self, key: str) -> Any | None:
        """The tables stored under `key`, or None (absent, partial, corrupt, unreadable)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("compiled vocabulary unreadable; compiling", path=str(path), error=str(exc))
            return None
        head = len(_MAGIC) + _DIGEST
        payload = data[head:]
        if (
            data[: len(_MAGIC)] != _MAGIC
            or hashlib.sha256(payload).digest() != data[len(_MAGIC) : head]
        ):
            log.warning("compiled vocabulary damaged; compiling it again", path=str(path))
            return None
        # Without the cyclic collector meanwhile: reading 300,000 strings into dicts and
        # sets sets it off again and again to traverse what is being read (a tenth of
        # the load); no cycle is made here, so nothing is left for it to find.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError) as exc:  # a digest collision: not in practice
            log.warning("compiled vocabulary unreadable; compiling", path=str(path), error=str(exc))
            return None
        finally:
            if collecting:
                gc.enable()

    def save(self, key: str, tables: Any) -> None:
        """Write atomically (temporary file, then rename); a failure is logged, not raised:
        the caller has its tables and the next process compiles again."""
        try:
            payload = marshal.dumps(tables)
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_MAGIC)
                    fh.write(hashlib.sha256(payload).digest())
                    fh.write(payload)
                os.replace(tmp, self.path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, ValueError) as exc:
            log.info(
                "compiled vocabulary not cached (each start compiles it)",
                folder=str(self.folder),
                error=str(exc),
            )

    def get(self, key: str, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
        """The stored tables if they are there and `valid`, else `build()` (stored)."""
        tables = self.load(key)
        if tables is not None:
            if valid(tables):
                return tables
            log.warning("compiled vocabulary has the wrong shape; compiling", key=key)
        tables = build()
        self.save(key, tables)
        return tables
