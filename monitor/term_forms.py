"""A word's form as a story term: English words stemmed, ordinals written as their number.

Why (issue 18, measured on the real set's dev split): two outlets tell one event in
different forms of the same words ("sanctions" / "sanctioned", "launches" / "launched",
"the 16th package" / "package 16"), and a TF-IDF vector counts those forms as different
terms, so same-event reports score under the bar. Folding them lifts the B-cubed recall
of a stream from 0.682 to 0.696 and of a backlog from 0.686 to 0.707 at the same
precision (0.877 and 0.932; two orders), and a stricter bar now buys more precision for
the same recall than before (docs/stories.md).

English only: Snowball's Arabic stemmer cuts letters that belong to the word (بوتين
becomes وتين, باليستي يست: NOTES.md warns against stripping Arabic clitics blindly), and on
the dev split it lost precision for its recall; Arabic's clitics are folded by the
background table where that is on (monitor/background.py). Snowball (the snowballstemmer
package, pure Python) rather than a stemmer of our own: Porter2 is the standard English
IR stemmer, and a word is stemmed once per process (stories._content_term is cached).
"""

from __future__ import annotations

import re

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")
# "16th", "3rd", and the Arabic "ال16" (the 16th): the number itself, the form a report in
# the other language or another outlet writes it in.
_ORDINAL = re.compile(r"^(?:ال)?(\d{1,4})(?:st|nd|rd|th)?$")


def term_form(word: str) -> str:
    """`word` (normalised, lower case, the Arabic article already cut) as a story term."""
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1)
    if word.isascii() and word.isalpha():
        return _ENGLISH.stemWord(word)
    return word
