"""Repair mojibake: UTF-8 text that was once decoded as Latin-1 or cp1252 ("Weâ€™d").

A page read with the wrong charset and saved again as UTF-8 is valid UTF-8, so decoding
cannot notice; its words are then garbage to every later stage (the cleaner's function
words, tagging, dedup). 42 of the 181 real text dumps of the aeb corpus are like this.
ftfy does the repair (a well-kept library: it knows the many ways encodings get mixed
up and only changes text when the result is less "bad"); its cheap `is_bad` check comes
first, so clean text costs one regex pass.

ftfy is imported only for a text that could hold mojibake: every pattern of its check
needs a character outside ASCII and the Arabic script (Latin-1 and Latin Extended
letters, Greek, Cyrillic, C1 controls, symbols, curly quotes: what the wrong decoder
makes of UTF-8's bytes). Text made of ASCII and Arabic alone is returned as it is, and a
process that reads only such text never pays ftfy's import (0.05 s of CPU).
tests/test_start_cost.py checks the claim against ftfy's own check.

The same fact makes the check cheap on a web page: its regular expression, run over the
whole of a 170 KB page, cost 35-40 ms (more than trafilatura's extraction), though only
the few stretches around characters outside ASCII and Arabic can match. So it runs on
those stretches alone, each widened by the longest match the expression can make, which
finds what a run over the whole text finds (pinned on real pages by the same test).
"""

from __future__ import annotations

import re
from functools import lru_cache

# No pattern of ftfy.badness can match a text made of these characters alone.
_PLAIN = re.compile(r"[\x00-\x7f\u0600-\u06ff]*")
_OTHER = re.compile(r"[^\x00-\x7f\u0600-\u06ff]+")


def repair(text: str) -> str:
    """The text with mojibake undone where ftfy is sure; otherwise the text unchanged."""
    if _PLAIN.fullmatch(text) or not is_bad(text):
        return text
    from ftfy import fix_encoding

    return fix_encoding(text)


def is_bad(text: str) -> bool:
    """ftfy.badness.is_bad(text), searched only around the characters a match needs."""
    from ftfy.badness import BADNESS_RE

    reach = _reach(BADNESS_RE)
    start = end = -1
    for run in _OTHER.finditer(text):
        lo, hi = max(0, run.start() - reach), run.end() + reach
        if lo <= end:  # overlaps the stretch so far
            end = hi
            continue
        # pos and endpos, not a slice: ^ still means the start of the whole text.
        if end >= 0 and BADNESS_RE.search(text, start, end):
            return True
        start, end = lo, hi
    return end >= 0 and BADNESS_RE.search(text, start, end) is not None


@lru_cache(maxsize=1)
def _reach(pattern: re.Pattern[str]) -> int:
    """How far from a character outside ASCII and Arabic a match can reach: its longest
    width less one (7 characters in ftfy 6)."""
    return pattern_width(pattern) - 1


def pattern_width(pattern: re.Pattern[str]) -> int:
    """The longest match a regular expression can make (the re module's own parser)."""
    from re import _parser  # type: ignore[attr-defined]

    return int(_parser.parse(pattern.pattern, pattern.flags).getwidth()[1])
