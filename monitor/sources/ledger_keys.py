"""The inbox ledger's key for a path: one key per file, and the path back from a key.

A file name is bytes, and not always UTF-8 (a latin-1 name copied from an old share).
The displayed origin (origin_of) shows such bytes as `\\xe9` escapes, which is
readable but not unique: the byte 0xE9 and a UTF-8 name holding the four characters
backslash, x, e, 9 look the same, and a shared key made the store gain a copy at every
rescan. The key escapes injectively instead:

- a name that is valid UTF-8 and holds no backslash is its own key (nearly every file,
  and every key an older ledger holds for it);
- any other name escapes each backslash as `\\\\` and each byte that is not UTF-8 as
  `\\xNN`. Such a key always holds a backslash, so it never equals a key of the first
  kind, and the escaping is undone unambiguously (path_of_key).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_ESCAPE = re.compile(rb"\\x([0-9a-f]{2})|\\\\")


def ledger_key(path: Path | str) -> str:
    raw = os.fsencode(path)
    if b"\\" not in raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def path_of_key(key: str) -> Path:
    """The path a key was made from (retry-failed reads the file again)."""
    if "\\" not in key:
        return Path(key)
    raw = _ESCAPE.sub(lambda m: bytes([int(m[1], 16)]) if m[1] else b"\\", key.encode("utf-8"))
    return Path(os.fsdecode(raw))


def key_of_legacy(old: str) -> str:
    """The key for a ledger row written before keys were unique (origin_of's escaping:
    bytes as `\\xNN`, backslashes left as they were). Ambiguous by nature: `\\xNN` is
    read as a byte when NN is 80-ff (the only bytes that escaping produced), any other
    backslash as itself. A file read the other way is processed once more, then its key
    is stable."""
    raw = re.sub(rb"\\x([89a-f][0-9a-f])", lambda m: bytes([int(m[1], 16)]), old.encode("utf-8"))
    return ledger_key(os.fsdecode(raw))


def origin_of(path: Path) -> str:
    """The path as stored. A file name that is not valid UTF-8 (a latin-1 name copied from
    an old share) keeps its bytes visible as escapes instead of breaking the insert."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text
