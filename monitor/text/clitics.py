"""Arabic proclitics, for search: عقوبات must find العقوبات, بالعقوبات and وعقوبات.

SQLite's tokenizers see بالعقوبات as one word sharing nothing with عقوبات (NOTES.md), and
stemmers over-conflate (ISRI turns العقوبات into the root of "obstacle") or cut names
(بوتين is not ب + وتين). So the index holds, for every Arabic word, the word itself and
each tail left by a valid proclitic sequence: conjunction (و ف), then preposition or
future particle (ب ك ل س), then the article (ال, written لل after ل). بالعقوبات is indexed
as بالعقوبات, العقوبات and عقوبات; بوتين as بوتين and وتين; لبوتين as لبوتين, بوتين and
وتين. A query word is searched as typed (and without its article), so بوتين finds
لبوتين and بوتين, and never needs to be cut itself. A tail keeps at least three letters.

Suffixes are not touched: عقوبات and عقوبة stay apart (`عقوب*` joins them in a query).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from monitor.text.normalize import normalize

_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_MIN_TAIL = 3


def _prefixes() -> tuple[str, ...]:
    out = set()
    for conj, prep, article in product(("", "و", "ف"), ("", "ب", "ك", "ل", "س"), ("", "ال")):
        if prep == "س" and article:
            continue  # the future particle goes with verbs, never with the article
        if prep == "ل" and article:
            out.add(conj + "لل")  # ل + ال is written لل
            continue
        out.add(conj + prep + article)
    out.discard("")
    return tuple(sorted(out, key=len))


PREFIXES = _prefixes()
_PREFIX_SET = frozenset(PREFIXES)
_LONGEST = max(map(len, PREFIXES))


def tails(word: str) -> tuple[str, ...]:
    """The word and what is left of it after each proclitic sequence it may start with."""
    if not _ARABIC_WORD.match(word):
        return (word,)
    return _arabic_tails(word)


@lru_cache(maxsize=50_000)
def _arabic_tails(word: str) -> tuple[str, ...]:
    """Cached (about 20 MB when full): a news vocabulary repeats, and indexing asks for
    every word of every article. A prefix is at most four letters, so the candidates are
    the word's first one to four letters looked up in a set, not forty startswith calls."""
    out = [word]
    for k in range(1, min(_LONGEST, len(word) - _MIN_TAIL) + 1):
        if word[:k] in _PREFIX_SET:
            out.append(word[k:])
    return tuple(out)


def index_text(text: str) -> str:
    """The search column: every normalised word with its proclitic tails."""
    return " ".join(t for w in re.findall(r"\w+", normalize(text)) for t in tails(w))


def query_forms(word: str) -> list[str]:
    """A normalised query word as typed, and without its article (العقوبات -> عقوبات)."""
    forms = [word]
    if _ARABIC_WORD.match(word):
        for article in ("ال", "لل"):
            if word.startswith(article) and len(word) - len(article) >= _MIN_TAIL:
                forms.append(word[len(article) :])
    return forms
