"""Per-line measures of a whole page at once, over one array of its code points.

The line model reads a dozen measures of every line (words, short words, commas,
capitals, a link or a bullet). Computed line by line in Python they cost more than the
rest of cleaning together (measured on the aeb dumps, 193 lines a page: 2.9 ms of 8 ms).
Here the page's lines are joined once with newlines and read as a numpy array of code
points: a word start, a comma or a capital is a mask over that array, and a line's count
is one bincount by line number. Regexes that mark a line (a link, a bullet) run once over
the joined text; their few matches are mapped to lines by offset.

Every measure is defined to equal the per-line expression it replaces (named in each
docstring), so the line model's coefficients keep their meaning; the test
tests/extract/test_clean_equivalence.py holds the cleaner's output to what it was.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from monitor.extract.code_table import CAPITAL, COMMA, DIGIT, MENU, SPACE, TAIL, classes, code_info
from monitor.extract.lines import WRAP_CHARS, Columns
from monitor.extract.page_lines import Line
from monitor.extract.script_letters import code_points

_NEWLINE, _STOP, _COLON, _SPACE, _SLASH = (ord(c) for c in "\n.: /")
# math.log1p of small lengths, looked up: np.log1p differs from it in the last bit for
# about 1% of integers, and a line's length sits next to thresholds (prose: > log1p(120)).
_LOG1P = np.array([math.log1p(k) for k in range(4096)])
SHORT_WORD = 4  # a word this long or shorter has the shape of a function word
TAIL_CHARS = 60  # how far from a line's end a caption's credit starts (line_rules.py)


# The classes of characters the measures count, one bit each (code_table.py: packed
# with the page's other lookups, one `take` a page).


@dataclass(slots=True)  # (not frozen: see lines.Columns)
class LineArrays:
    """What the line model counts in each line, one array entry a line."""

    raws: list[str]  # Line.raw
    folds: list[str]  # Line.fold as measured, before any rule folded a long line whole
    folded: str  # `folds` joined with "\n"
    chars: np.ndarray  # len(raw)
    words: np.ndarray  # Line.words
    sentence: np.ndarray  # Line.sentence, as bool
    nos: np.ndarray  # Line.no
    numbers: list[int]  # Line.no as a list (the removed lines' numbers are picked from it)
    log_chars: np.ndarray  # math.log1p(len(raw))
    tokens: np.ndarray  # len(raw.split())
    inner_punct: np.ndarray  # commas, semicolons, and full stops followed by a space
    capitals: np.ndarray  # words starting with a capital A-Z or А-Я
    short_words: np.ndarray  # words of SHORT_WORD characters or fewer (function-word shape)
    colon: np.ndarray  # raw.endswith(":")
    digits: np.ndarray  # decimal digits (re's \d)
    tail_mark: np.ndarray  # a slash or colon among the last TAIL_CHARS characters
    joined: str  # the lines joined with "\n"
    starts: np.ndarray  # offset of each line in `joined`
    first_codes: np.ndarray  # the code point starting each line
    codes: np.ndarray  # code points of `joined`
    info: np.ndarray  # code_table.code_info(codes)
    lasts: np.ndarray  # the code point ending each line (measured once: lines.Columns)

    def line_of(self, offsets: np.ndarray | list[int]) -> np.ndarray:
        """The line holding each offset of `joined`."""
        return self.starts.searchsorted(offsets, side="right") - 1

    def hard_wrapped(self) -> bool:
        """Whether the text is hard-wrapped (judged before any line has a label): nearly
        no line wider than a typewriter's, and most ending mid-sentence at that width
        (a saved web page has paragraphs of hundreds of characters on one line)."""
        n = len(self.chars)
        narrow = self.chars <= WRAP_CHARS[1]
        # (the wrapped lines counted only when the narrow ones allow it: a saved page's
        # paragraphs settle it before, and four numpy calls are spared)
        # (count_nonzero: a bool mask's sum without casting it to int64 first)
        if n < 6 or np.count_nonzero(narrow) < 0.9 * n:
            return False
        wrapped = narrow & (self.chars >= WRAP_CHARS[0]) & ~self.sentence
        return bool(np.count_nonzero(wrapped) >= 0.5 * n)

    def menu_marks(self) -> np.ndarray:
        """Per line, its menu separators, runs of two spaces and " / " (lines are
        stripped: none at an edge). Asked only where the menu rules run (a page the
        line model does not decide), so the model's pages do not count them."""
        codes = self.codes
        if not len(self.starts):
            return np.zeros(0, np.int64)
        spaces = codes == _SPACE
        menu = (classes(self.info) & MENU).astype(bool)
        menu[:-1] |= spaces[:-1] & spaces[1:]
        menu[1:-1] |= (codes[1:-1] == _SLASH) & spaces[:-2] & spaces[2:]
        return np.add.reduceat(menu, self.starts, dtype=np.int64)

    def link_offsets(self, literals: tuple[str, ...]) -> list[int]:
        """Where `joined` holds one of `literals` or an "@" followed by a word character
        (re's @\\w), as offsets: str.find over the joined text (a regex alternation tried
        at every character cost ten times more); line_of() gives their lines."""
        joined, offsets = self.joined, []
        for literal in literals:
            at = joined.find(literal)
            while at >= 0:
                offsets.append(at)
                at = joined.find(literal, at + 1)
        at = joined.find("@")
        while at >= 0:
            nxt = joined[at + 1 : at + 2]
            if nxt.isalnum() or nxt == "_":
                offsets.append(at)
            at = joined.find("@", at + 1)
        return offsets


def line_arrays(lines: Sequence[Line], columns: Columns | None = None) -> LineArrays:
    """The measures of `lines` (as measure_lines gives them: stripped, non-empty).
    `columns`: what measure_page measured of them, when the caller has it (read from
    the lines otherwise, which costs a list a measure)."""
    n = len(lines)
    if columns is None:
        raws = [x.raw for x in lines]
        folds = [x.fold for x in lines]
        numbers = [x.no for x in lines]
        joined = "\n".join(raws)
        chars = np.fromiter(map(len, raws), np.int64, n)
        starts = np.zeros(n, dtype=np.int64)
        (chars[:-1] + 1).cumsum(out=starts[1:])
        codes = code_points(joined)
        columns = Columns(
            raws,
            folds,
            "\n".join(folds),
            joined,
            codes,
            code_info(codes),
            starts,
            chars,
            np.fromiter(numbers, dtype=np.int64, count=n),
            numbers,
            np.fromiter([x.words for x in lines], dtype=np.int64, count=n),
            np.fromiter([x.sentence for x in lines], dtype=bool, count=n),
            codes[starts + chars - 1],
        )
    raws, joined, codes, starts = columns.raws, columns.joined, columns.codes, columns.starts
    chars = columns.chars
    cls = classes(columns.info)
    m = len(codes)
    # The five masks counted per line are written into the rows of one matrix and
    # summed by one np.add.reduceat along its rows: the cast of bool to int32 and the
    # call's fixed cost paid once, not five times (46 -> 33 us a page; issue 16,
    # sixteenth round). Rows: word starts, inner punctuation, capitals, short words,
    # digits.
    counted = np.empty((5, m), dtype=bool)
    word_start, inner, capital, short, digit = counted
    space = (cls & SPACE).view(bool)  # (SPACE is bit 0: each entry is 0 or 1, a bool)
    before = np.empty_like(space)  # whether the code point before is a space (or none)
    before[:1] = True
    before[1:] = space[:-1]
    np.greater(before, space, out=word_start)  # (~space & before: `>` on bool masks)
    # a word is short when a space (or the newline, or the text's end) follows within
    # SHORT_WORD characters of its start: shifted masks, no word is cut out
    ends = np.empty(m + SHORT_WORD, dtype=bool)  # (np.ones: a Python wrapper, and a fill)
    ends[:m] = space
    ends[m:] = True
    short[:] = ends[1 : m + 1]
    for k in range(2, SHORT_WORD + 1):
        short |= ends[k : m + k]
    short &= word_start > (cls & (CAPITAL | DIGIT)).astype(bool)  # (word_start & ~...)
    # [,،;؛]|\.\s within a line: a full stop ending a line has the newline after it
    np.copyto(inner, cls & COMMA, casting="unsafe")  # (nonzero: True)
    inner[:-1] |= (codes[:-1] == _STOP) & space[1:] & (codes[1:] != _NEWLINE)
    np.copyto(capital, cls & CAPITAL, casting="unsafe")
    capital &= before
    np.copyto(digit, cls & DIGIT, casting="unsafe")
    tail = np.zeros(n, dtype=bool)
    marks = (cls & TAIL).astype(bool).nonzero()[0]  # (nonzero of a bool array: 2x cheaper)
    if len(marks):
        owner = starts.searchsorted(marks, side="right") - 1
        tail[owner[marks >= starts[owner] + chars[owner] - TAIL_CHARS]] = True
    # a line's counts, its separator included (int32: a quarter cheaper to sum into)
    counts = (
        np.add.reduceat(counted, starts, axis=1, dtype=np.int32)
        if n
        else np.zeros((5, 0), np.int32)
    )
    log_chars = (
        _LOG1P[chars]
        if n and np.maximum.reduce(chars) < len(_LOG1P)  # (.max(): a Python wrapper)
        else np.array([math.log1p(k) for k in chars.tolist()])
    )
    return LineArrays(
        raws=raws,
        folds=columns.folds,
        folded=columns.folded,
        chars=chars,
        words=columns.words,
        sentence=columns.sentence,
        nos=columns.nos,
        numbers=columns.numbers,
        log_chars=log_chars,
        tokens=counts[0],
        inner_punct=counts[1],
        capitals=counts[2],
        short_words=counts[3],
        colon=columns.lasts == _COLON,
        digits=counts[4],
        tail_mark=tail,
        joined=joined,
        starts=starts,
        first_codes=codes.take(starts),
        codes=codes,
        info=columns.info,
        lasts=columns.lasts,
    )
