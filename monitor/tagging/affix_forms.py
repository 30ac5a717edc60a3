"""The surface forms of a term's word under closed affix sets (Arabic clitics and
suffixes, English inflections): what `terms.Matcher` expands each word into once, when a
taxonomy or gazetteer is loaded, so that a document is matched by one lookup a token.

A closed set, not a stemmer: terms.py's docstring says why (NOTES.md: stemmers cut names
and turn العقوبات into the root of "obstacle").
"""

from __future__ import annotations

from itertools import product
from typing import Literal

Affixes = Literal["word", "name"]

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
        if word.startswith("ال"):
            # الناتو, الكرملين: ل + ال is written لل (للناتو).
            return {p + word for p in NAME_PREFIXES} | {c + _lil(word[2:]) for c in _CONJ}
        return {p + word for p in NAME_PREFIXES}
    stems = {word + s for s in NOUN_SUFFIXES}
    if word.endswith("ه") and len(word) > 2:
        stems |= {word[:-1] + s for s in _TA_MARBUTA_SUFFIXES}
    if word.endswith("ا") and len(word) > 2:
        stems |= {word[:-1] + s for s in ("ات", "اتها", "اتهم")}
    if word.startswith("ال"):
        # A term written with its article (الحكومة) still takes و ف ب ك, and لل.
        return {c + p + st for c in _CONJ for p in ("", "ب", "ك") for st in stems} | {
            c + _lil(st[2:]) for c in _CONJ for st in stems
        }
    return {
        (p[:-2] + _lil(st) if p.endswith("لل") else p + st) for p in NOUN_PREFIXES for st in stems
    }


def _lil(bare: str) -> str:
    """ل + ال + a word: written لل, and with one lam less when the word starts with one
    (ل + اللاذقية is للاذقية, not لللاذقية)."""
    return "لل" + (bare[1:] if bare.startswith("ل") else bare)


def latin_forms(word: str, affixes: Affixes) -> set[str]:
    if affixes == "name" or not word.isalpha():
        return {word}
    forms = {word + s for s in _LATIN_SUFFIXES}
    if word.endswith("y") and len(word) > 3:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing"}
    return forms
