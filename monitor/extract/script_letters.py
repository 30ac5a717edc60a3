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


# script_shares' table: bit 0 a letter (re's [^\W\d_], lines.LETTER), bits 1-3 a code
# point of lines.SCRIPTS' sets (Arabic, Latin, Cyrillic), bit 7 at index BMP (above it).
_LETTER_BIT, _ABOVE_BIT = 1, 128
SCRIPT_BITS = {"Arabic": 2, "Latin": 4, "Cyrillic": 8}


@cache
def share_table(letter: re.Pattern[str], sets: tuple[tuple[str, str], ...]) -> np.ndarray:
    """script_shares' table over the BMP, from the patterns themselves (as letter_table:
    the runs of each one's matches): `letter` (lines.LETTER) and, per script, its
    one-character set (lines.SCRIPTS' runs are of it). Built on first use, on the first
    page with many lines to ask (some 10-20 ms, most of it the string of every code point)."""
    every = "".join(map(chr, range(BMP)))
    table = np.zeros(BMP + 1, dtype=np.uint8)
    for bit, pattern in ((_LETTER_BIT, letter.pattern), *((SCRIPT_BITS[k], v) for k, v in sets)):
        for run in re.finditer(f"(?:{pattern})+", every):
            table[run.start() : run.end()] |= bit
    table[BMP] = _ABOVE_BIT
    return table


def script_shares(
    table: np.ndarray,
    script: str,
    codes: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    rows: np.ndarray,
) -> list[float | None]:
    """lines.script_share of each line in `rows` (line i at starts[i], lengths[i] long in
    the page's code points `codes`): the share of its letters in the script's set, counted
    for all of them at once; None for a line with a code point above the BMP (the caller
    asks the regexes then). The same counts as the regexes' (a run's length summed is its
    characters counted), so the same quotient. For a page with many lines to ask: each
    line's two `findall`s cost less than the dozen numpy calls here on a few lines."""
    bits = table.take(codes, mode="clip")
    masks = np.zeros((3, len(codes) + 1), dtype=bool)  # (padded: a line may end the text)
    np.not_equal(bits & _LETTER_BIT, 0, out=masks[0, :-1])
    np.not_equal(bits & SCRIPT_BITS[script], 0, out=masks[1, :-1])
    np.not_equal(bits & _ABOVE_BIT, 0, out=masks[2, :-1])
    bounds = np.empty(2 * len(rows), dtype=np.intp)
    bounds[0::2] = starts[rows]
    bounds[1::2] = starts[rows] + lengths[rows]
    # each line's sums at the even entries (reduceat sums from one bound to the next)
    letters, inside, above = np.add.reduceat(masks, bounds, axis=1)[:, 0::2].tolist()
    return [
        None if high else s / n if n else 1.0
        for n, s, high in zip(letters, inside, above, strict=True)
    ]
