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
# Runs of white space and single non-space blanks: a lone " " stays as it is (same result
# as \s+ -> " ", without rewriting every space of the text).
_SPACE = re.compile(r"[^\S ]\s*| \s+")
_WORD = re.compile(r"\w+")


_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")


def _strip_latin_accents(text: str) -> str:
    """Remove combining accents (é -> e), recomposing the rest (Hangul stays syllables).

    Only the combining diacritics block: Arabic marks are handled apart. A regex pass runs
    in C; a per-character Python loop here was the slowest part of ingest.
    """
    if text.isascii():
        return text
    # Nothing to decompose, nothing to strip, nothing to recompose (most Arabic text once
    # its letter forms are folded): three C-speed checks instead of two full passes.
    if (
        unicodedata.is_normalized("NFD", text)
        and unicodedata.is_normalized("NFC", text)
        and not _LATIN_ACCENTS.search(text)
    ):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", decomposed))


def normalize(text: str) -> str:
    """Fold text for comparison: NFKC, case, Latin accents, Arabic marks and letter forms.

    Keeps word boundaries and punctuation so phrase matching and snippets still work;
    only collapses runs of white space.
    """
    if not unicodedata.is_normalized("NFKC", text):  # the check is ~50x cheaper
        text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    for letter, folded in _ARABIC_FOLD:
        if letter in text:
            text = text.replace(letter, folded)
    text = _strip_latin_accents(text).casefold()
    # isprintable() is False for every blank but " ": when it holds and no two spaces
    # meet, there is nothing to collapse and the regex pass is skipped.
    if "  " in text or not text.isprintable():
        text = _SPACE.sub(" ", text)
    return text.strip()


def words(text: str) -> list[str]:
    """Normalised word tokens: the unit for hashing, shingles and search terms."""
    return _WORD.findall(normalize(text))
