"""Words found only as written, capitals and all: the gazetteer's `cased` aliases ("US",
"RT", "the Guardian") and the taxonomy's anchors written in capitals after "=" ("=US",
"=UN", "=EU").

The taggers match folded text, where the country "US" and the pronoun "us" are one word.
So these few are looked up in the document's lines as written, by one regular expression,
by the entity tagger and the topic anchors alike (one rule for what "as written" means).
For the anchors "=" only turns affixes off; before they were found as written, an English
article with "us" in it ("the sanctions available to us", a regulator's page) held the
anchor of every topic "=US" anchors (issue 17: fresh7's off-beat items, read after they
were scored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from monitor.tagging.terms import Document

_CASED_ANCHOR = re.compile(r"^=[A-Z]{2,}$")

_Owners = frozenset[tuple[str, str]]


class CasedWords:
    """Where a document names one of `words` as written."""

    def __init__(self, words: Iterable[str]) -> None:
        words = list(words)
        # A full stop after one ends a sentence ("... the UK, and the US."); one before a
        # letter makes it part of a longer token ("US.gov").
        self._re = (
            re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, words)) + r")(?!\w|\.\w)")
            if words
            else None
        )
        self._probe = re.compile("|".join(map(re.escape, words)))
        self._firsts = "".join(sorted({word[0] for word in words}))

    def find(self, doc: Document) -> Iterator[str]:
        """Each occurrence, as written, outside lines in capitals (a headline in capitals:
        "US" may be the pronoun there)."""
        if self._re is None:
            return
        # The full expression (with its look-behind) is tried at every character of every
        # line; the bare alternation is searched first, once over the document, and finds
        # none in most (it cannot miss one the full one finds). Before it, the words' first
        # letters (A, E, G, ...): an Arabic text holds none, and a letter is found in C at
        # a third of the alternation's cost.
        joined = "\n".join(doc.lines)
        if not (any(letter in joined for letter in self._firsts) and self._probe.search(joined)):
            return
        for line in doc.lines:
            if not line.isupper():
                for m in self._re.finditer(line):
                    yield m.group(1)


def split_cased(
    anchor_of: Mapping[str, set[tuple[str, str]]],
) -> tuple[dict[str, set[tuple[str, str]]], dict[str, set[tuple[str, str]]]]:
    """The anchors matched as folded words (the rest), and those found as written."""
    plain: dict[str, set[tuple[str, str]]] = {}
    cased: dict[str, set[tuple[str, str]]] = {}
    for text, owners in anchor_of.items():
        (cased if _CASED_ANCHOR.match(text) else plain)[text] = owners
    return plain, cased


class CasedAnchors:
    """Which (topic, language) pairs a document's capitalised anchors give."""

    def __init__(self, cased: Mapping[str, set[tuple[str, str]]]) -> None:
        self._owners: dict[str, _Owners] = {t[1:]: frozenset(o) for t, o in cased.items()}
        self._words = CasedWords(self._owners)

    def found(self, doc: Document) -> set[tuple[str, str]]:
        return set().union(*(self._owners[word] for word in self._words.find(doc)))
