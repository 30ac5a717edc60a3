"""The gazetteer's name words, which a search query must never cut (text/clitics.py).

Read from the gazetteer file without building its matcher: `monitor search` needs only
the words, and only when a query word could lose a proclitic. It is the shipped gazetteer:
names added by a user's gazetteer file or config [entities] are not protected yet (the
query functions take `names` for a caller that has them).
"""

from __future__ import annotations

from functools import lru_cache

from monitor.tagging import datafile
from monitor.text.clitics import name_words


@lru_cache(maxsize=1)
def shipped_name_words() -> frozenset[str]:
    """The shipped gazetteer's (read once per process: it is package data, not config)."""
    _source, tables = datafile.read(None, "gazetteer.toml", "gazetteer")
    return name_words(
        alias
        for entry in tables.values()
        for alias in (*entry.get("aliases", ()), *entry.get("context_aliases", ()))
        if alias
    )
