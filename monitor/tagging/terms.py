"""Finding terms and phrases in normalised text, Arabic clitics and suffixes included.

Stemmers are the wrong tool here (NOTES.md: ISRI turns العقوبات into the root of
"obstacle", and every stemmer cuts names). So the matcher works the other way round: each
word of a term is expanded once, when the taxonomy is loaded, into every surface form a
closed set of affixes can give it (العقوبات، وبالعقوبات، عقوباتها ...), and a document is
matched with one dictionary lookup per token. The sets are closed on purpose: an
open-ended suffix would let سلاح match سلاحف (turtles).

Term syntax (as written in the taxonomy and gazetteer files):
    sanctions       a word, with its affixes (Arabic clitics and suffixes, English -s/-es/-ed/-ing)
    كوريا الشمالية   a phrase: consecutive words, each with its affixes
    =UN             exact: no affixes at all (acronyms, short words)
    sanction*       prefix: any word that starts so (Latin and Cyrillic; mind the look-alikes)
Names (the gazetteer) take only proclitics on their first word and nothing else, so بوتين
is found in لبوتين and وبوتين but no suffix or stem is ever cut from it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, product
from typing import Literal, NamedTuple

from monitor.text.normalize import normalize, normalize_lines

Affixes = Literal["word", "name"]

_ARABIC = re.compile(r"^[\u0621-\u064a]+$")
_TOKEN = re.compile(r"\w+")

# Proclitics: conjunction (و ف), then preposition (ب ك ل), then the article (ال, written
# لل after ل). The future particle س is left out: it goes with verbs, and س + a noun term
# makes other words.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def _proclitics(with_article: bool) -> tuple[str, ...]:
    out = set()
    for conj, prep in product(_CONJ, _PREP):
        out.add(conj + prep)
        if with_article:
            out.add(conj + ("لل" if prep == "ل" else prep + "ال"))
    return tuple(sorted(out, key=len))


NOUN_PREFIXES = _proclitics(with_article=True)
NAME_PREFIXES = _proclitics(with_article=False)

# Suffixes (NOTES.md, measured): number and nisba endings, then pronoun suffixes, and the
# pronoun suffixes after a sound feminine plural. ه stands for both ة (folded) and "his".
_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي")
_ENDINGS = ("ات", "ان", "ين", "ون", "يه", "يات", "يين", "يون", "ي", "ا")
NOUN_SUFFIXES = (
    "",
    *_ENDINGS,
    *_PRONOUNS,
    *("ات" + p for p in _PRONOUNS),
)
# A word ending in ة (folded to ه) turns it into ت before a suffix: عقوبة -> عقوبتها,
# عقوبات; the dual takes تان/تين.
_TA_MARBUTA_SUFFIXES = ("ات", "تان", "تين", *("ت" + p for p in _PRONOUNS),
                        *("ات" + p for p in _PRONOUNS))  # fmt: skip

# English inflections; a taxonomy lists irregular forms as their own terms.
_LATIN_SUFFIXES = ("", "s", "es", "ed", "ing", "d")


def arabic_forms(word: str, affixes: Affixes) -> set[str]:
    """Every surface form of a normalised Arabic word under the closed affix sets."""
    if affixes == "name":
        prefixes = NAME_PREFIXES
        if word.startswith("ال"):
            # الناتو, الكرملين: ل + ال is written لل (للناتو).
            bare = word[2:]
            return {p + word for p in NAME_PREFIXES} | {c + "لل" + bare for c in _CONJ}
        return {p + word for p in prefixes}
    stems = {word + s for s in NOUN_SUFFIXES}
    if word.endswith("ه") and len(word) > 2:
        stems |= {word[:-1] + s for s in _TA_MARBUTA_SUFFIXES}
    if word.endswith("ا") and len(word) > 2:
        stems |= {word[:-1] + s for s in ("ات", "اتها", "اتهم")}
    if word.startswith("ال"):
        # A term written with its article (الكرملين) still takes و ف ب ك and لل.
        bare = word[2:]
        base = {word + s for s in NOUN_SUFFIXES}
        return {c + p + f for c in _CONJ for p in ("", "ب", "ك") for f in base} | {
            c + "لل" + bare + s for c in _CONJ for s in NOUN_SUFFIXES
        }
    return {p + s for p in NOUN_PREFIXES for s in stems}


def latin_forms(word: str, affixes: Affixes) -> set[str]:
    if affixes == "name" or not word.isalpha():
        return {word}
    forms = {word + s for s in _LATIN_SUFFIXES}
    if word.endswith("y") and len(word) > 3:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing"}
    return forms


@dataclass(frozen=True)
class Term:
    """One term as written, with where it came from (a topic id, an entity name)."""

    text: str  # as written in the file: shown as evidence
    owner: str
    weight: float = 1.0
    affixes: Affixes = "word"


class Hit(NamedTuple):
    """A term found in a document: its term index and token span [start, end).

    A tuple rather than a frozen dataclass: a document makes hundreds, and a frozen
    dataclass pays for object.__setattr__ on each field."""

    term: int
    start: int
    end: int


class Document:
    """Normalised text split into tokens once, shared by every tagger of an article.

    Lines are normalised one by one so a snippet can be cut from the original line.
    """

    __slots__ = ("_starts", "line_of", "lines", "norm", "tokens")

    def __init__(self, text: str) -> None:
        raw = text.splitlines()
        self.lines: list[str] = []
        norm_lines: list[str] = []
        for line, n in zip(raw, normalize_lines(raw), strict=True):
            if n:
                self.lines.append(line.strip())
                norm_lines.append(n)
        self.norm = "\n".join(norm_lines)
        self.tokens: list[str] = _TOKEN.findall(self.norm)
        self._starts: list[int] | None = None
        # line index of a character offset, through the offsets where lines start
        self.line_of: list[int] = list(accumulate((len(n) + 1 for n in norm_lines), initial=0))[
            : len(norm_lines)
        ]

    @property
    def starts(self) -> list[int]:
        """Character offset of each token in `norm`, found on first use (evidence needs
        them; a document no topic tags does not). Each token is found after the one
        before it: a Python loop, yet faster than a regex pass that keeps positions."""
        if self._starts is None:
            starts, find, at = [], self.norm.find, 0
            for token in self.tokens:
                at = find(token, at)
                starts.append(at)
                at += len(token)
            self._starts = starts
        return self._starts

    def snippet(self, token: int, width: int = 160) -> str:
        """The original line around a token, cut to about `width` characters at spaces."""
        if not self.tokens:
            return ""
        pos = self.starts[min(token, len(self.starts) - 1)]
        i = bisect_right(self.line_of, pos) - 1
        line, norm_start = self.lines[i], self.line_of[i]
        norm_len = (
            self.line_of[i + 1] - 1 if i + 1 < len(self.line_of) else len(self.norm)
        ) - norm_start
        if len(line) <= width:
            return line
        # Normalisation changes lengths a little (marks removed): place by proportion.
        centre = int((pos - norm_start) / max(norm_len, 1) * len(line))
        lo = max(0, centre - width // 2)
        hi = min(len(line), lo + width)
        lo = max(0, hi - width)
        if lo > 0:
            lo = line.find(" ", lo) + 1 or lo
        if hi < len(line):
            hi = line.rfind(" ", lo, hi) if line.rfind(" ", lo, hi) > lo else hi
        return ("…" if lo > 0 else "") + line[lo:hi].strip() + ("…" if hi < len(line) else "")


class Matcher:
    """Compiled terms: every surface form of every first word points at its terms."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = list(terms)
        # first-word form -> one-word terms starting (and ending) there
        self._single: dict[str, list[int]] = defaultdict(list)
        # first-word form -> [(term, remaining words as sets of forms or prefixes)]
        self._phrase: dict[str, list[tuple[int, tuple[_Word, ...]]]] = defaultdict(list)
        # first-word form -> every form a phrase's second word can take (None: a prefix*).
        # كيم starts a dozen names: the next word says whether any can follow.
        self._nexts: dict[str, frozenset[str] | None] = {}
        self._prefix: dict[str, list[tuple[int, tuple[_Word, ...]]]] = defaultdict(list)
        unions: dict[tuple[int, int], frozenset[str] | None] = {}  # shared, not per form
        bare: dict[str, set[str]] = defaultdict(set)
        for i, term in enumerate(self.terms):
            compiled = compile_term(term.text, term.affixes)
            if not compiled:
                continue
            first, rest = compiled[0], tuple(compiled[1:])
            if isinstance(first, str):  # a prefix* word
                self._prefix[first].append((i, rest))
                continue
            bare[_bare_word(term.text)].add(term.owner)
            if not rest:
                for form in first:
                    self._single[form].append(i)
                continue
            second = rest[0] if isinstance(rest[0], frozenset) else None
            for form in first:
                self._phrase[form].append((i, rest))
                if form not in self._nexts:
                    self._nexts[form] = second
                else:
                    old = self._nexts[form]
                    key = (id(old), id(second))
                    if key not in unions:
                        unions[key] = None if old is None or second is None else old | second
                    self._nexts[form] = unions[key]
        # A word that is itself listed (as a term of its own, or a phrase's first word)
        # belongs to the owners that list it, never to another owner's term read with a
        # clitic: with the name وتين listed, بوتين still is not ب + وتين. Terms of the
        # same owner keep it (العقوبات is both a listed word and ال + عقوبات).
        owner = [t.owner for t in self.terms]
        for word, owners in bare.items():
            if word in self._single:
                self._single[word] = [t for t in self._single[word] if owner[t] in owners]
            if word in self._phrase:
                self._phrase[word] = [(t, r) for t, r in self._phrase[word] if owner[t] in owners]
        self._forms = self._single.keys() | self._phrase.keys()
        self._prefix_keys: dict[str, list[str]] = defaultdict(list)
        for stem in self._prefix:
            self._prefix_keys[stem[:_PREFIX_KEY]].append(stem)

    def find(self, doc: Document) -> list[Hit]:
        """Every term occurrence, left to right."""
        tokens = doc.tokens
        single, phrase, nexts = self._single, self._phrase, self._nexts
        # Set intersection runs in C: most documents hold a few dozen of the forms.
        types = set(tokens)
        present = self._forms & types
        hits: list[Hit] = []
        last = len(tokens) - 1
        if present:
            for i, tok in enumerate(tokens):
                if tok in present:
                    for term in single.get(tok, ()):
                        hits.append(Hit(term, i, i + 1))
                    if tok in phrase and i < last:
                        follow = nexts[tok]
                        if follow is None or tokens[i + 1] in follow:
                            for term, rest in phrase[tok]:
                                if (end := _match_rest(tokens, i + 1, rest)) is not None:
                                    hits.append(Hit(term, i, end))
        if self._prefix:
            # Unique tokens only, bucketed by their first letters: a regex over the
            # whole text cost twice as much.
            keys = self._prefix_keys
            stems = {
                tok: found
                for tok in types
                if tok[:_PREFIX_KEY] in keys
                and (found := [st for st in keys[tok[:_PREFIX_KEY]] if tok.startswith(st)])
            }
            if stems:
                for i, tok in enumerate(tokens):
                    for stem in stems.get(tok, ()):
                        for term, rest in self._prefix[stem]:
                            end = _match_rest(tokens, i + 1, rest)
                            if end is not None:
                                hits.append(Hit(term, i, end))
                hits.sort(key=lambda h: h.start)
        return hits


_Word = frozenset[str] | str  # a set of surface forms, or a prefix (from "word*")
_PREFIX_KEY = 3  # a prefix* term needs at least this many letters


def compile_term(text: str, affixes: Affixes) -> list[_Word]:
    """A term as a list of words, each a set of surface forms (or a prefix string)."""
    exact = text.startswith("=")
    words = _TOKEN.findall(normalize(text.lstrip("=")))
    if not words:
        return []
    wildcard = text.rstrip().endswith("*")
    out: list[_Word] = []
    for k, word in enumerate(words):
        if wildcard and k == len(words) - 1:
            if len(word) < _PREFIX_KEY:
                raise ValueError(f"'{text}': a prefix* term needs {_PREFIX_KEY} letters or more")
            out.append(word)
        elif exact:
            out.append(frozenset({word}))
        elif _ARABIC.match(word):
            # Names take proclitics on their first word only; other words as written.
            if affixes == "name" and k > 0:
                out.append(frozenset({word}))
            else:
                out.append(frozenset(arabic_forms(word, affixes)))
        else:
            out.append(frozenset(latin_forms(word, affixes)))
    return out


def _bare_word(text: str) -> str:
    words = _TOKEN.findall(normalize(text.lstrip("=")))
    return words[0] if words else ""


def _match_rest(tokens: list[str], i: int, rest: tuple[_Word, ...]) -> int | None:
    for word in rest:
        if i >= len(tokens):
            return None
        tok = tokens[i]
        if isinstance(word, str):
            if not tok.startswith(word):
                return None
        elif tok not in word:
            return None
        i += 1
    return i


def longest_first(
    hits: Iterable[Hit], weight: Callable[[Hit], float] = lambda _h: 0.0
) -> list[Hit]:
    """Drop hits inside a longer hit (فلاديمير بوتين wins over بوتين at the same place);
    between hits on the same words, the one with the larger weight stays."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start), -weight(h))):
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out
