"""Anchors written in capitals after "=" ("=US", "=UN", "=EU"): found only as written.

The tagger matches folded text, where the country "US" and the pronoun "us" are one word,
and "=" only turns affixes off. So an English article with "us" in it ("the sanctions
available to us", a regulator's page) held the anchor of every topic "=US" anchors, and a
football club's or a charity's page passed the anchor test that is meant to ask for the
beat's actors (issue 17: fresh7's off-beat items, read after they were scored). An anchor
is only asked whether it occurs, so these few are looked up in the article's lines as
written, capitals and all, as the gazetteer's `cased` aliases are (entities.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from monitor.tagging.terms import Document

_CASED = re.compile(r"^=[A-Z]{2,}$")

_Owners = frozenset[tuple[str, str]]


def split_cased(
    anchor_of: Mapping[str, set[tuple[str, str]]],
) -> tuple[dict[str, set[tuple[str, str]]], dict[str, set[tuple[str, str]]]]:
    """The anchors matched as folded words (the rest), and those found as written."""
    plain: dict[str, set[tuple[str, str]]] = {}
    cased: dict[str, set[tuple[str, str]]] = {}
    for text, owners in anchor_of.items():
        (cased if _CASED.match(text) else plain)[text] = owners
    return plain, cased


class CasedAnchors:
    """Which (topic, language) pairs a document's capitalised anchors give."""

    def __init__(self, cased: Mapping[str, set[tuple[str, str]]]) -> None:
        self._owners: dict[str, _Owners] = {t[1:]: frozenset(o) for t, o in cased.items()}
        # The folded forms: a document without "us", "un" or "eu" needs no regex at all.
        self._folded = frozenset(word.lower() for word in self._owners)
        longest_first = sorted(self._owners, key=len, reverse=True)
        self._re = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")
            if self._owners
            else None
        )

    def found(self, doc: Document) -> set[tuple[str, str]]:
        if self._re is None or self._folded.isdisjoint(doc.types):
            return set()
        out: set[tuple[str, str]] = set()
        for line in doc.lines:
            if line.isupper():  # a headline in capitals: "US" may be the pronoun
                continue
            for m in self._re.finditer(line):
                out |= self._owners[m.group(1)]
        return out
