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
# Letter forms folded so spelling variants meet: hamza seats, alef maqsura, ta marbuta.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        # Persian/Urdu letters that Arabic sites use by accident.
        "ی": "ي",
        "ک": "ك",
    }
)
# Zero-width and bidi control characters copied along with web text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _strip_latin_accents(text: str) -> str:
    """Remove combining accents from Latin letters only: Arabic marks are handled apart."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(
        ch for ch in decomposed if not (unicodedata.combining(ch) and "\u0300" <= ch <= "\u036f")
    )


def normalize(text: str) -> str:
    """Fold text for comparison: NFKC, case, Latin accents, Arabic marks and letter forms.

    Keeps word boundaries and punctuation so phrase matching and snippets still work;
    only collapses runs of white space.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    text = text.translate(_ARABIC_FOLD)
    text = _strip_latin_accents(text).casefold()
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Normalised word tokens: the unit for hashing, shingles and search terms."""
    return _WORD.findall(normalize(text))
