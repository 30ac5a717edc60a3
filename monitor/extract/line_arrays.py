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

# (0-d arrays of the code points' type: a Python int operand costs a numpy call some
# thousands of instructions more, measured)
_STOP, _COLON, _SPACE, _SLASH = (np.array(ord(c), dtype=np.uint32) for c in ".: /")
# the classes of line_arrays' rows 2-6: inner punctuation, capitals, digits, caption
# marks, spaces
_CLASS_ROWS = np.array([[COMMA], [CAPITAL], [DIGIT], [TAIL], [SPACE]], np.uint8)
_NONE = np.array(0, np.uint8)
# math.log1p of small lengths, looked up: np.log1p differs from it in the last bit for
# about 1% of integers, and a line's length sits next to thresholds (prose: > log1p(120)).
_LOG1P = np.array([math.log1p(k) for k in range(4096)])
SHORT_WORD = 4  # a word this long or shorter has the shape of a function word
TAIL_CHARS = 60  # how far from a line's end a caption's credit starts (line_rules.py)
_ONE, _TAIL_CHARS = np.array(1), np.array(TAIL_CHARS)  # (0-d operands, as _STOP)
_WRAP_CHARS = tuple(np.array(x) for x in WRAP_CHARS)
_SCHEMES = ("http:", "https:")  # what a link's "//" follows (LineArrays.link_offsets)


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
    counts: np.ndarray  # int32 rows: tokens, short_words, inner_punct, capitals, digits
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
        return self.starts.searchsorted(offsets, side="right") - _ONE

    def hard_wrapped(self) -> bool:
        """Whether the text is hard-wrapped (judged before any line has a label): nearly
        no line wider than a typewriter's, and most ending mid-sentence at that width
        (a saved web page has paragraphs of hundreds of characters on one line)."""
        n = len(self.chars)
        narrow = self.chars <= _WRAP_CHARS[1]
        # (the wrapped lines counted only when the narrow ones allow it: a saved page's
        # paragraphs settle it before, and four numpy calls are spared)
        # (count_nonzero: a bool mask's sum without casting it to int64 first)
        if n < 6 or np.count_nonzero(narrow) < 0.9 * n:
            return False
        wrapped = narrow & (self.chars >= _WRAP_CHARS[0]) & ~self.sentence
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
        """Where `joined` holds one of `literals`, "http://" or "https://", or an "@"
        followed by a word character (re's @\\w), as offsets: str.find over the joined
        text (a regex alternation tried at every character cost ten times more);
        line_of() gives their lines. A link's offset is that of its "//" (on its line):
        the page's few slashes found by memchr and each asked what is around it cost
        half the search of both prefixes (issue 16, twenty-third round: 41,000 ->
        20,000 instructions a page)."""
        joined, offsets = self.joined, []
        for literal in literals:
            at = joined.find(literal)
            while at >= 0:
                offsets.append(at)
                at = joined.find(literal, at + 1)
        at = joined.find("/")
        while at >= 0:
            if joined.startswith("//", at) and joined.endswith(_SCHEMES, 0, at):
                offsets.append(at)
            at = joined.find("/", at + 1)
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
    m = len(codes)
    # The masks a page counts are rows of one matrix `marks`, each at offset 1 of a row
    # of m + 1 + SHORT_WORD (the spaces' row padded for the shifts below): rows word
    # starts, short words, inner punctuation, capitals, digits (counted per line, the
    # first five), then caption marks and spaces: the classes by one `&` over five rows
    # (broadcast) and one `!=` into the matrix (issue 16, twenty-second round: a call a
    # class, and a cast, before; the packed entries' top byte read in place, strided,
    # cost more than the shift and cast of `classes`). line_arrays: 617,000 -> 500,000
    # instructions a page.
    marks = np.empty((7, m + 1 + SHORT_WORD), dtype=bool)
    inside = marks[:, 1 : m + 1]
    word_start, short, inner, capital, digit, tails, space = inside
    np.not_equal(np.bitwise_and(classes(columns.info), _CLASS_ROWS), _NONE, out=inside[2:])
    padded = marks[6]  # the spaces, True before the text and for SHORT_WORD after it
    padded[0] = True
    padded[m + 1 :] = True
    before = padded[:m]  # whether the code point before is a space (or none)
    np.greater(before, space, out=word_start)  # (~space & before: `>` on bool masks)
    # a word is short when a space (or the newline, or the text's end) follows within
    # SHORT_WORD characters of its start: shifted masks, no word is cut out (the spaces
    # at 1 and 2 after, then those pairs at 0 and 2 apart: two calls, not four)
    pairs = np.bitwise_or(padded[2 : m + 4], padded[3 : m + 5])
    np.bitwise_or(pairs[:m], pairs[2 : m + 2], out=short)
    short &= word_start
    either = np.bitwise_or(capital, digit, out=pairs[:m])
    np.greater(short, either, out=short)  # (& ~(capital | digit))
    # [,،;؛]|\.\s within a line: a full stop ending a line has the newline after it, a
    # space, so those are taken off the counts below (lines ending in a full stop: one
    # comparison of n lines, not one of every code point)
    stops = np.equal(codes[:-1], _STOP, out=pairs[: max(m - 1, 0)])
    stops &= space[1:]
    inner[:-1] |= stops
    capital &= before
    tail = np.zeros(n, dtype=bool)
    marked = tails.nonzero()[0]
    if len(marked):
        owner = starts.searchsorted(marked, side="right") - _ONE
        tail[owner[marked >= starts[owner] + chars[owner] - _TAIL_CHARS]] = True
    # a line's counts, its separator included: the bools read as uint8 and summed into
    # int16 where no line is 32,766 long (13% cheaper than into int32, ~28,000
    # instructions a page), then read as int32, as the rules expect
    widest = int(np.maximum.reduce(chars)) if n else 0  # (.max(): a Python wrapper)
    if n:
        counts = np.add.reduceat(
            inside[:5].view(np.uint8),
            starts,
            axis=1,
            dtype=np.int16 if widest < 32766 else np.int32,
        ).astype(np.int32)
        counts[2, :-1] -= columns.lasts[:-1] == _STOP
    else:
        counts = np.zeros((5, 0), np.int32)
    log_chars = (
        _LOG1P[chars]
        if n and widest < len(_LOG1P)
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
        counts=counts,
        tokens=counts[0],
        inner_punct=counts[2],
        capitals=counts[3],
        short_words=counts[1],
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
