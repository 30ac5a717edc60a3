"""Text folding shared by matching, hashing and search.

One function decides what "the same text" means. Tagging, the duplicate hash and the
full-text index all call it, so a query, a rule and a stored article can never disagree
about whether أسلحة and اسلحه or "Sanctions" and "sanctions" are one word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic harakat, Quranic marks, superscript alef and tatweel (NOTES.md: measured set).
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
# Letter forms folded so spelling variants meet: hamza seats, alef maqsura, ta marbuta,
# and the Persian/Urdu letters that Arabic sites use by accident. Applied with str.replace,
# one C-speed pass per letter: str.translate with a dict looks up every character in Python.
_ARABIC_FOLD = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"),
    ("ؤ", "و"), ("ئ", "ي"), ("ی", "ي"), ("ک", "ك"),
)  # fmt: skip
# Zero-width and bidi control characters copied along with web text.
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad"
# Both go: one regex pass instead of two.
_DROPPED = re.compile(f"[{_ARABIC_MARKS}{_INVISIBLE}]")
_WORD = re.compile(r"\w+")


# Letters that may carry Latin, Greek or Cyrillic accents, and the combining accents
# themselves. Only these are decomposed, one at a time: decomposing a whole Arabic text
# (NFD, then NFC) to find none was the slowest part of tagging.
_ACCENTED = re.compile("[\u00c0-\u024f\u0300-\u036f\u0370-\u04ff\u1e00-\u1fff]")
_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=4096)
def _unaccent(char: str) -> str:
    """é -> e; a letter without accents stays itself; a lone combining accent goes."""
    return unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", unicodedata.normalize("NFD", char)))


_ACCENTED_SPLIT = re.compile(f"({_ACCENTED.pattern})")
_ACCENT_LEADS = (*range(0xC3, 0xD4), 0xE1)  # UTF-8 first bytes of _ACCENTED's letters
_LONG = 500  # characters: a text this long is first looked through for them


def _strip_latin_accents(text: str) -> str:
    """Remove combining accents (é -> e, й -> и), leaving other scripts as they are.

    Split at the accented letters and join them back mapped: a substitution calling
    Python once a letter cost more than the rest of folding on a Russian page."""
    if text.isascii():
        return text
    # In UTF-8, U+00C0-U+04FF start with the bytes C3-D3 and U+1E00-U+1FFF with E1: a text
    # without them (Arabic letters start with D8-DB) holds no letter to unaccent. In a long
    # text the bytes are found at memchr speed, where the pattern reads every character
    # (2% of tagging an Arabic article); a short one (a term, a name) is quicker read.
    if len(text) > _LONG:
        data = text.encode("utf-8", "surrogatepass")
        if not any(lead in data for lead in _ACCENT_LEADS):
            return text
    parts = _ACCENTED_SPLIT.split(text)
    if len(parts) == 1:
        return text
    letters = parts[1::2]
    table = {c: _unaccent(c) for c in set(letters)}
    parts[1::2] = map(table.__getitem__, letters)
    return "".join(parts)


@lru_cache(maxsize=64)
def normalize(text: str) -> str:
    """Fold text for comparison: NFKC, case, Latin accents, Arabic marks and letter forms.

    Keeps word boundaries and punctuation so phrase matching and snippets still work;
    only collapses runs of white space. Cached for the last few texts: the hash, the
    dedup shingles, the stories and the store each fold the same article body, and a
    string keeps its hash, so a repeat costs a dictionary lookup.
    """
    return " ".join(_fold(text).split())  # str.split: the same white space as \s, in C


def normalize_lines(lines: list[str]) -> list[str]:
    """normalize() of each line, folded in one pass: per-line calls cost a Unicode
    decomposition each, and tagging keeps lines apart to cut snippets from them."""
    if not lines:
        return []
    # str.split() collapses white space in C; a regex class for "space but not newline"
    # was slower than everything else here together.
    # White space runs to one space. isprintable() is false for every space but " ", so
    # most lines only need strip(); split-and-join costs a list per line. (Inline: a
    # function call a line cost as much as the folding.)
    folded = _fold("\n".join(lines))
    # Most texts need neither: with no space at a line's edge, no double space and no
    # other white space (isprintable() is false for every space but " "), each line is
    # what it folded to, and one split does it (on a saved page: a third of the cost).
    if (
        folded[:1] != " "
        and folded[-1:] != " "
        and "  " not in folded
        and " \n" not in folded
        and "\n " not in folded
        and folded.replace("\n", " ").isprintable()
    ):
        return folded.split("\n")
    return [
        line.strip() if line.isprintable() and "  " not in line else " ".join(line.split())
        for line in folded.split("\n")
    ]


def _fold(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):  # the check costs a tenth of the pass
        text = unicodedata.normalize("NFKC", text)
    text = _DROPPED.sub("", text)
    for letter, folded in _ARABIC_FOLD:
        if letter in text:
            text = text.replace(letter, folded)
    return _strip_latin_accents(text).casefold()


def words(text: str) -> list[str]:
    """Normalised word tokens: the unit for hashing, shingles and search terms."""
    return _WORD.findall(normalize(text))
