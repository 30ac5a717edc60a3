"""Event numbers: the number that names one occurrence among look-alikes (the 16th
sanctions package, the Hwasong-18), read from a report's text.

Why (issue 18): consecutive EU packages, a state's missile launches, the IAEA's quarterly
reports share their actors, names and event words; they differ mainly in a number. The
story terms already count numbers as words (term_forms.py), which is positive evidence
only: two reports that name other numbers still meet on everything else. An event number
that two sides name differently is evidence against the join (SameEvent.judge).

Only numbers written as a designation count, not every number (days of the month, counts
of members, kilometres): an ordinal ("16th", the Arabic "الـ16", "السادسة عشرة"), or a
number hyphenated to a name ("Hwasong-18", "هواسونغ-18", "KN-23"). Years and four-digit
figures are left out. An ordinal and a designation are two kinds, compared only
with their own kind (disagree). The Arabic ordinals in words are 11th-19th only (the packages of
the beat): "عشرة"/"عشر" after a unit ordinal. Language knowledge, like a stoplist.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from monitor.crosslingual import NUMBER
from monitor.text.normalize import words

__all__ = [
    "NUMBER",
    "disagree",
    "event_number_counts",
    "event_numbers",
    "main_ordinal",
    "numbers_of",
]


# A word that is an ordinal: "16th", "ال16" (the normalised "الـ16"). Matched over the
# words joined a line each (event_numbers), hence ^, $ and MULTILINE.
_ORDINAL = re.compile(r"^(?:(\d{1,3})(?:st|nd|rd|th)|ال(\d{1,3}))$", re.M)
# A designation: letters, a hyphen, a number ("Hwasong-18", "هواسونغ-18"); not "COVID-19"
# alone, which is a designation too and harmless. As one expression:
#     (?<![\w-])[^\W\d_]{2,}-(\d{1,3})(?![\w-])
# searched here from its hyphen (_HYPHEN_NUMBER, then _designation).
_HYPHEN_NUMBER = re.compile(r"-(\d{1,3})(?![\w-])")
_LETTER = re.compile(r"[^\W\d_]")
_WORDISH = re.compile(r"[\w-]")
# Normalised (ta marbuta as ha, alef folded) unit ordinals before "عشر(ه)": 11th-19th.
_UNITS = {
    "الحادي": 1, "الحاديه": 1, "الثاني": 2, "الثانيه": 2, "الثالث": 3, "الثالثه": 3,
    "الرابع": 4, "الرابعه": 4, "الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6,
    "السابع": 7, "السابعه": 7, "الثامن": 8, "الثامنه": 8, "التاسع": 9, "التاسعه": 9,
}  # fmt: skip
# A unit ordinal word followed by the word "عشر(ه)", over the joined words.
_UNIT_TEEN = re.compile(
    "^(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")\n(?:عشر|عشره)$", re.M
)
# An ordinal is a report's (or story's) main one when it weighs this many times the next:
# named twice against once is 1.69 times as much (sublinear TF); the weights' IDF parts
# differ by a few percent between two rare ordinals, which must not decide a tie.
MAIN_MARGIN = 1.25
# Normalised plural nouns a number after which counts them: "الدول الأعضاء الـ15" is the
# council's fifteen members, not its fifteenth anything.
_COUNTED = frozenset({"الاعضاء", "اعضاء", "الدول", "دول"})


def event_numbers(text: str, tokens: Sequence[str] | None = None) -> frozenset[str]:
    """The event numbers `text` names, as decimal strings without leading zeros;
    `tokens`: its normalised words, when the caller has split it already."""
    return frozenset(event_number_counts(text, tokens))


def event_number_counts(text: str, tokens: Sequence[str] | None = None) -> Counter[str]:
    """The event numbers `text` names (as event_numbers) and how many times each: a report
    of the 18th package names the 18th again and again, the 17th once, in passing."""
    found: Counter[str] = Counter()  # "o16" an ordinal, "m18" a designation
    for match in _HYPHEN_NUMBER.finditer(text):
        if _designation(text, match.start()):
            found["m" + match.group(1)] += 1
    if tokens is None:
        tokens = words(text)
    # Each regular expression runs once over the text or its words joined a line each,
    # not once per word: the story step reads every article's numbers (and the story
    # review its members' again), and a match tried word by word, 1,500 words a text
    # dump, was half of an article's term counts (issue 19: 0.26 ms, now 0.09).
    joined = "\n".join(tokens)  # a word never holds a line break
    line, at = 0, 0  # the word index of the last match, counted from its line breaks
    for match in _ORDINAL.finditer(joined):
        line += joined.count("\n", at, match.start())
        at = match.start()
        if not _day_or_count(tokens, line):
            found["o" + (match.group(1) or match.group(2))] += 1
    for match in _UNIT_TEEN.finditer(joined):
        found[f"o{10 + _UNITS[match.group(1)]}"] += 1
    out: Counter[str] = Counter()
    for n, k in found.items():
        if int(n[1:]) > 0:
            out[n[0] + str(int(n[1:]))] += k
    return out


def _designation(text: str, hyphen: int) -> bool:
    """A designation ends at this hyphen's number: two letters or more before it, not
    preceded by a word character or a hyphen. Searched from the hyphen: the designation
    as one expression, searched over a whole text, tries every position (0.13 ms of a
    dump; 0.002 ms so)."""
    start = hyphen
    while start > 0 and _LETTER.match(text, start - 1):
        start -= 1
    return hyphen - start >= 2 and (start == 0 or not _WORDISH.match(text, start - 1))


def _day_or_count(tokens: Sequence[str], i: int) -> bool:
    """Is the ordinal at tokens[i] a day of a month ("July 13th", "19th February", "the
    16th of January") or a count of members ("الأعضاء الـ15")? Neither names an occurrence."""
    # Imported here: the month names come from the extraction vocabulary, which the read
    # commands (monitor stats, stories) must not load; they import this module through
    # story_model (Group.ordinal) but never read a text.
    from monitor.text_dates import month_words

    months = month_words()
    before = tokens[i - 1] if i else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if before in months or after in months:
        return True
    if after == "of" and i + 2 < len(tokens) and tokens[i + 2] in months:
        return True
    return before in _COUNTED


def numbers_of(vector: dict[str, float]) -> frozenset[str]:
    """The event numbers among a vector's (or profile's) features."""
    return frozenset(t for t in vector if t.startswith(NUMBER))


def disagree(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Both sides name event numbers of one kind (ordinals, designations) and none of that
    kind in common: evidence of two occurrences. Numbers of two kinds name two things (the
    11th Corps, the KN-23 missile) and say nothing of each other."""
    return any(
        not (mine & theirs & kind) and mine & kind and theirs & kind
        for kind in (_kind(mine | theirs, "o"), _kind(mine | theirs, "m"))
    )


def main_ordinal(weights: dict[str, float]) -> str | None:
    """The ordinal a vector (or profile) weighs most: the occurrence a report or story is
    about, not one it names in passing (a report of the 17th package that says the 18th
    is being prepared). None when it names none, or two as much (it tells of both)."""
    ordinals = sorted((w for t, w in weights.items() if t.startswith(NUMBER + "o")), reverse=True)
    if not ordinals or (len(ordinals) > 1 and ordinals[1] * MAIN_MARGIN > ordinals[0]):
        return None
    return next(t for t, w in weights.items() if t.startswith(NUMBER + "o") and w == ordinals[0])


def _kind(numbers: frozenset[str], letter: str) -> frozenset[str]:
    return frozenset(n for n in numbers if n[len(NUMBER)] == letter)
