"""A story's content terms: which words count, and in what form (English words stemmed,
ordinals written as their number).

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
background table where that is on (monitor/background.py). Snowball rather than a stemmer
of our own: Porter2 is the standard English IR stemmer. PyStemmer (Snowball's C code), not
the pure-Python snowballstemmer: the same algorithm with the same stems (a test compares
them word for word), 2 us a word instead of 40. A word is stemmed once per process
(_content_term is cached), but a one-shot `monitor ingest` meets most words once: on the
181 aeb text dumps, 14,500 stems were 3 ms of a document's 20 (issue 19).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import Stemmer

from monitor.text.normalize import words

_ENGLISH = Stemmer.Stemmer("english")
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


# Function words in normalised form (alef, ya and ta marbuta folded): at the start of a
# store, before IDF has data, they would otherwise dominate every vector.
_FUNCTION_WORDS = """
    في من الي علي عن مع ان او ثم بعد قبل حتي منذ خلال بين عند لدي لكن كما اذا اذ لم لن
    قد لا ما هل هذا هذه ذلك تلك هولاء الذي التي الذين اللذين كان كانت يكون تكون كل بعض
    غير اي وقد وان وكان وهو وهي هو هي هم هما نحن انه انها لها له لهم به بها بهم فيه فيها
    عليه عليها منه منها اليه ايضا حيث وفي ومن وعلي وقال قال قالت وقالت يوم امس اليوم عام
    the a an and or of to in on at by for with from as is are was were be been has have had
    that this these those it its he she they we you not but if than then so said says will
    would can could may about after before over into also more most other which who whom
"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split())
_ARTICLE = re.compile("^(?:[وف]?(?:ال|لل|بال|كال))(?=[\u0621-\u064a]{3})")


def terms(text: str) -> Counter[str]:
    """Content terms: normalised words, the Arabic article cut (العقوبات and عقوبات meet),
    function words and one-letter tokens dropped. Only the article is cut, never single
    letters that may be clitics: بوتين must stay بوتين (NOTES.md)."""
    return terms_of(Counter(words(text)))


def terms_of(counted: Counter[str]) -> Counter[str]:
    """terms() of a text already split into normalised words and counted."""
    out: Counter[str] = Counter()
    for word, n in counted.items():  # each distinct word once
        term = _content_term(word)
        if term is not None:
            out[term] += n
    return out


@lru_cache(maxsize=200_000)
def _content_term(word: str) -> str | None:
    if word in STOPWORDS:
        return None
    word = term_form(_ARTICLE.sub("", word))  # stemmed, an ordinal as its number
    if len(word) < 2 or word in STOPWORDS or (word.isdigit() and len(word) > 4):
        # A year tells events apart, and so does a short number: the Hwasong-15 and the
        # Hwasong-17, the 15th and the 17th sanctions package (on the real set's dev split,
        # B-cubed precision of a batch 0.934 to 0.943, stream recall 0.829 to 0.832).
        return None
    return word
