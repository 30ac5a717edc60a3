"""Spelling variants of transliterated Arabic names, made for every gazetteer alias at load.

Foreign names reach Arabic through several spelling habits: the Levant and the Gulf write
g as غ (بيونغ يانغ), Egypt as ج (بيونج يانج), and writers join or split the parts of a
name (بيونغيانغ). monitor.text.normalize already folds hamza seats, ى/ي and ة/ه; these are
the variants it cannot fold, because غ and ج are different letters in Arabic words. A list
that holds one habit misses the others on real news (issue 17), so each Arabic alias
brings its other spellings instead of the gazetteer listing every one by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping

from monitor.text.normalize import normalize  # the matcher's own folding

# The letters one foreign "g" is written with; every g of a name in one spelling.
_G_LETTERS = ("غ", "ج", "گ")


_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


_LONG_VOWELS = "اوي"
_HAMZA = "ءأإآؤئ"  # a vowel letter beside a hamza carries it: سيئول is not سئول
_SHORT_PLACE = 5  # letters: a shorter place name has no medial vowel letter to spare


def place_spellings(word: str) -> list[str]:
    """Other spellings of a one-word place name: the final ا written ة and back
    (أوديسا, أوديسة), and each medial و or ي between two consonants left out, as writers
    who leave the short vowel to the reader do (خيرسون, خرسون; سيفاستوبول, سفاستوبول;
    فلاديفوستوك, فلاديفستوك). One change at a time: the list's spelling and one step
    from it, which is how real spellings differ."""
    if len(word) < _SHORT_PLACE or " " in word or word.startswith("ال"):
        return []
    out = []
    if word.endswith("ا"):
        out.append(word[:-1] + "ة")
    elif word.endswith(("ة", "ه")):
        out.append(word[:-1] + "ا")
    for j in range(1, len(word) - 2):
        if (
            word[j] in "وي"
            and word[j - 1] not in _LONG_VOWELS + _HAMZA
            and word[j + 1] not in _LONG_VOWELS + _HAMZA + "ةه"
        ):
            out.append(word[:j] + word[j + 1 :])
    return out


def variants(alias: str, place: bool = False) -> Iterator[str]:
    """Other spellings of one Arabic alias (never the alias itself); `place`: the alias
    names a place, which also takes place_spellings()."""
    if not _arabic(alias):
        return
    seen = {alias}
    forms = [alias]
    present = [g for g in _G_LETTERS if g in alias]
    if present:
        # One spelling habit throughout the name: all its g letters become the other one.
        for g in _G_LETTERS[:2]:
            form = alias
            for other in present:
                form = form.replace(other, g)
            forms.append(form)
    words = alias.split()
    # A two-part transliterated name, written as one word too (بيونغ يانغ, بيونغيانغ);
    # not "X ال..." (كوريا الشمالية): an article starts a word of its own.
    if len(words) == 2 and not words[1].startswith("ال"):
        forms += ["".join(f.split()) for f in list(forms)]
    if place and len(words) == 1:
        forms += place_spellings(alias)
    for form in forms:
        if form not in seen:
            seen.add(form)
            yield form


# A one-word variant this common is an Arabic word, not a name (المغرب -> المجرب
# "experienced", المجر -> المغرية "tempting"): a match of that variant is dropped.
WORD_ZIPF = 2.5


def common_word(word: str, zipf: Callable[[str], float]) -> bool:
    """An everyday Arabic word (normalised), with or without its article."""
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    return max(zipf(word), zipf(bare)) >= WORD_ZIPF


def with_variants(
    aliases: Iterable[str],
    taken: Container[str],
    folded: Mapping[str, str] | None = None,
    place: bool = False,
) -> list[tuple[str, tuple[str, ...]]]:
    """The aliases, then their variants less those another name already holds (`taken`,
    in normalised form: a variant must never move a mention to another entity); each
    with the words it changed (normalised, empty for a listed alias), which the caller
    checks against the background word frequencies when a variant is found: reading
    the frequencies here would load them before the first article (compiled.py).
    `folded`: the aliases already normalised, when the caller has folded them all at once;
    `place`: the aliases name a place (variants())."""
    out = [(a, ()) for a in aliases]
    fold = folded.get if folded is not None else None
    keys = [(fold(a) if fold else None) or normalize(a) for a, _ in out]
    mine = set(keys)
    for (alias, _), key in zip(list(out), keys, strict=True):
        if not _arabic(alias):
            continue  # variants() makes none
        old = set(key.split())
        for v in variants(alias, place):
            key = normalize(v)
            if key not in mine and key not in taken:
                mine.add(key)
                # Only a one-word variant can be an everyday word (المغرب -> المجرب
                # "experienced"); a changed part inside a longer name is a name's part
                # (كيم جونج إن), however often the news spells it so.
                words = key.split()
                out.append((v, tuple(w for w in words if w not in old) if len(words) == 1 else ()))
    return out
