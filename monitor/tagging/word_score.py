"""The article's words as one number per tag: does this excerpt read like the on-beat uses
of the topic the train split labelled, or like its other senses?

Vetoes name the senses someone saw; a fresh collection brings senses no veto names (the
EU's Article 7 "sanctions", a weather satellite). The words around them still differ
from an on-beat story's: a naive-Bayes log-count ratio per topic, learned from the rule
tags of the real set's train split (right or wrong), scores an excerpt's folded words
and is fed to the learned decision (decide.py) as one feature. Words a topic's tags never
carried (or too rarely to keep in the file) count the ratio of two zero counts, so an
excerpt full of words the topic's on-beat stories never used reads as such.

Measured by `python -m monitor.evaluation.decision_words` (out-of-fold inside every
fold, bars chosen inside each fold); shipped in decision.json under "words".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache

from monitor.tagging.affix_forms import NOUN_PREFIXES

UNSEEN = ""  # the key of a topic's ratio for a word not in its table
_PREFIXES = frozenset(p for p in NOUN_PREFIXES if p)
# Longest first, by set lookups of the word's first letters: thirty startswith() calls a
# word cost a third of the tagger's time on an excerpt.
_PREFIX_LENGTHS = sorted({len(p) for p in _PREFIXES}, reverse=True)
_SUFFIXES = ("ات", "ين", "ون", "ان", "يه", "ه", "ي")


@lru_cache(maxsize=1 << 16)  # a pure function of the word; news repeats its words
def fold_word(word: str) -> str:
    """A token as the word score counts it: the Arabic proclitics the tagger knows (و ف ب
    ك ل ال) and one common ending cut while three letters stay; English plural s. Not a
    stemmer (terms.py says why): only so that والعقوبات and عقوبات count as one word."""
    if "\u0621" <= word[0] <= "\u064a":
        for n in _PREFIX_LENGTHS:
            if len(word) - n >= 3 and word[:n] in _PREFIXES:
                word = word[n:]
                break
        for s in _SUFFIXES:
            if word.endswith(s) and len(word) - len(s) >= 3:
                return word[: -len(s)]
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def excerpt_words(tokens: Iterable[str]) -> frozenset[str]:
    """The distinct folded words of a text, numbers and words of one or two letters left out."""
    return frozenset(fold_word(t) for t in tokens if len(t) > 2 and not t.isdigit())


def word_score(
    table: Mapping[str, float],
    words: frozenset[str],
    shrink: float = 0.0,
    clip: float = 0.0,
    known_only: bool = False,
) -> float:
    """The sum of the words' ratios over the square root of their number (a long excerpt
    does not score higher for its length alone). With `known_only`, only the words the
    table lists count (an unseen word carries no evidence); with `shrink`, the score is
    scaled by n / (n + shrink), n the number of counted words, so a short text (a lead, a
    feed summary) sits near 0; with `clip`, it is bounded to [-clip, clip], so the words
    can move the decision only so far against the rules' evidence."""
    if not words:
        return 0.0
    if known_only:
        values = [v for w in words if w != UNSEEN and (v := table.get(w)) is not None]
    else:
        unseen = table.get(UNSEEN, 0.0)
        values = [table.get(w, unseen) for w in words]
    if not values:
        return 0.0
    n = len(values)
    score = sum(values) / math.sqrt(n)
    if shrink:
        score *= n / (n + shrink)
    if clip:
        score = max(-clip, min(clip, score))
    return score


def weighed_most(
    table: Mapping[str, float], words: frozenset[str], against: bool, n: int = 4
) -> list[str]:
    """The words of the excerpt that pushed hardest one way (against the topic, or for
    it): what `monitor show --why` names."""
    sign = -1.0 if against else 1.0
    hits = [(sign * v, w) for w in words if (v := table.get(w)) is not None and sign * v > 0]
    return [w for _, w in sorted(hits, reverse=True)[:n]]
