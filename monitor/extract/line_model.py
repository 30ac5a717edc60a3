"""The learned line classifier: is a line of a saved page part of the article?

Hand rules written against text we wrote did not transfer to real sites (docs/cleaning.md:
F1 0.65 on 181 real pages, below jusText's 0.74). This model was fitted on real pages
(the aeb corpus, `make train`, monitor/evaluation/train_cleaner.py) and reads only
features that name no site: a line's length and sentence shape, its share of short
lowercase words (the shape of function words), its punctuation, its place on the page,
its neighbours, the shape of the run of lines it stands in (a menu is a run of short
lines), and whether it lies in the page's densest run of long lines (not what the hand
rules said of it: it runs before most of them, which then label only the lines it keeps).

Two passes of logistic regression: the first reads the line and its window, the second
adds the first pass's verdicts on the neighbours (a sentence among menus is a menu item,
a short line between paragraphs is a subheading). Logistic regression rather than trees:
its inference is one matrix product in numpy (the text path must clean 1,000 pages a
second), and its decision splits into per-feature contributions, so every removed line
gets a reason a user can read (`monitor show`): the features that weighed most against it.

The coefficients live in data/line_model.json; numpy is the only runtime dependency.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import repeat
from pathlib import Path

import numpy as np

from monitor.extract.code_table import BMP, CLASS_SHIFT, DIGIT, code_table
from monitor.extract.line_arrays import LineArrays, line_arrays
from monitor.extract.line_reasons import LineReasons
from monitor.extract.line_windows import ARANGE as _ARANGE
from monitor.extract.line_windows import LOG1P_LIST as _LOG1P_LIST
from monitor.extract.line_windows import LOG1P_TABLE as _LOG1P_TABLE
from monitor.extract.line_windows import WINDOWS as _WINDOWS
from monitor.extract.line_windows import densest_run as _densest_run
from monitor.extract.line_windows import short_runs as _short_runs
from monitor.extract.line_windows import window_rows as _window_rows
from monitor.extract.page_lines import Line
from monitor.extract.script_letters import UTF32 as _UTF32

MODEL_FILE = Path(__file__).with_name("data") / "line_model.json"

# Searched once over a page's lines (_LINKISH) or their first characters (line_arrays.py).
_DIGIT = re.compile(r"\d")
# re's "https?://|www\.|@\w|©|\|" as literals (the links and "@" before a word:
# link_offsets):
# the bar and the sign found by str.find too, not by two comparisons of the page's code
# points, an `|` and a nonzero (aeb's pages hold 3.6 of them on average, 78 at most:
# issue 16, twenty-third round, 66,000 -> 10,000 instructions a page)
_LINKISH = ("www.", "|", "©")
# (operands as 0-d arrays of the arrays' types: a Python int costs a numpy call some
# thousands of instructions more, measured; an np.float64 some 2,000)
_ONE_TOKEN, _SHORT_LINE = np.array(1, np.int32), np.array(4)
# a paragraph: over 120 characters, or over 50 ending like a sentence (the lengths, not
# their log1p: the same test, as math.log1p is increasing and np.log1p(120) and
# np.log1p(50) equal it; two calls, not four)
_PROSE_CHARS, _SENTENCE_CHARS = np.array(120), np.array(50)
_ZERO, _ONE = np.array(0.0), np.array(1.0)
# (the model's constants as 0-d arrays too: the same float64 arithmetic, bit for bit)
_PROSE_BIAS, _HALF, _CLIP = np.array(0.35), np.array(0.5), np.array(30.0)
_MINUS_CLIP = np.array(-30.0)
_BULLETS = "-•*–—·▪►»>|"  # a line starting with one is a list item (row 13)
_BULLET = re.compile(f"[{re.escape(_BULLETS)}]")
# rows 2-4 of the features (short, tiny, long) per word count, looked up by one `take`
# (mode "clip": a count past the table reads its last column, long; and no copy of `out`,
# which take makes in its default mode) where a multiplication and a comparison cast into
# the rows cost two calls (issue 16, twenty-third round: with the one take of rows 11-13
# and the constants as 0-d arrays, 6.236 -> 6.137 M instructions a dump)
_WORD_ROWS = np.array([[w <= 4, w <= 2, w >= 30] for w in range(31)], dtype=float).T
# the rows averaged over windows: length, sentence, short words (an index array: a list
# is converted to one at every indexing)
_WINDOWED = np.array([1, 5, 7])
_CUT_HEADING = "heading: what follows is another"  # the cut-off's heading itself
RULED_LABELS = ("title", "metadata", "caption")
# Removals by the hand rules that the model may overrule: each cost recall on aeb.
MODEL_OVERRULES = (
    "after the '",  # a "read also" cut-off: verdicts() keeps those the model confirms
    "list of headlines after the article",
)
# (A line in another script at the page's edge is no longer overruled: that rule now runs
# after the model, on the lines it keeps, which no feature marks as foreign; honouring it
# there cross-validated the same, F1 0.877, and it removes a theme-licence notice in
# English from an Arabic page.)
# Readable names of the features, for the reasons shown by `monitor show`; a name must
# say what the feature measures when it weighs AGAINST a line (positive value).
LINE_FEATURES = (
    ("bias", "bias"),
    ("log_chars", "long"),
    ("short", "short (4 words or fewer)"),
    ("tiny", "one or two words"),
    ("long", "long (30 words or more)"),
    ("sentence", "ends like a sentence"),
    ("colon", "ends with a colon"),
    ("short_share", "short lowercase words (function-word shape)"),
    ("no_short", "no short lowercase word"),
    ("inner_punct", "commas and full stops inside"),
    ("caps_share", "capitalised words (title or menu case)"),
    ("digit", "starts with digits (a date or count)"),
    ("linkish", "link, handle, bar or copyright sign"),
    ("bullet", "starts with a bullet or arrow"),
    ("position", "far down the page"),
    ("before_first", "above the first paragraph"),
    ("after_last", "below the last paragraph"),
    ("in_block", "inside the densest run of long lines"),
    ("block_distance", "distance from the densest run of long lines"),
    ("short_run", "in a run of short lines (link-list or menu shape)"),
    *(
        (f"{name}_w{w}", f"{what} within {w} lines")
        for w in _WINDOWS
        for name, what in (
            ("len", "long lines around"),
            ("sent", "sentences around"),
            ("short", "short lowercase words around"),
        )
    ),
    ("prev_len", "a long line above"),
    ("next_len", "a long line below"),
    ("prev_sent", "line above ends like a sentence"),
    ("next_sent", "line below ends like a sentence"),
    ("doc_lines", "a long page"),
    ("doc_prose", "a page of paragraphs"),
)
SECOND_FEATURES = (
    *((f"p1_w{w}", f"lines around judged boilerplate (within {w})") for w in _WINDOWS),
    ("p1_prev", "line above judged boilerplate"),
    ("p1_next", "line below judged boilerplate"),
    ("p1_block", "outside the run of lines judged article"),
)


def ruled(line: Line) -> bool:
    """Whether the hand rules, not the model, decide this line: the title line, the
    metadata lines (a date, a byline, a credit: stored as metadata, so never body),
    captions, and every removal but those the model overrules (MODEL_OVERRULES).
    Measured on aeb, each removal rule honoured over the model changed the cross-
    validated F1 by -0.0003 to +0.0007; the ones in MODEL_OVERRULES cost recall."""
    return _ruled(line.label, line.why)


def _ruled(label: str | None, why: str) -> bool:
    if label in RULED_LABELS:
        return True
    return label is not None and not (why.startswith(MODEL_OVERRULES) or _CUT_HEADING in why)


def verdicts(lines: list[Line], keep: list[bool]) -> list[tuple[str | None, str | None]]:
    """(label, why) per line from the rules' labels and the model's `keep`; why None
    means "the model's reason". The rules decide the lines they rule (ruled()); a "read
    also" cut-off holds only where the model keeps more of the article above the heading
    than below it (on aeb, "Trending" and "Latest News" boxes above the article made the
    rule cut whole articles: trusting every cut-off cost 0.086 F1). Elsewhere the model
    decides; a line both remove keeps the rule's label and reason, more telling than
    the model's."""
    body, removed = decide(lines, keep)
    out: list[tuple[str | None, str | None]] = [(x.label, x.why) for x in lines]
    for i in body:
        out[i] = (None, "")
    for i in removed:
        out[i] = ("boilerplate", None)
    return out


def decide(lines: list[Line], keep: list[bool]) -> tuple[list[int], list[int]]:
    """What verdicts() changes, as two lists of line indices: the lines that become body
    and the free lines the model removes; every other line keeps its label and reason.
    (The driver applies these to its lists of labels and reasons: most lines keep theirs.)"""
    n = len(lines)
    body, removed = decide_columns(
        [x.label for x in lines],
        [x.why for x in lines],
        np.fromiter([x.words for x in lines], dtype=np.int64, count=n),
        np.fromiter(keep, dtype=bool, count=n),
    )
    return body.nonzero()[0].tolist(), removed.tolist()


def decide_columns(
    labels: list[str | None], whys: list[str], words: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """decide() over the lines' labels, reasons and word counts, and the model's `keep`
    (bool per line), as the driver holds them: masks for the many free lines, a look
    at each only for the few lines the rules labelled and the model would keep. The
    removed lines as an index array (reasons_for takes rows from it without converting
    a list of some 160 ints); the body as a mask (bool per line: the driver reads the
    body and the removed lines from it, not from every line's label)."""
    n = len(labels)
    cut_from = n
    # (bytes of 0/1 read as bools: cheaper than np.fromiter, which packs each item)
    free = np.frombuffer(bytes(map(operator.is_, labels, repeat(None))), dtype=bool)
    # (a free line has no reason: only the few labelled lines are read)
    ruled = ~free  # (once: read twice below)
    headings = [i for i in ruled.nonzero()[0].tolist() if _CUT_HEADING in whys[i]]
    if headings:
        sizes = np.where(keep, words, 0)  # the words the model keeps, per line
        total = int(np.add.reduce(sizes))  # (.sum(): a Python wrapper)
        above = (sizes.cumsum() - sizes).tolist()  # kept words above each line
        for i in headings:
            # after the article's footer (a source or byline line) or above less of it
            footer = i > 0 and labels[i - 1] == "metadata"
            if footer or above[i] > total - above[i] - int(sizes[i]):
                cut_from = i
                break
    body = free & keep
    for i in (ruled[:cut_from] & keep[:cut_from]).nonzero()[0].tolist():
        body[i] = not _ruled(labels[i], whys[i])
    return body, (free > keep).nonzero()[0]  # (free & ~keep, in one call)


def line_features(
    lines: Sequence[Line],
    arrays: LineArrays | None = None,
) -> np.ndarray:
    """The first pass's feature matrix, one row per line (names: LINE_FEATURES).

    Counted for all lines at once (line_arrays.py): per line and per feature in Python,
    this was most of the cleaner's time. `arrays`: the lines' measures when the caller
    has them (clean.py shares them with the hand rules). No feature reads what the hand
    rules said of a line: without those (one-hot labels, a cut-off's reason) the model
    cross-validated as well (F1 0.878 against 0.876), and then it can run before the
    page rules, which label only the lines it keeps (clean.py).

    Built as its transpose, one row a feature, numpy writing into the rows (`out=`, or
    several at once): a numpy call's fixed cost is most of its cost on a page's lines
    (docs/cleaning.md, twelfth round)."""
    n = len(lines)
    at = line_arrays(lines) if arrays is None else arrays
    rows = np.empty((len(LINE_FEATURES), n))  # one row a feature: x1 is its transpose
    words = at.words
    log_chars = at.log_chars
    rows[0] = 1.0
    rows[1] = log_chars
    # short (<= 4 words), tiny (<= 2), long (>= 30): one lookup
    _WORD_ROWS.take(words, 1, rows[2:5], "clip")
    rows[5] = at.sentence
    rows[6] = at.colon
    nw = np.maximum(at.tokens, _ONE_TOKEN)
    # short lowercase words stand in for function words (docs/cleaning.md, seventh round);
    # the shares of short words, inner punctuation and capitals in one call, into rows
    # 8-10, the first then moved to row 7 (a copy: cheaper than a division)
    np.divide(at.counts[1:4], nw, out=rows[8:11])
    rows[7] = rows[8]
    rows[8] = rows[7] == _ZERO  # (a bool cast by assignment: cheaper than by out=)
    np.minimum(rows[9], _ONE, out=rows[9])
    # rows 15-19 start at 0 in one call (11-13 and 14 are written whole below): above
    # the first and below the last paragraph, in the run, the run of short lines
    # (_short_runs writes only those)
    rows[15:20] = 0.0
    # (a list of hits written only when it has one: an empty fancy assignment costs a
    # few thousand instructions)
    # a leading digit (re's \d) or bullet: the first code points looked up in tables of
    # 1.0 and 0.0, written into the rows by `take` (a regex over the first characters,
    # a list of hits and an assignment of each cost more: issue 16, seventeenth round);
    # a page with a line starting above the BMP asks the regexes
    firsts = at.first_codes
    if len(firsts) and np.maximum.reduce(firsts) < BMP:  # (.max(): a Python wrapper)
        # rows 11-13 in one take, 12 (a link or bar, set below) from a row of zeros:
        # mode "clip" spares take's copy of `out` (the codes are below the tables' end)
        _first_char_tables().take(firsts, 1, rows[11:14], "clip")
    else:
        rows[11:14] = 0.0
        first_chars = firsts.tobytes().decode(_UTF32, "surrogatepass")
        if hits := [m.start() for m in _DIGIT.finditer(first_chars)]:
            rows[11, hits] = 1.0
        if hits := [m.start() for m in _BULLET.finditer(first_chars)]:
            rows[13, hits] = 1.0
    if links := at.link_offsets(_LINKISH):
        rows[12, at.line_of(links)] = 1.0
    prose = at.chars > np.where(at.sentence, _SENTENCE_CHARS, _PROSE_CHARS)
    where = prose.nonzero()[0]
    first, last = (int(where[0]), int(where[-1])) if len(where) else (n, -1)
    lo, hi = _densest_run(prose - _PROSE_BIAS)
    np.divide(_ARANGE[:n] if n <= len(_ARANGE) else np.arange(n), max(n - 1, 1), out=rows[14])
    # above the first paragraph, below the last, inside the densest run: ranges of lines
    rows[15, :first] = 1.0
    rows[16, last + 1 :] = 1.0
    rows[17, lo : hi + 1] = 1.0
    # how far outside the densest run (0 inside): two ranges, then log1p in place
    distance = rows[18]  # (zero from rows[15:20] above: only the ranges outside are written)
    if n < len(_LOG1P_TABLE):  # (log1p of lo, ..., 1 and of 1, ..., n - hi - 1: slices)
        distance[:lo] = _LOG1P_TABLE[lo:0:-1]
        distance[hi + 1 :] = _LOG1P_TABLE[1 : n - hi]
    else:
        distance[:lo] = np.arange(lo, 0, -1)
        distance[hi + 1 :] = np.arange(1, n - hi)
        np.log1p(distance, out=distance)
    _short_runs(words <= _SHORT_LINE, rows[19])
    col = 20
    # means over windows of lines of rows 1, 5, 7 (length, sentence, short words): one
    # cumulative sum, read at every window's ends as slices (_window_rows)
    _window_rows(rows.take(_WINDOWED, 0), rows[col : col + 3 * len(_WINDOWS)])
    col += 3 * len(_WINDOWS)
    if n:
        # the line above (below) of rows 1 and 5 (length, sentence), as strided slices:
        # prev_len, prev_sent are rows col, col + 2; next_len, next_sent col + 1, col + 3
        mean_chars = np.add.reduce(log_chars) / n  # (.sum() without its Python wrapper)
        rows[col : col + 3 : 2, 1:] = rows[1:6:4, :-1]
        # (scalars one by one: a tuple assigned to a slice is made an array first)
        rows[col, 0] = mean_chars
        rows[col + 2, 0] = 0.0
        rows[col + 1 : col + 4 : 2, :-1] = rows[1:6:4, 1:]
        rows[col + 1, -1] = mean_chars
        rows[col + 3, -1] = 0.0
    rows[col + 4] = _LOG1P_LIST[n] if n < len(_LOG1P_LIST) else np.log1p(n)
    rows[col + 5] = len(where) / n if n else 0.0  # (prose.sum(): counted in `where`)
    return rows.T


@cache
def _first_char_tables() -> np.ndarray:
    r"""Three rows over the BMP's code points: 1.0 for each that is a digit (re's \d,
    as the packed code table marks it), none, and each of _BULLETS; 0.0 for the rest:
    the first code points of a page's lines are looked up in them, rows 11-13 of
    line_features (12, a link or bar, is found elsewhere). Built on first use."""
    tables = np.zeros((3, BMP))
    tables[0] = ((code_table()[:BMP] >> CLASS_SHIFT) & DIGIT).astype(bool)
    tables[2, [ord(c) for c in _BULLETS]] = 1.0
    return tables


def second_features(p1: np.ndarray) -> np.ndarray:
    """The second pass's extra columns, from the first pass's probabilities (names:
    SECOND_FEATURES): how boilerplate the neighbourhood looked."""
    q = _ONE - p1  # boilerplate-ness, so that a positive weight reads "around boilerplate"
    n = len(q)
    lo, hi = _densest_run(p1 - _HALF)
    # built as its transpose, one row a feature (as line_features): the rows written
    # whole, not strided columns, and the last three filled with 1.0 in one call (issue
    # 16, twenty-third round)
    rows = np.empty((len(SECOND_FEATURES), n))
    # means of q over [i-w, i+w], clipped at the page's ends: one cumulative sum for all w
    col = len(_WINDOWS)
    _window_rows(q[None, :], rows[:col])
    # the line above and below (1.0 past the page's ends), outside the densest run of
    # lines judged article (1.0, but for the lines in it)
    rows[col:] = 1.0
    if n:
        rows[col, 1:] = q[:-1]
        rows[col + 1, :-1] = q[1:]
    rows[col + 2, lo : hi + 1] = 0.0
    return rows.T


# Features a reason may name. Left out: the bias, and the page-wide and window lengths,
# whose weights mostly correct correlated features ("long lines around" against a line
# reads as nonsense to a user, though it is how the model balances its window features).
NOT_REASONS = frozenset(
    {"bias", "doc_lines", "doc_prose", "prev_len", "next_len"} | {f"len_w{w}" for w in _WINDOWS}
)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-clip(z, -30, 30))), computed in place in `z` (a temporary of the
    caller's): np.clip spelled out (its checks cost more than the arithmetic), and no
    new array a step."""
    np.maximum(z, -30.0, out=z)
    np.minimum(z, 30.0, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    np.add(z, 1.0, out=z)
    return np.divide(1.0, z, out=z)


def _sigmoid_of_negated(negated: np.ndarray) -> np.ndarray:
    """_sigmoid(z) given -z, in place: the same numbers (negation is exact in floating
    point and the clip is symmetric), a numpy call fewer; body_probabilities computes
    -z directly with negated weights."""
    np.maximum(negated, _MINUS_CLIP, out=negated)
    np.minimum(negated, _CLIP, out=negated)
    np.exp(negated, out=negated)
    np.add(negated, _ONE, out=negated)
    return np.divide(_ONE, negated, out=negated)


@dataclass(frozen=True)
class LineModel:
    """Two passes of standardised logistic regression; `threshold` on the second."""

    mean1: np.ndarray
    scale1: np.ndarray
    coef1: np.ndarray
    mean2: np.ndarray
    scale2: np.ndarray
    coef2: np.ndarray
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LineModel:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(
                f"cannot read the cleaner's line model {path}: {exc}; "
                "reinstall monitor or rebuild it with `make train`"
            ) from exc
        keys = ("mean1", "scale1", "coef1", "mean2", "scale2", "coef2")
        a = {k: np.asarray(doc[k], dtype=float) for k in keys}
        expected = (len(LINE_FEATURES), len(LINE_FEATURES) + len(SECOND_FEATURES))
        if (len(a["coef1"]), len(a["coef2"])) != expected:
            raise RuntimeError(
                f"{path} was trained on other features than this code computes; "
                "rebuild it with `make train`"
            )
        return cls(
            a["mean1"], a["scale1"], a["coef1"], a["mean2"], a["scale2"], a["coef2"],
            float(doc["threshold"]),
        )  # fmt: skip

    def to_json(self, trained_on_folds: list[int]) -> str:
        doc: dict[str, object] = {
            "about": "monitor's line classifier (monitor/extract/line_model.py); "
            "rebuilt by `make train` from the aeb corpus",
            "trained_on_folds": trained_on_folds,  # monitor/evaluation/aeb_pages.py
            "features1": [name for name, _ in LINE_FEATURES],
            "features2": [name for name, _ in LINE_FEATURES + SECOND_FEATURES],
            "threshold": self.threshold,
        }
        for key in ("mean1", "scale1", "coef1", "mean2", "scale2", "coef2"):
            doc[key] = [round(float(v), 6) for v in getattr(self, key)]
        return json.dumps(doc, indent=1) + "\n"

    def first_pass(self, x1: np.ndarray) -> np.ndarray:
        return _sigmoid(((x1 - self.mean1) / self.scale1) @ self.coef1)

    @cached_property
    def _folded(self) -> tuple[np.ndarray, float, np.ndarray, np.ndarray, float]:
        """The standardisation folded into the weights, once: ((x - m) / s) @ c is
        x @ (c / s) - (m / s) @ c, a matrix product without two passes over the matrix."""
        w1 = self.coef1 / self.scale1
        w2 = self.coef2 / self.scale2
        k = len(self.coef1)
        return (
            w1,
            float((self.mean1 / self.scale1) @ self.coef1),
            w2[:k],
            w2[k:],
            float((self.mean2 / self.scale2) @ self.coef2),
        )

    def body_probabilities(self, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(body) per line, the second pass's extra columns): probabilities() without
        standardising the matrices (equal to it but for the last bits), for the driver,
        which asks reasons_for() only the rows it removes."""
        w1, b1, w2a, w2b, b2 = self._negated
        # (-z = x @ -w + b, summed in place: the negation spares _sigmoid's; no temporary)
        z1 = x1 @ w1
        z1 += b1
        second = second_features(_sigmoid_of_negated(z1))
        z2 = x1 @ w2a
        z2 += second @ w2b
        z2 += b2
        return _sigmoid_of_negated(z2), second

    @cached_property
    def _negated(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """_folded with the weights and offsets negated (body_probabilities)."""
        w1, b1, w2a, w2b, b2 = self._folded
        # (the offsets as 0-d arrays: the same float64 sums, a conversion fewer a call)
        return -w1, np.array(b1), -w2a, -w2b, np.array(b2)

    def probabilities(self, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(body) per line, the standardised second-pass matrix for the reasons)."""
        x2 = np.concatenate((x1, second_features(self.first_pass(x1))), axis=1)
        z2 = (x2 - self.mean2) / self.scale2
        return _sigmoid(z2 @ self.coef2), z2

    @cached_property
    def _reasons(self) -> LineReasons:
        return LineReasons(
            [what for _, what in LINE_FEATURES + SECOND_FEATURES],
            [name not in NOT_REASONS for name, _ in LINE_FEATURES + SECOND_FEATURES],
            self.mean2,
            self.scale2,
            self.coef2,
            len(self.coef1),
        )

    def reasons_for(
        self, x1: np.ndarray, second: np.ndarray, rows: list[int] | np.ndarray
    ) -> list[str]:
        """The reasons of `rows` (line_reasons.LineReasons.for_rows)."""
        return self._reasons.for_rows(x1, second, rows)

    def reasons(self, z2: np.ndarray) -> list[str]:
        """The reasons of the rows of a standardised second-pass matrix
        (line_reasons.LineReasons.of)."""
        return self._reasons.of(z2)
