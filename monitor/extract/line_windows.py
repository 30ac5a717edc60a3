"""The line model's arithmetic over a page's lines as runs and windows, in numpy.

The line model's features read each line's neighbourhood: the page's densest run of
long lines, the means of a feature over the lines within 1, 3 and 8 of each, the line
above and below, the run of short lines a line stands in. Each is a handful of numpy
calls over the page at once (per line in Python, they were most of the model's cost);
apart from line_model.py, which holds the features and the model, to keep both short.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

WINDOWS = (1, 3, 8)  # how far a window reaches on either side of a line


def densest_run(score: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of `score` (Kadane): the article's block.

    In numpy over the prefix sums S (S[0] = 0): the best run ending at line i sums
    S[i+1] - min(S[:i+1]), so its end is the first line where that peaks, and its start
    the last line up to there where S is lowest (where Kadane's loop last restarted).
    A Python loop over the lines (itertools.accumulate) cost 20 times as much."""
    n = len(score)
    if not n:
        return 0, 0
    sums = np.zeros(n + 1)
    score.cumsum(out=sums[1:])
    hi = int((sums[1:] - np.minimum.accumulate(sums[:-1])).argmax())
    return hi - int(sums[hi::-1].argmin()), hi


_TABLED_LINES = 4096  # the pages the tables below cover (longer ones compute their own)
ARANGE = np.arange(_TABLED_LINES)  # (a page's line indices, sliced)
# np.log1p of 0 .. _TABLED_LINES - 1, as numpy computes it for each (the same numbers as
# np.log1p of an array of them or of one int: a test checks): a page's distances and its
# size read here, without an arange and a log1p a page
LOG1P_TABLE = np.log1p(ARANGE.astype(float))
LOG1P_LIST = LOG1P_TABLE.tolist()
_WINDOW_SIZES = np.array(WINDOWS)[:, None]
_WIDEST = max(WINDOWS)


# A window's lines, min(i + w + 1, n) - max(i - w, 0), are (w + 1 + min(i, w)) -
# max(0, w - (n - 1 - i)): both parts tabled once, a page's widths are one subtraction.
_LINE_PART = (_WINDOW_SIZES + 1 + np.minimum(ARANGE, _WINDOW_SIZES)).astype(float)
_END_PART = np.maximum(_WINDOW_SIZES - ARANGE, 0).astype(float)


@lru_cache(maxsize=4)
def _window_widths(n: int) -> np.ndarray:
    """Per window of WINDOWS and line of a page of n lines, how many lines the window
    holds (clipped at the page's ends), for all windows at once (broadcast). Kept for
    the page's second pass (read-only): the model's two passes ask the same n, and the
    subtraction of reversed slices cost some 20,000 instructions a page."""
    if 0 < n <= _TABLED_LINES:
        widths = _LINE_PART[:, :n] - _END_PART[:, n - 1 :: -1]
    else:
        idx = np.arange(n)
        lo = np.maximum(idx - _WINDOW_SIZES, 0)
        hi = np.minimum(idx + _WINDOW_SIZES + 1, n)
        widths = (hi - lo).astype(float)
    widths.flags.writeable = False
    return widths


def window_rows(values: np.ndarray, out: np.ndarray) -> None:
    """out[j*k : (j+1)*k] = the means of the k rows of `values` (n lines each, one row a
    feature) over the lines within WINDOWS[j] of each line, clipped at the page's ends.

    The sums are differences of one cumulative sum S (S[0] = 0) at min(i + w + 1, n) and
    max(i - w, 0); with S padded by zeros before and by S[n] after, both ends are plain
    slices of it for every line at once (gathering them by index arrays cost as much as
    the rest of the features)."""
    k, n = values.shape
    padded = np.empty((k, n + 2 * _WIDEST + 1))
    padded[:, : _WIDEST + 1] = 0.0  # S[0], and S below 0
    values.cumsum(axis=1, out=padded[:, _WIDEST + 1 : _WIDEST + 1 + n])
    padded[:, _WIDEST + 1 + n :] = padded[:, _WIDEST + n : _WIDEST + n + 1]  # S[n] on
    widths = _window_widths(n)
    for j, w in enumerate(WINDOWS):
        part = out[j * k : (j + 1) * k]
        hi = padded[:, _WIDEST + w + 1 : _WIDEST + w + 1 + n]
        np.subtract(hi, padded[:, _WIDEST - w : _WIDEST - w + n], out=part)
    # every window's sums divided at once, one call, not one a window (a view: splitting
    # an axis copies nothing; issue 16, twenty-second round: 30,000 instructions a page)
    sums = out.reshape(len(WINDOWS), k, n)
    np.divide(sums, widths[:, None, :], out=sums)


def short_runs(short: np.ndarray, out: np.ndarray) -> None:
    """out = log1p of the length of the run of short lines each line is in, where
    `short`; `out` is left as it is for the other lines (the caller zeroes it)."""
    if not np.count_nonzero(short):  # (any(): a Python wrapper)
        return
    begins = short.copy()
    np.greater(begins[1:], short[:-1], out=begins[1:])  # (&= ~short[:-1], one call)
    # the runs numbered from 1 (bin 0 of the count stays empty: no "- 1" a page)
    which = begins.cumsum()[short]
    out[short] = np.log1p(np.bincount(which))[which]
