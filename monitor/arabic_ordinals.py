"""Arabic ordinals written in words, read as their number: "الحزمة التاسعة عشرة" is the
19th package, as "the 19th package" and "الحزمة الـ19" are (term_forms.py reads those).

Why (issue 18, sixth round): on the real set's dev split, undated Arabic reports of the EU's
15th, 16th, 17th and 19th sanctions packages name their package in words, so the number
that tells one package from the next is no term of theirs: they merged with each other's
stories, and their English reports ("19th") shared no number with them. Only compounds
with عشر/عشرة (11th-19th), the tens (العاشر 10th, العشرين 20th ... التسعين 90th) and
compounds with a ten ("الحادية والعشرين", 21st) are read: a unit alone (الثانية, الثالث)
is also "the second" of a time, a visit or a round, and says little.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# Normalised forms (monitor.text.normalize.words: ta marbuta folded to ه, alef folded),
# with the article; a leading و or ف (and) is cut before the look-up.
_UNITS = {
    "الحادي": 1, "الحاديه": 1, "الثاني": 2, "الثانيه": 2, "الثالث": 3, "الثالثه": 3,
    "الرابع": 4, "الرابعه": 4, "الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6,
    "السابع": 7, "السابعه": 7, "الثامن": 8, "الثامنه": 8, "التاسع": 9, "التاسعه": 9,
}  # fmt: skip
_TEEN = frozenset({"عشر", "عشره"})
_TENS = {
    "العاشر": 10, "العاشره": 10, "العشرين": 20, "الثلاثين": 30, "الاربعين": 40,
    "الخمسين": 50, "الستين": 60, "السبعين": 70, "الثمانين": 80, "التسعين": 90,
}  # fmt: skip


def _bare(word: str) -> str:
    """The word without a leading conjunction (والعشرين, فالعاشر)."""
    if word[:1] in ("و", "ف") and word[1:].startswith("ال"):
        return word[1:]
    return word


def ordinal_numbers(words: Sequence[str]) -> Counter[str]:
    """The numbers the text's ordinal words say (normalised words, in text order)."""
    out: Counter[str] = Counter()
    n = len(words)
    i = 0
    while i < n:
        word = _bare(words[i])
        unit = _UNITS.get(word)
        following = _bare(words[i + 1]) if i + 1 < n else ""
        if unit is not None and following in _TEEN:
            out[str(10 + unit)] += 1
            i += 2
            continue
        if unit is not None and following in _TENS and _TENS[following] >= 20:
            out[str(_TENS[following] + unit)] += 1
            i += 2
            continue
        tens = _TENS.get(word)
        if tens is not None:
            out[str(tens)] += 1
        i += 1
    return out
