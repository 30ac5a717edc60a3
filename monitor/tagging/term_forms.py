"""How a term as written becomes the sets of surface forms a Matcher looks up.

Apart from terms.py (the matching) because this runs once per vocabulary, when the
taxonomy or gazetteer is compiled (or not at all, when compiled.py's cache has the
tables), while the matching runs for every document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.tagging.affix_forms import Affixes, arabic_forms, latin_forms
from monitor.text.normalize import normalize

_ARABIC = re.compile(r"^[\u0621-\u064a]+$")
_TOKEN = re.compile(r"\w+")

_Word = frozenset[str] | str  # a set of surface forms, or a prefix (from "word*")
_PREFIX_KEY = 3  # a prefix* term needs at least this many letters
# What a Matcher is made of, as plain values (dicts, tuples, frozensets, strings, ints), so
# compiled.py can store it with marshal: single, phrase, prefix.
_Tables = tuple[
    dict[str, tuple[int, ...]],
    dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]],
    dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]],
]


@dataclass(frozen=True)
class Term:
    """One term as written, with where it came from (a topic id, an entity name)."""

    text: str  # as written in the file: shown as evidence
    owner: str
    affixes: Affixes = "word"


def _check_term(text: str) -> list[str]:
    """The term's normalised words; ValueError for a term no matcher can compile."""
    words = _TOKEN.findall(normalize(text.lstrip("=")))
    if words and text.rstrip().endswith("*") and len(words[-1]) < _PREFIX_KEY:
        raise ValueError(f"'{text}': a prefix* term needs {_PREFIX_KEY} letters or more")
    return words


def compile_term(
    text: str,
    affixes: Affixes,
    cache: dict[tuple[str, str, bool], frozenset[str]] | None = None,
) -> list[_Word]:
    """A term as a list of words, each a set of surface forms (or a prefix string).

    `cache` shares the forms of a word across the terms that contain it."""
    cache = {} if cache is None else cache
    exact = text.startswith("=")
    words = _check_term(text)
    if not words:
        return []
    wildcard = text.rstrip().endswith("*")
    out: list[_Word] = []
    for k, word in enumerate(words):
        if wildcard and k == len(words) - 1:
            out.append(word)
        elif exact or (affixes == "name" and k > 0 and _ARABIC.match(word)):
            # Names take proclitics on their first word only; other words as written.
            out.append(_forms_of(word, "exact", False, cache))
        else:
            out.append(_forms_of(word, affixes, bool(_ARABIC.match(word)), cache))
    return out


def _forms_of(
    word: str, affixes: str, arabic: bool, cache: dict[tuple[str, str, bool], frozenset[str]]
) -> frozenset[str]:
    key = (word, affixes, arabic)
    forms = cache.get(key)
    if forms is None:
        if affixes == "exact":
            forms = frozenset({word})
        elif arabic:
            forms = frozenset(arabic_forms(word, affixes))  # type: ignore[arg-type]
        else:
            forms = frozenset(latin_forms(word, affixes))  # type: ignore[arg-type]
        cache[key] = forms
    return forms


def _bare_word(text: str) -> str:
    words = _TOKEN.findall(normalize(text.lstrip("=")))
    return words[0] if words else ""


def _compile(terms: Sequence[Term]) -> _Tables:
    """Every surface form of every first word, pointing at its terms (see Matcher)."""
    # first-word form -> one-word terms starting (and ending) there
    single: dict[str, tuple[int, ...]] = {}
    # first-word form -> ((term, remaining words as sets of forms or prefixes), ...)
    phrase: dict[str, tuple[tuple[int, tuple[_Word, ...]], ...]] = {}
    prefix: dict[str, list[tuple[int, tuple[_Word, ...]]]] = defaultdict(list)
    bare: dict[str, set[str]] = defaultdict(set)
    cache: dict[tuple[str, str, bool], frozenset[str]] = {}
    # Terms grouped by their first word (its set of forms), so each group is spread
    # over its forms once.
    singles: dict[frozenset[str], list[int]] = defaultdict(list)
    phrases: dict[frozenset[str], list[tuple[int, tuple[_Word, ...]]]] = defaultdict(list)
    for i, term in enumerate(terms):
        compiled = compile_term(term.text, term.affixes, cache)
        if not compiled:
            continue
        first, rest = compiled[0], tuple(compiled[1:])
        if isinstance(first, str):  # a prefix* word
            prefix[first].append((i, rest))
            continue
        if term.affixes == "name":
            bare[_bare_word(term.text)].add(term.owner)
        if rest:
            phrases[first].append((i, rest))
        else:
            singles[first].append(i)
    for forms, ids in singles.items():
        shared = tuple(ids)
        for form in forms:
            old = single.get(form)
            single[form] = shared if old is None else old + shared
    for forms, entries in phrases.items():
        shared_entries = tuple(entries)
        for form in forms:
            # The same form from two different first words (rare): merged.
            old_entries = phrase.get(form)
            phrase[form] = shared_entries if old_entries is None else old_entries + shared_entries

    # A name that is itself listed (as an alias, or an alias's first word) belongs to
    # the entities that list it, never to another entity's name read with a clitic:
    # with وتين listed, بوتين still is not ب + وتين. Topic words share freely: a form
    # two topics reach (weapons, satellites) counts for both.
    def keeps(t: int, owners: set[str]) -> bool:
        return terms[t].affixes != "name" or terms[t].owner in owners

    for word, owners in bare.items():
        if word in single:
            single[word] = tuple(t for t in single[word] if keeps(t, owners))
        if word in phrase:
            phrase[word] = tuple((t, r) for t, r in phrase[word] if keeps(t, owners))
    return single, phrase, {k: tuple(v) for k, v in prefix.items()}
