"""Exact-duplicate detection by a hash of the normalised body.

The hash is taken over normalised words, so a copy that differs only in diacritics,
letter forms, case, punctuation or line wrapping is the same article. Near-duplicates
(MinHash) are a later step that plugs in beside this one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from monitor.text.normalize import words

# Returns the id of a stored article with this body hash, or None.
HashLookup = Callable[[str], int | None]


def body_hash(body: str) -> str:
    return hashlib.sha256(" ".join(words(body)).encode("utf-8")).hexdigest()
