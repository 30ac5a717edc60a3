"""Which lines of a page a hand rule of line_rules.py could label at all.

Most lines of a saved page get no label from the hand rules (on the aeb dumps, 82%), yet
each went through the whole cascade of line_rules.label: some twenty checks, a date
parser, a menu splitter. Here every rule's cheapest NECESSARY condition is computed for
all lines at once (masks over the page's code points, and one C-level pass of a regex
per line where a vocabulary is involved); only the lines meeting one of them go through
the cascade, unchanged. A line meeting none cannot be labelled by any rule, so the labels
are exactly what the cascade alone gives (tests/extract/test_clean_equivalence.py).

Kept next to the rules it mirrors: a rule added to line_rules.label must add its
condition here, or the lines it alone would catch are never shown to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import itemgetter

import numpy as np

from monitor.extract.line_arrays import LineArrays
from monitor.extract.lines import (
    CONTAINS_MAX_WORDS,
    CREDIT_LINE_WORDS,
    MENU_MAX_WORDS,
    SHORT_WORDS,
    SPAM_MIN_WORDS,
    Line,
)
from monitor.extract.vocabulary import Vocabulary

_SPACE, _SLASH = ord(" "), ord("/")
TAIL_CHARS = 60  # line_rules._CREDIT_TAIL
DATE_MAX_WORDS = 14  # line_rules.label: the date rule's word limit
# line_rules.label strips these before looking a short line up in the menu words
NAV_STRIP = " .:|-–—•*·>»«!?؟،,()[]"


@cache
def _decimal_table() -> np.ndarray:
    """re's \\d for every code point of the BMP (and True above it: unknown, so kept)."""
    bmp = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10001, dtype=bool)
    table[[m.start() for m in re.finditer(r"\d", bmp)]] = True
    table[0x10000] = True
    return table


def _any_of(codes: np.ndarray, chars: str) -> np.ndarray:
    """codes equal to one of `chars` (np.isin sorts: slower for a handful of values)."""
    out = codes == ord(chars[0])
    for c in chars[1:]:
        out |= codes == ord(c)
    return out


@dataclass(frozen=True)
class Candidates:
    """Lines for the cascade: `sure` ones, and those a loose condition found, which the
    caller (line_rules.label_page) tests exactly before adding them."""

    sure: np.ndarray  # bool per line
    spam: list[int]  # long lines not ending like a sentence: tag spam?
    relative: list[int]  # short lines with a digit: a relative time?
    dated: list[int]  # lines with four digits where the date rule looks: a date?
    menu_word: list[int]  # lines starting with a menu word: all menu words?
    tail: list[int]  # a slash or colon near the end: a caption's credit?


def candidates(lines: list[Line], at: LineArrays, v: Vocabulary, shaped: bool) -> Candidates:
    """The lines some rule of line_rules.label might label (see the module)."""
    n = len(lines)
    folds = [x.fold for x in lines]
    words, sentence = at.words, at.sentence
    codes = at.codes
    # Any phrase a line can start with: the tags, cut-off, call-to-action, date, source,
    # byline and caption labels, and the credit lines "Avec AFP" (with_label).
    labelled = np.fromiter(map(bool, map(v.any_start.match, folds)), dtype=bool, count=n)
    # A bracket closing the line: a credit line "(AFP)", a short credit, a caption's credit.
    sure = labelled | _any_of(at.lasts(), ")]")
    # A slash or colon among the last characters: a caption's credit (_credit_at_end).
    marks = np.flatnonzero(_any_of(codes, "/:："))
    tail = np.zeros(n, dtype=bool)
    if len(marks):
        owner = at.line_of[marks]
        ends = at.starts + at.chars
        tail[owner[marks >= ends[owner] - TAIL_CHARS]] = True
    spam = (words >= SPAM_MIN_WORDS) & ~sentence
    digits = at.per_line(_decimal_table()[np.minimum(codes, 0x10000)])
    # a relative time "3 hours ago" has a digit; a date has four (every form has a year)
    relative = (words <= CREDIT_LINE_WORDS) & ~sentence & (digits > 0)
    dated = (words <= DATE_MAX_WORDS) & (labelled | (~sentence & (at.nos > 1))) & (digits >= 4)
    # menus: bars, bullets or " / " between items, runs of spaces, or menu words only
    following = np.zeros_like(codes)
    following[:-1] = codes[1:]
    preceding = np.zeros_like(codes)
    preceding[1:] = codes[:-1]
    menu_marks = (
        _any_of(codes, "|•·»>")
        | ((codes == _SPACE) & (following == _SPACE))
        | ((codes == _SLASH) & (preceding == _SPACE) & (following == _SPACE))
    )
    menu = words <= MENU_MAX_WORDS
    sure |= menu & (at.per_line(menu_marks) > 0)
    whole = v.whole
    heads = map(itemgetter(0), map(str.split, folds, repeat(" "), repeat(1)))
    firsts = map(str.strip, heads, repeat(",."))
    menu_word = menu & np.fromiter(map(whole.__contains__, firsts), dtype=bool, count=n)
    navigation = map(whole.__contains__, map(str.strip, folds, repeat(NAV_STRIP)))
    sure |= (words <= SHORT_WORDS) & np.fromiter(navigation, dtype=bool, count=n)
    if shaped:
        furniture = np.flatnonzero((words <= CONTAINS_MAX_WORDS) & ~sure)
        sure[[i for i in furniture.tolist() if v.contains.search(folds[i])]] = True

    def loose(mask: np.ndarray) -> list[int]:
        return np.flatnonzero(mask & ~sure).tolist()

    return Candidates(
        sure, loose(spam), loose(relative), loose(dated), loose(menu_word), loose(tail)
    )
