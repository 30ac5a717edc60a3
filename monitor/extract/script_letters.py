"""Which lines of a page start with a letter of another script, found for all at once.

A line in another script than the article (an English licence notice on an Arabic page)
is furniture at the page's edges (lines.py marks it `foreign`). Asking the regex of
"a letter of any script but this one" of every line's start cost more than the rest of
measuring a page (on the aeb dumps: a scan of the whole text, then one per short line).
Here the page's code points (one array, shared with line_arrays.py) are looked up in a
table of that class over the Basic Multilingual Plane, built once from the same regex;
only the lines the table points at are asked the regex itself, so the outcome is the
regex's. A code point above the plane is not looked up but always asked (it might be
a letter), which keeps the table small.
"""

from __future__ import annotations

import re
import sys
from functools import cache

import numpy as np

UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
BMP = 0x10000  # code points above it are looked up at this index: "ask the regex"


def code_points(text: str) -> np.ndarray:
    """The code points of `text` (lone surrogates included, as str holds them)."""
    return np.frombuffer(text.encode(UTF32, "surrogatepass"), dtype=np.uint32)


def lookup(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """table[min(code, BMP)] for each code point: take() in "clip" mode sends every code
    above the plane to the table's last entry, at BMP, without clamping a copy first
    (half the cost of np.minimum and fancy indexing by uint32)."""
    return table.take(codes, mode="clip")


@cache
def letter_table(pattern: re.Pattern[str]) -> np.ndarray:
    """True for each BMP code point the one-character class `pattern` matches, and at
    index BMP. Built on first use from runs of matches (some milliseconds)."""
    table = np.zeros(BMP + 1, dtype=bool)
    every = "".join(map(chr, range(BMP)))
    for run in re.finditer(f"(?:{pattern.pattern})+", every):
        table[run.start() : run.end()] = True
    table[BMP] = True
    return table


def lines_with_letter(
    other: re.Pattern[str],
    codes: np.ndarray,
    starts: np.ndarray,
    within: int,
    hits: np.ndarray | None = None,
) -> np.ndarray:
    """Indices of the lines (starting at `starts` in the page's code points `codes`)
    that may hold a match of the one-character class `other` among their first
    `within` characters: every line that does, and lines with a code point above the
    BMP there (the caller asks the regex of each, so those are settled exactly).
    `hits`: the table's answer for each code point, when the caller has it (nonzero:
    a hit; code_table.py packs it with the page's other lookups)."""
    hits = (lookup(letter_table(other), codes) if hits is None else hits).nonzero()[0]
    if not len(hits):
        return hits
    owner = starts.searchsorted(hits, side="right") - 1
    near = np.zeros(len(starts), dtype=bool)
    near[owner[hits - starts[owner] < within]] = True  # (cheaper than np.unique's sort)
    return near.nonzero()[0]


def has_letter(other: re.Pattern[str], text: str) -> bool:
    """other.search(text) is not None, for the one-character class `other`: the table
    over the text's code points, and the regex only when none but a code point above
    the BMP could match."""
    codes = code_points(text)
    hits = lookup(letter_table(other), codes)
    if (hits & (codes < BMP)).any():
        return True
    return bool(hits.any()) and other.search(text) is not None
