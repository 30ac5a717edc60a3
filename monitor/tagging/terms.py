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

import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from monitor.tagging.sorted_table import SortedTable, is_packed, pack

# Term lives with the tables' building (term_forms.py); the taggers import it from here.
from monitor.tagging.term_forms import (
    _PREFIX_KEY,
    _TOKEN,
    Term,
    _check_term,
    _compile,
    _Tables,
    _Word,
)
from monitor.text.normalize import normalize_lines

if TYPE_CHECKING:
    from monitor.tagging.compiled import VocabularyCache


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
    Positions are word numbers (0-based, the title's words first): a reader can count
    them, and they cost nothing to keep, where character offsets cost a pass per text.
    """

    __slots__ = ("_types", "line_start", "lines", "norm_lines", "tokens")

    def __init__(self, text: str) -> None:
        raw = text.splitlines()
        self.lines: list[str] = []  # original lines with text, stripped
        self.norm_lines: list[str] = []
        self.tokens: list[str] = []
        self.line_start: list[int] = []  # index of each line's first token
        norm = normalize_lines(raw)
        for line, n, words in zip(raw, norm, _line_tokens(norm), strict=True):
            if n:
                self.lines.append(line.strip())
                self.norm_lines.append(n)
                self.line_start.append(len(self.tokens))
                self.tokens += words
        self._types: set[str] | None = None

    @property
    def types(self) -> set[str]:
        """The distinct tokens, shared by every matcher that looks at this document."""
        if self._types is None:
            self._types = set(self.tokens)
        return self._types

    def snippet(self, token: int, width: int = 160) -> str:
        """The original line around a token, cut to about `width` characters at spaces."""
        if not self.tokens:
            return ""
        token = min(token, len(self.tokens) - 1)
        i = bisect_right(self.line_start, token) - 1
        line = self.lines[i]
        if len(line) <= width:
            return line
        # Placed by the token's rank in its line: a window of `width` characters needs no
        # exact offset, and normalisation changes lengths a little anyway.
        end = self.line_start[i + 1] if i + 1 < len(self.line_start) else len(self.tokens)
        rank = (token - self.line_start[i] + 0.5) / max(end - self.line_start[i], 1)
        centre = int(rank * len(line))
        lo = max(0, centre - width // 2)
        hi = min(len(line), lo + width)
        lo = max(0, hi - width)
        if lo > 0:
            lo = line.find(" ", lo) + 1 or lo
        if hi < len(line):
            hi = line.rfind(" ", lo, hi) if line.rfind(" ", lo, hi) > lo else hi
        return ("…" if lo > 0 else "") + line[lo:hi].strip() + ("…" if hi < len(line) else "")


class Matcher:
    """Compiled terms: every surface form of every first word points at its terms.

    An Arabic word has about a thousand surface forms, so memory goes to the forms, and
    what each form points at is shared, never copied per form: one tuple per term (or per
    set of terms on the same word), one frozenset per distinct word (`cache`), and one
    union of following words per distinct first word. Before, every form had its own
    list, every term its own copy of a word's forms, and the following-word unions were
    rebuilt (and all kept) for each phrase sharing a first word: 5,000 terms took 2 GB
    and 5,000 phrases on one first word more than the machine had (docs/security.md).
    """

    def __init__(
        self, terms: Sequence[Term], cache: VocabularyCache | None = None, kind: str = "terms"
    ) -> None:
        """Compile `terms`, or read them compiled from `cache` (compiled.py: keyed by the
        terms and this module's code), so a process start does not expand every word
        again. ValueError for a term that cannot be compiled."""
        self.terms = list(terms)
        # id of a first word's phrases -> every form their second word can take (None: a
        # prefix*). كيم starts a dozen names: the next word says whether any can follow.
        # Built on first use, not compiled: the unions held 230,000 forms that most
        # documents never ask about, and they were most of a cached file's load time.
        self._nexts: dict[int, frozenset[str] | None] = {}
        # id of a first word's phrases, when there are many -> its phrases by the forms of
        # their second word: وزارة starts a ministry of every country (institutions.py),
        # and trying a thousand phrases at each وزارة cost a third of the tagging time.
        self._by_second: dict[int, dict[str, _Bucket]] = {}
        self._no_prefix: set[str] = set()  # a cache, bounded by _KNOWN_MAX
        self._lock = threading.Lock()
        self._cached: tuple[VocabularyCache, str] | None = None
        self._sorted_finds: int | None = None  # finds left on sorted tables, then dicts
        if cache is None:
            self._use(_compile(self.terms))
            return
        for term in self.terms:  # what the cache skips must fail here, as a build would
            if term.text.rstrip().endswith("*"):  # only a prefix* term can (_check_term)
                _check_term(term.text)
        # Read (or compiled and stored) on first use: a daemon is watching its inbox
        # before its vocabularies are in memory (warm-up loads them in a thread).
        self._cached = (cache, cache.key(kind, [(t.text, t.owner, t.affixes) for t in terms]))

    def _use(self, tables: _Tables | _Lookup) -> None:
        # first-word form -> one-word terms starting (and ending) there
        self._single: dict[str, tuple[int, ...]] | SortedTable = tables[0]
        # first-word form -> ((term, remaining words as sets of forms or prefixes), ...)
        self._phrase: dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]] | SortedTable = tables[1]
        self._prefix: dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]] = tables[2]
        self._prefix_keys: dict[str, list[str]] = defaultdict(list)
        for stem in self._prefix:
            self._prefix_keys[stem[:_PREFIX_KEY]].append(stem)

    def load(self) -> None:
        """The tables in memory now, as dicts (from the cache, or compiled): the first
        find() reads them otherwise. Safe to call from a warm-up thread while another
        thread finds."""
        self._load(as_dicts=True)

    def _load(self, as_dicts: bool) -> None:
        with self._lock:
            if self._cached is not None:
                cache, key = self._cached
                single, phrase, prefix = cache.get(
                    key, lambda: _stored(_compile(self.terms)), _is_stored
                )
                # Sorted tables first (sorted_table.py): a one-file ingest looks up a few
                # hundred words and never pays for hashing 350,000 keys into dicts.
                self._use((SortedTable(single), SortedTable(phrase), prefix))
                self._sorted_finds = _DICTS_AFTER
                self._cached = None
            if as_dicts and self._sorted_finds is not None:
                single, phrase = self._single, self._phrase
                if isinstance(single, SortedTable) and isinstance(phrase, SortedTable):
                    self._single, self._phrase = single.as_dict(), phrase.as_dict()
                self._sorted_finds = None

    def find(self, doc: Document) -> list[Hit]:
        """Every term occurrence, left to right."""
        hits = list(self.scan(doc))
        if self._prefix:  # prefix* hits come last from scan(); a stable sort keeps the rest
            hits.sort(key=_start)
        return hits

    def scan(self, doc: Document) -> Iterator[Hit]:
        """Every term occurrence, lazily: one-word and phrase terms left to right, then
        the prefix* terms'. A caller that needs only some (the first anchor of a topic)
        stops early and the rest of the document is never matched."""
        if self._cached is not None:
            self._load(as_dicts=False)
        if self._sorted_finds is not None:
            # A process that goes on tagging gets the dicts: a set intersection in C
            # beats a binary search per word once it has paid for them.
            self._sorted_finds -= 1
            if self._sorted_finds <= 0:
                self._load(as_dicts=True)
        tokens = doc.tokens
        single, phrase, nexts, by_second = self._single, self._phrase, self._nexts, self._by_second
        # Set intersection runs in C, over the document's few hundred words (a dict's keys
        # & a smaller set iterates the set): most documents hold a few dozen of the forms.
        types = doc.types
        present = single.keys() & types
        present |= phrase.keys() & types
        last = len(tokens) - 1
        if present:
            # compress() finds the few positions that matter at C speed, and lazily: a
            # caller that stops at its first hit (the phrase anchors) reads no further.
            # The loop body runs only there.
            for i in compress(range(len(tokens)), map(present.__contains__, tokens)):
                tok = tokens[i]
                ones = single.get(tok)
                if ones is not None:
                    for term in ones:
                        yield _hit(Hit, (term, i, i + 1))
                entries = phrase.get(tok)
                if entries is not None and i < last:
                    follow = nexts.get(id(entries), _UNKNOWN)
                    if follow is _UNKNOWN:
                        follow = nexts[id(entries)] = _follow(entries)
                    nxt = tokens[i + 1]
                    if follow is None or nxt in follow:
                        if follow is not None and len(entries) > _INDEX_FROM:
                            index = by_second.get(id(entries))
                            if index is None:
                                index = by_second[id(entries)] = _index_by_second(entries)
                            entries, by_third = index.get(nxt, ((), None))
                            if by_third is not None and i + 2 <= last:
                                entries = entries + by_third.get(tokens[i + 2], ())
                        for term, rest in entries:
                            second = rest[0]
                            # Most phrases are two words: test the second in place.
                            if isinstance(second, str):
                                if not nxt.startswith(second):
                                    continue
                            elif nxt not in second:
                                continue
                            if len(rest) == 1:
                                yield _hit(Hit, (term, i, i + 2))
                            elif (end := _match_rest(tokens, i + 2, rest[1:])) is not None:
                                yield _hit(Hit, (term, i, end))
        if self._prefix:
            # Only tokens not yet known to start no prefix* term are looked at: after a
            # few documents that is a set difference in C, not a slice per token.
            keys, known = self._prefix_keys, self._no_prefix
            stems: dict[str, list[str]] = {}
            for tok in types - known:
                found = [st for st in keys.get(tok[:_PREFIX_KEY], ()) if tok.startswith(st)]
                if found:
                    stems[tok] = found
                elif len(known) < _KNOWN_MAX:
                    known.add(tok)
            if stems:
                for i, tok in enumerate(tokens):
                    for stem in stems.get(tok, ()):
                        for term, rest in self._prefix[stem]:
                            end = _match_rest(tokens, i + 1, rest)
                            if end is not None:
                                yield _hit(Hit, (term, i, end))


# Hit(...) runs the named tuple's __new__, a Python function; tuple.__new__ is the same
# tuple built in C (a document makes a few hundred hits).
_hit = tuple.__new__
_start = attrgetter("start")

_KNOWN_MAX = 200_000  # words remembered as starting no prefix* term (about 20 MB)
_UNKNOWN = object()  # a follow set not built yet (None means "any word may follow")


# The same, as the cache stores it: the two big tables packed (sorted_table.py).
_Stored = tuple[tuple[str, str, tuple[Any, ...]], tuple[str, str, tuple[Any, ...]], dict]
_Lookup = tuple[SortedTable, SortedTable, dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]]]
# Finds on sorted tables before the dicts are built (a topic matcher's take about 0.1 s:
# the price of a few hundred binary-searched documents).
_DICTS_AFTER = 64


def _stored(tables: _Tables) -> _Stored:
    return (pack(tables[0]), pack(tables[1]), tables[2])


def _is_stored(value: Any) -> bool:
    """A stored value has the shape of _Stored (a file from another version would not)."""
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and is_packed(value[0])
        and is_packed(value[1])
        and isinstance(value[2], dict)
    )


# A first word starting more phrases than this has them indexed by their second word:
# كوريا starts twenty names, and trying each at every كوريا cost a tenth of entity tagging.
# The index keeps the phrases' order, so the hits come in the same order.
_INDEX_FROM = 32
_SPLIT_FROM = 32  # a second word's phrases beyond this are indexed again by the third


_Entry = tuple[int, tuple[_Word, ...]]
_Bucket = tuple[tuple[_Entry, ...], dict[str, tuple[_Entry, ...]] | None]


def _index_by_second(entries: tuple[_Entry, ...]) -> dict[str, _Bucket]:
    """The phrases by each form their second word can take (all forms sets: _follow is
    not None), in their order: the phrases a next word can continue, looked up at once.
    A large bucket (وزارة الدفاع + every country) is indexed again by the third word:
    (phrases to try whatever it is, the others by its forms)."""
    index: dict[str, list[_Entry]] = {}
    for entry in entries:
        for form in entry[1][0]:
            index.setdefault(form, []).append(entry)
    out: dict[str, _Bucket] = {}
    for form, found in index.items():
        if len(found) <= _SPLIT_FROM:
            out[form] = (tuple(found), None)
            continue
        always: list[_Entry] = []
        third: dict[str, list[_Entry]] = {}
        for entry in found:
            rest = entry[1]
            if len(rest) < 2 or not isinstance(rest[1], frozenset):
                always.append(entry)
            else:
                for word in rest[1]:
                    third.setdefault(word, []).append(entry)
        out[form] = (tuple(always), {w: tuple(e) for w, e in third.items()})
    return out


def _follow(entries: tuple[tuple[int, tuple[_Word, ...]], ...]) -> frozenset[str] | None:
    """Every form the second word of these phrases can take; None if one is a prefix*."""
    seconds = [rest[0] for _, rest in entries]
    if not all(isinstance(w, frozenset) for w in seconds):
        return None
    distinct = list({id(w): w for w in seconds}.values())
    return distinct[0] if len(distinct) == 1 else frozenset().union(*distinct)  # type: ignore[return-value, arg-type]


def _tokens(text: str) -> list[str]:
    """The \\w+ runs of a text, as re.findall would give them, twice as fast: most
    white-space separated words are all letters (str.isalnum is \\w without "_"), and
    only the rest, with punctuation attached, go through the regex."""
    out: list[str] = []
    for word in text.split():
        if word.isalnum():
            out.append(word)
        else:
            out.extend(_TOKEN.findall(word))
    return out


# What ends most words that are not all letters: gone before the split (_line_tokens).
_PUNCTUATION = tuple(".,،:;؛!?؟\"'()[]«»“”‘’/…-–—")


def _line_tokens(lines: list[str]) -> list[list[str]]:
    """_tokens() of each line, the common punctuation put to spaces first in one pass
    per mark over the whole text (str.replace, in C): a line whose words are then all
    letters and digits is split as it is, and only the others are read word by word.
    The lines hold no newline (normalize_lines split them at it), so they come apart
    again where they were joined."""
    if not lines:
        return []
    text = "\n".join(lines)
    for mark in _PUNCTUATION:
        if mark in text:
            text = text.replace(mark, " ")  # \W: a separator either way
    out: list[list[str]] = []
    for line in text.split("\n"):
        words = line.split()
        out.append(words if all(map(str.isalnum, words)) else _tokens(line))
    return out


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
    between hits on the same words, the one with the larger weight stays.

    Hits come in order of their start (as find() gives them), so one pass does it."""
    out: list[Hit] = []
    for hit in hits:
        if out and hit.start < out[-1].end:
            last = out[-1]
            if hit.start == last.start and (hit.end, weight(hit)) > (last.end, weight(last)):
                out[-1] = hit
            continue
        out.append(hit)
    return out
