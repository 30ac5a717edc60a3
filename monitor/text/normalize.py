"""Text folding shared by matching, hashing and search.

One function decides what "the same text" means. Tagging, the duplicate hash and the
full-text index all call it, so a query, a rule and a stored article can never disagree
about whether أسلحة and اسلحه or "Sanctions" and "sanctions" are one word.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic harakat, Quranic marks, superscript alef and tatweel (NOTES.md: measured set).
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letter forms folded so spelling variants meet: hamza seats, alef maqsura, ta marbuta,
# and the Persian/Urdu letters that Arabic sites use by accident. Applied with str.replace,
# one C-speed pass per letter: str.translate with a dict looks up every character in Python.
_ARABIC_FOLD = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"),
    ("ؤ", "و"), ("ئ", "ي"), ("ی", "ي"), ("ک", "ك"),
)  # fmt: skip
# Zero-width and bidi control characters copied along with web text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_SPACE = re.compile(r"\s+")
_SPACE_IN_LINE = re.compile(r"[^\S\n]+")
_WORD = re.compile(r"\w+")


_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")


def _strip_latin_accents(text: str) -> str:
    """Remove combining accents (é -> e), recomposing the rest (Hangul stays syllables).

    Only the combining diacritics block: Arabic marks are handled apart. A regex pass runs
    in C; a per-character Python loop here was the slowest part of ingest.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", decomposed))


def normalize(text: str) -> str:
    """Fold text for comparison: NFKC, case, Latin accents, Arabic marks and letter forms.

    Keeps word boundaries and punctuation so phrase matching and snippets still work;
    only collapses runs of white space.
    """
    return _SPACE.sub(" ", _fold(text)).strip()


def normalize_lines(lines: list[str]) -> list[str]:
    """normalize() of each line, folded in one pass: per-line calls cost a Unicode
    decomposition each, and tagging keeps lines apart to cut snippets from them."""
    if not lines:
        return []
    folded = _SPACE_IN_LINE.sub(" ", _fold("\n".join(lines)))
    return [line.strip() for line in folded.split("\n")]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    for letter, folded in _ARABIC_FOLD:
        if letter in text:
            text = text.replace(letter, folded)
    return _strip_latin_accents(text).casefold()


def words(text: str) -> list[str]:
    """Normalised word tokens: the unit for hashing, shingles and search terms."""
    return _WORD.findall(normalize(text))
