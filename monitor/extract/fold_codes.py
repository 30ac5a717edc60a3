"""Folding a page's line heads over its code points at once, with a lookup table.

The rules match a line's folded head (monitor/text/normalize.py: case, Latin accents,
Arabic marks and letter forms, white space collapsed). Folding the joined heads as a
string cost an eighth of cleaning a saved page: a regex pass for the marks, one to split
at accented letters, casefold(), then checks and a split for the white space. Every one
of those steps maps a character on its own (the text is NFKC-normalised before), so
their composition is one table from code point to folded code point, built once per
process: the page's code points (already read into numpy by lines.py) are looked up in
one `take`, the dropped ones filtered out, runs of white space collapsed with masks, and
the result decoded and split at the newlines.

A character whose fold is longer than one character ("ß" -> "ss", "İ" -> "i̇") cannot be
looked up so: a page holding one is folded as before (normalize_lines), as is a page with
a code point above the BMP but below the emoji (none from there on folds:
tests/extract/test_fold_codes.py).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from monitor.extract.code_table import FOLD_MASK, FOLDED_SPACE, code_info
from monitor.extract.script_letters import UTF32
from monitor.text import normalize as _normalize

# The table covers the BMP. Above it, code points from TOP on fold to themselves
# (casefold changes none from U+1E944 on; the marks, the accents and the Arabic letters
# are all in the BMP): emoji, mostly. A page with one between (a rare script) is folded
# as a string.
BMP = 0x10000
TOP = 0x1F000
_DELETE = 0x110000  # the character is dropped (an Arabic mark, a zero-width space)
_EXPAND = 0x110001  # it folds to more than one character: the page is folded as a string
_ABOVE = 0x110002  # above the BMP: it stays as it is if at or above TOP
_NEWLINE, _SPACE = 10, 32
# fold_joined's operands on the page's uint32 entries and code points, as 0-d uint32
# arrays: a ufunc given a Python int converts it a call, some 0.6 us each (issue 16,
# twenty-second round; the same dtype, so the same results)
_FOLD_MASK, _FOLDED_SPACE, _DELETE_AT, _NEWLINE_AT = (
    np.array(x, dtype=np.uint32) for x in (FOLD_MASK, FOLDED_SPACE, _DELETE, _NEWLINE)
)
_TWO = np.array(2, dtype=np.intp)
_SPACE_AT = np.array(_SPACE, dtype=np.uint32)
_SPACES_TOP = 0x3001  # str.isspace() is false from here on


@cache
def fold_table() -> np.ndarray:
    """The folded code point of each BMP code point, or a marker (some ms, once)."""
    table = np.arange(BMP + 1, dtype=np.uint32)
    table[BMP] = _ABOVE
    every = "".join(map(chr, range(BMP)))
    # only characters some step changes are looked at one by one; those casefold()
    # changes are looked for in blocks of 256, most of which (CJK, Arabic, ...) it leaves
    odd: set[int] = set()
    for base in range(0, BMP, 256):
        block = every[base : base + 256]
        if block.casefold() != block:
            odd.update(base + i for i, c in enumerate(block) if c.casefold() != c)
    for pattern in (_normalize._DROPPED, _normalize._ACCENTED):
        odd.update(m.start() for m in pattern.finditer(every))
    odd.update(ord(letter) for letter, _ in _normalize._ARABIC_FOLD)
    which = sorted(odd)
    # normalize._fold of each on its own. It NFKC-normalises first, so a character NFKC
    # changes ("Ａ", "ĳ") gets the fold of what NFKC makes of it; a page never holds
    # one: its lines are normalised before (lines.measure_page).
    folds = [_normalize._fold(every[i]) for i in which]
    table[which] = [ord(f) if len(f) == 1 else _DELETE if not f else _EXPAND for f in folds]
    return table


@cache
def spaces_table() -> np.ndarray:
    """str.isspace() of each code point below _SPACES_TOP but the newline; False above."""
    table = np.zeros(_SPACES_TOP + 1, dtype=bool)
    table[[i for i in range(_SPACES_TOP) if chr(i).isspace()]] = True
    table[_NEWLINE] = False  # (the lines' separator)
    return table


def fold_joined(
    codes: np.ndarray,
    starts: np.ndarray,
    chars: np.ndarray,
    cut: np.ndarray,
    head_chars: int,
    info: np.ndarray | None = None,
) -> str | None:
    """normalize_lines() of the lines' heads, joined with newlines (the string the table
    gives before it is split: the start phrases' scan and the language guess read the
    heads joined, so they need not join them again): each line of the joined text whose code points
    are `codes` (line i at starts[i], chars[i] long, newline-separated), only its first
    `head_chars` characters where `cut` says. None when the table cannot fold the page
    (a character that folds to several): the caller folds it as a string then.
    `info`: code_table.code_info(codes), when the caller has it (the fold and whether it
    is a space are read there: the page's one lookup, shared with the line model).

    The old path right-stripped a cut head before folding; white space at a line's edge
    goes when the spaces are collapsed either way, so the outcome is the same."""
    if info is None:
        info = code_info(codes)
    long = (cut & (chars > head_chars)).nonzero()[0]
    if len(long):
        # the characters past a cut head's end, up to its line's end, are left out: what
        # lies between them is joined as slices (views) by one np.concatenate (a mask
        # written a slice a line cost a third more; np.cumsum over a mask of edges ten
        # times as much)
        at = starts[long]
        lows, highs = (at + head_chars).tolist(), (at + chars[long]).tolist()
        spans = [0, *highs], [*lows, len(codes)]  # (zipped where read: no list of pairs)
        info = np.concatenate([info[lo:hi] for lo, hi in zip(*spans, strict=True)])
    else:
        spans = None
    folded = info & _FOLD_MASK
    special = folded >= _DELETE_AT
    # (count_nonzero for any(): no Python wrapper a call)
    if np.count_nonzero(special):
        if np.count_nonzero(folded == _EXPAND):
            return None
        above = folded == _ABOVE
        if np.count_nonzero(above):  # (the code points are read only here: emoji, mostly)
            codes = (
                np.concatenate([codes[lo:hi] for lo, hi in zip(*spans, strict=True)])
                if spans
                else codes
            )
            if (codes[above] < TOP).any():
                return None
            folded[above] = codes[above]
        kept = folded != _DELETE_AT
        folded, info = folded[kept], info[kept]
    # white space: " ".join(line.split()) for each line (what normalize_lines gives):
    # a run of spaces inside a line becomes one space, at a line's edges none. A space is
    # kept when the character after it is a word's (neither white space nor a newline,
    # nor the text's end): the last of a run inside a line, none at a line's end. That
    # drops a run at a line's start only when a space follows a newline nowhere (lines
    # are stripped: there, only where a dropped character was): a page with one has its
    # runs found one by one (_collapse_runs; no aeb dump has one). Five masks, where
    # finding every run took nine numpy calls more a page (issue 16, twenty-third round:
    # 6.240 -> 6.136 M instructions a dump).
    space = (info & _FOLDED_SPACE).astype(bool)
    n = len(folded)
    # a word's character at i + 1, padded: False at both ends (the lines' edges)
    word = np.empty(n + 2, dtype=bool)
    word[0] = word[-1] = False
    np.not_equal(folded, _NEWLINE_AT, out=word[1:-1])  # (no temporary to copy)
    if np.count_nonzero(space > word[:-2]):  # a space after a newline or at the start
        out = _collapse_runs(space, ~word)
    else:
        np.less(space, word[1:-1], out=word[1:-1])  # (on bool masks `a < b` is `~a & b`)
        out = space <= word[2:]  # (`a <= b` is `~a | b`)
    np.copyto(folded, _SPACE_AT, where=space)
    return folded[out].tobytes().decode(UTF32, "surrogatepass")


def _collapse_runs(space: np.ndarray, newline: np.ndarray) -> np.ndarray:
    """Which characters fold_joined keeps of a page whose lines may start with white
    space (`space`: whether each character is white space; `newline`, padded by one at
    each end: whether it is a newline, the edges counting as one): every character but
    the white space, and one space for each run of it inside a line."""
    padded = np.zeros(len(space) + 2, dtype=bool)
    padded[1:-1] = space
    out = ~space
    # (on bool masks `a > b` is `a & ~b`, and `~(a | b)` is `~a & ~b`: a call fewer each)
    first = (padded[1:-1] > padded[:-2]).nonzero()[0]  # where each run of spaces starts
    last = (padded[1:-1] > padded[2:]).nonzero()[0]  # ... and ends (as many)
    out[first[~(newline[first] | newline[last + _TWO])]] = True
    return out
