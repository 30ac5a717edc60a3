"""Arabic proclitics, for search: عقوبات must find العقوبات, بالعقوبات and وعقوبات.

SQLite's tokenizers see بالعقوبات as one word sharing nothing with عقوبات (NOTES.md), and
stemmers over-conflate (ISRI turns العقوبات into the root of "obstacle") or cut names
(بوتين is not ب + وتين). So the index holds, for every Arabic word, the word itself and
each tail left by a valid proclitic sequence: conjunction (و ف), then preposition or
future particle (ب ك ل س), then the article (ال, written لل after ل). بالعقوبات is indexed
as بالعقوبات, العقوبات and عقوبات; بوتين as بوتين and وتين; لبوتين as لبوتين, بوتين and
وتين. A tail keeps at least three letters.

A query word is searched as typed and as its own tails (`query_forms`), so بالعقوبات,
وعقوبات and للأسلحة find what عقوبات and أسلحة find. Cutting a query word is riskier than
indexing one, because a cut tail matches other words: names are never cut (بوتين is not
ب + وتين: the caller passes the gazetteer's words), and a cut with no article must leave
four letters, since three-letter tails are so often words of their own (وزير is not
و + زير, وكالة not وك + آلة); after the article three are enough (للأمم -> أمم).

Suffixes are not touched: عقوبات and عقوبة stay apart (`عقوب*` joins them in a query).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from itertools import product

from monitor.text.normalize import normalize

_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_WORD = re.compile(r"\w+")
_MIN_TAIL = 3
_MIN_TAIL_NO_ARTICLE = 4  # after a cut that does not end with the article (see above)
_ARTICLE_END = ("ال", "لل")


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


def _arabic_tails(word: str) -> tuple[str, ...]:
    """A prefix is at most four letters, so the candidates are the word's first one to
    four letters looked up in a set, not forty startswith calls."""
    out = [word]
    for k in range(1, min(_LONGEST, len(word) - _MIN_TAIL) + 1):
        if word[:k] in _PREFIX_SET:
            out.append(word[k:])
    return tuple(out)


def index_text(text: str) -> str:
    """The search column: every normalised word with its proclitic tails."""
    return index_words(_WORD.findall(normalize(text)))


def index_words(words: Iterable[str]) -> str:
    """index_text() of a text whose normalised words are split already: an article
    carries its body's (normalize.words, the same \\w+ runs of the same normalised
    text), so storing it does not normalise and split the body once more (issue 19)."""
    return " ".join(map(_indexed, words))


@lru_cache(maxsize=50_000)
def _indexed(word: str) -> str:
    """A word as the index holds it, with its tails. Cached (about 20 MB when full): a
    news vocabulary repeats, and indexing asks for every word of every article; the
    cached string, not the tails, because joining them word by word in a generator cost
    four times the rest of index_text (issue 19)."""
    return " ".join(tails(word))


def has_cuts(word: str) -> bool:
    """Whether `query_forms` may cut this normalised word (then names matter)."""
    return len(tails(word)) > 1


def query_forms(word: str, names: Collection[str] = ()) -> list[str]:
    """A normalised query word as typed, then the tails it may stand for, shortest cut
    first: وبالعقوبات -> بالعقوبات, العقوبات, عقوبات. `names` are normalised name words
    (see `name_words`): a tail that is a name is kept and never cut further, and a word
    that is a name is not cut at all (لبوتين -> بوتين, never وتين)."""
    forms = [word]
    if word in names:
        return forms
    for tail in tails(word)[1:]:
        prefix = word[: len(word) - len(tail)]
        name = tail in names  # وكيم -> كيم, though three letters
        if name or prefix.endswith(_ARTICLE_END) or len(tail) >= _MIN_TAIL_NO_ARTICLE:
            forms.append(tail)
        if name:
            break
    return forms


def name_words(aliases: Iterable[str]) -> frozenset[str]:
    """The normalised Arabic words of names, a word written with the article (ال, لل)
    without it: what a query must never cut. الكرملين may still lose its article, as in the index
    (so it finds للكرملين, indexed as كرملين), but not a letter more."""
    out: set[str] = set()
    for alias in aliases:
        for word in re.findall(r"\w+", normalize(alias)):
            if _ARABIC_WORD.match(word):
                article = word.startswith(_ARTICLE_END) and len(word) - 2 >= _MIN_TAIL
                out.add(word[2:] if article else word)  # للأمم in "الجمعية العامة للأمم"
    return frozenset(out)
