"""A line of plain text as the cleaner's rules see it: measured, folded, and labelled.

Holds what every rule reads: the splitting of a text into measured lines (the Lines
themselves, page_lines.py, are built from these measures when a rule reads one), the
script and wrapping of a whole text, and the thresholds, kept together so they can be
reviewed. Apart from the rules (line_rules.py, page_rules.py) and the
driver (clean.py) because all of them share it and it holds no rule of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

import numpy as np

from monitor.extract.code_table import NFKC_ASK, OTHER_BIT, code_info
from monitor.extract.code_table import OTHER_LETTER as _OTHER_LETTER
from monitor.extract.fold_codes import fold_joined
from monitor.extract.page_lines import Line, PageLines
from monitor.extract.script_letters import (
    BMP,
    code_points,
    has_letter,
    lines_with_letter,
    script_shares,
    share_table,
)
from monitor.text.normalize import normalize_lines

# A sentence ends with one of these, perhaps followed by closing quotes or brackets.
_SENTENCE_STOPS = frozenset(".!?؟…。!")
_CLOSERS = "\"'”’»)]"
# what a line's last code point says: a stop, a closer (look further back), or neither
_STOP, _CLOSER = np.array(1, dtype=np.uint8), np.array(2, dtype=np.uint8)
_ENDINGS = np.zeros(0x10000, dtype=np.uint8)  # (code points above: neither, the last entry)
_ENDINGS[[ord(c) for c in _SENTENCE_STOPS]] = _STOP
_ENDINGS[[ord(c) for c in _CLOSERS]] = _CLOSER
WORD = re.compile(r"\w+")
# Runs (not single characters): one match per word keeps counting letters cheap. Each is
# "[set][set]*" rather than "[set]+": the regex compiler gives `findall` the set as a
# prefix to skip to then (none for a repeat first), 0.35 -> 0.15 us a line.
_SCRIPT_SETS = {
    "Arabic": r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]",
    "Latin": r"[A-Za-z\u00c0-\u024f]",
    "Cyrillic": r"[\u0400-\u04ff]",
}
SCRIPTS = {name: re.compile(f"{chars}{chars}*") for name, chars in _SCRIPT_SETS.items()}
LETTER = re.compile(r"[^\W\d_]+")
# The operands of measure_page's comparisons, as 0-d arrays of the arrays' own dtypes: a
# ufunc given a Python int converts it a call (`words > 15` on 200 lines cost twice
# `words > FIFTEEN`); of the same dtype, the result is the same (issue 16,
# twenty-second round: with fold_codes' and page_rules' own, 6.603 -> 6.534 M
# instructions a dump). The code points are uint32, the word counts int32 and the
# line-ending kinds uint8; the line starts and lengths are int64.
_SPACE = np.array(ord(" "), dtype=np.uint32)
_NEWLINE = np.array(ord("\n"), dtype=np.uint32)
_ONE = np.array(1, dtype=np.int64)
_ONE_WORD = np.array(1, dtype=np.int32)
_NFKC_ASK = np.array(NFKC_ASK, dtype=np.uint32)
_OTHER_BIT = {script: np.array(bit, dtype=np.uint32) for script, bit in OTHER_BIT.items()}
_FOREIGN_HEAD = 80  # characters at a line's start where a foreign line shows its script
# from this many lines to ask, their script shares are counted at once (script_shares)
_SHARES_AT_ONCE = 8  # (callgrind on the aeb dumps: 4 and 16 count more)
# main_script's count of each code point: 1 Arabic, 2 Latin, 3 Cyrillic, 0 none (the
# last entry stands for every code point above the BMP: take() in "clip" mode)
_SCRIPT_OF = np.zeros(0x10001, dtype=np.intp)
_SCRIPT_OF[0x600:0x700] = 1
_SCRIPT_OF[65:91] = _SCRIPT_OF[97:123] = _SCRIPT_OF[0xC0:0x180] = 2
_SCRIPT_OF[0x400:0x500] = 3

# Thresholds, each a judgement about news text (kept together so they can be reviewed).
PROSE_WORDS = 8  # a paragraph of the article has at least this many words ...
LONG_PROSE_WORDS = 30  # ... and ends like a sentence unless it is this long
SHORT_WORDS = 4  # navigation items, section names, buttons
STARTS_MAX_WORDS = 40  # a call to action is never longer
CONTAINS_MAX_WORDS = 15  # a phrase anywhere marks furniture only in a short line
LABEL_VALUE_MAX_WORDS = 8  # "Source: X", "By X": X is a name, not a sentence
BYLINE_MAX_WORDS = 12  # "Reporting by Min-ji Park; Editing by Tom Hale"
CAPTION_MAX_WORDS = 25  # a caption sentence set right above its credit line
AUTHOR_BOX_LINES = 3  # how far from the end an author's biography sits
CREDIT_LINE_WORDS = 5  # "Avec Reuters", "(AFP)", "منذ ٣ ساعات"
SPAM_MIN_WORDS = 10
SPAM_UNIQUE_SHARE = 0.5  # tag spam repeats its words; prose rarely repeats half of them
OTHER_SCRIPT_SHARE = 0.3  # below this share of the article's script, a line is foreign
ORPHAN_WORDS = (9, 25)  # a headline: longer than a subheading, shorter than a paragraph
ORPHAN_MEDIAN_WORDS = 25  # ... in an article of long paragraphs
HEAD_LINES = 8  # the headline is among the first lines of a saved page
KEYWORD_LIST_WORDS = 8
MENU_MAX_WORDS = 24
WRAP_CHARS = (40, 100)  # the width of hard-wrapped plain text
LINK_LIST_MIN_WORDS = 5  # a linked headline after the article, in a run of two or more
EDGE_LANGUAGE_LINES = 6  # how far from either end a line in another language is furniture
# (measure_page's word-count thresholds as 0-d int32 arrays: see _SPACE above)
_PROSE_WORDS, _LONG_PROSE_WORDS, _CONTAINS_MAX_WORDS, _STARTS_MAX_WORDS = (
    np.array(x, dtype=np.int32)
    for x in (PROSE_WORDS, LONG_PROSE_WORDS, CONTAINS_MAX_WORDS, STARTS_MAX_WORDS)
)


@dataclass(slots=True)
class Columns:
    """What measure_page measured, one entry a line, as the columns it was computed in:
    line_arrays.py starts from them instead of reading every Line's attributes again.

    Not frozen, though nothing changes it: a frozen dataclass's __init__ sets each field
    through object.__setattr__, some four times the cost of plain stores, and one is
    built a page (issue 16, seventeenth round; the same for LineArrays, LabelledPage)."""

    raws: list[str]  # Line.raw
    folds: list[str]  # Line.fold as measured (the head of a long line)
    folded: str  # the folds joined with "\n" (none holds a newline)
    joined: str  # the raws joined with "\n"
    codes: np.ndarray  # the code points of `joined` (script_letters.code_points)
    info: np.ndarray  # code_table.code_info(codes)
    starts: np.ndarray  # where each line starts in `joined`
    chars: np.ndarray  # len(raw)
    nos: np.ndarray  # Line.no
    numbers: list[int]  # Line.no, as the list the Lines were built from
    words: np.ndarray  # Line.words
    sentence: np.ndarray  # Line.sentence
    lasts: np.ndarray  # the code point ending each line


def measure_lines(text: str, script: str | None, head_chars: int) -> list[Line]:
    """The non-empty lines, measured and folded for the rules (measure_page)."""
    return list(measure_page(text, script, head_chars)[0])


def measure_page(
    text: str, script: str | None, head_chars: int
) -> tuple[PageLines, Columns | None]:
    """The non-empty lines, measured and folded for the rules, and the columns of their
    measures (None without a line). `head_chars`: how much of a long line is folded
    (enough for the longest phrase a line can start with).

    Every measure is taken for all lines at once, with map() over C string methods and
    numpy, not line by line in Python: on a saved page of 200 lines, mostly menu items,
    that per-line work cost more than the rules that read it."""
    # (the line breaks of old Macs and Windows made "\n" only where the text has a "\r":
    # one scan of a text without one, where the two replaces each read it whole)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raws = text.split("\n")
    stripped = list(map(str.strip, raws))
    kept = list(filter(None, stripped))
    if not kept:
        return PageLines([], [], [], [], [], [], []), None
    n = len(kept)
    numbers = list(compress(range(1, len(stripped) + 1), stripped))  # of the kept lines
    joined = "\n".join(kept)
    codes = code_points(joined)
    info = code_info(codes)  # the page's one table lookup (code_table.py)
    # where each line starts, from the newlines between them
    starts = np.zeros(n, dtype=np.int64)
    np.add((codes == _NEWLINE).nonzero()[0], _ONE, out=starts[1:])  # (in place: no copy)
    # NFKC costs ~50 ns a character and most texts need none; when one does, only its
    # lines that need it are done, so fold() below finds them normalised. Which lines
    # could is read in the page's lookup (code_table.NFKC_ASK: a character NFKC could
    # change alone or with its neighbours): only those are asked (an ASCII text has none).
    # a line NFKC changed -> the line as read (none: the text is normalised as it is)
    changed: dict[int, str] = {}
    if not text.isascii():
        ask = (info >= _NFKC_ASK).nonzero()[0]  # (the top bit: one comparison)
        if len(ask):
            # the lines holding one, in order (a mask: cheaper than np.unique's sort)
            holding = np.zeros(n, dtype=bool)
            holding[starts.searchsorted(ask, side="right") - 1] = True
            for i in holding.nonzero()[0].tolist():
                line = kept[i]
                if not unicodedata.is_normalized("NFKC", line):
                    changed[i] = line
                    # A no-break space or an ellipsis (in 210 of the 395 lines NFKC
                    # changes on the aeb dumps, the only change) is replaced by what
                    # NFKC makes of it first: both decompose to characters that compose
                    # with nothing, so the line's NFKC is the same, and it is asked only
                    # where something else is left (NFKC costs some 300 instructions a
                    # character, the replaces and the quick check a few).
                    line = line.replace("\xa0", " ").replace("\u2026", "...")
                    if not unicodedata.is_normalized("NFKC", line):
                        line = unicodedata.normalize("NFKC", line)
                    # (stripped again: NFKC makes some spaces plain ones, never a line
                    # of nothing but spaces from one with a character)
                    kept[i] = line.strip()
            if changed:
                joined = "\n".join(kept)
                codes = code_points(joined)
                info = code_info(codes)
                np.add((codes == _NEWLINE).nonzero()[0], _ONE, out=starts[1:])
    lengths = np.empty(n, dtype=np.int64)
    np.subtract(starts[1:], starts[:-1], out=lengths[:-1])  # (in place: no copy)
    lengths[:-1] -= _ONE
    lengths[-1] = len(codes) - starts[-1]
    # Words are counted as spaces between tokens, less the (non-overlapping) double
    # spaces: str.count(" ") - str.count("  ") + 1, the spaces counted over the page's
    # code points at once and the double spaces asked only of the lines that have one.
    space = codes == _SPACE
    words = np.add.reduceat(space, starts, dtype=np.int32)  # (int32: cheaper to sum into)
    words += _ONE_WORD
    pairs = space[:-1] & space[1:]
    # (count_nonzero, not any(): no Python wrapper; no line of the 181 aeb dumps holds
    # two spaces in a row)
    if np.count_nonzero(pairs):
        doubled = np.add.reduceat(pairs, starts[starts < len(space) - 1])
        for i in doubled.nonzero()[0].tolist():
            words[i] -= kept[i].count("  ")
    partial = words > _CONTAINS_MAX_WORDS
    # Folding is the costliest step. A paragraph is matched only by its start ("Tags:")
    # and its words, so long lines have only their head folded (full_fold() does the
    # rest when a rule needs it); and all heads are folded in one pass, so its fixed
    # cost is paid once, not once a line.
    # (over the code points with one table when the page allows: fold_codes.py)
    # (n heads when it folds: it keeps every newline, and no code point folds to one)
    # (joined with newlines as the table gives them: split here, kept joined for the
    # start phrases' scan and the language guess)
    folded = fold_joined(codes, starts, lengths, partial, head_chars, info)
    if folded is None:
        heads = kept.copy()
        for i in partial.nonzero()[0].tolist():
            heads[i] = heads[i][:head_chars].rstrip()  # (no space left at the cut)
        folds = normalize_lines(heads)  # each stripped and its spaces collapsed
        folded = "\n".join(folds)
    else:
        folds = folded.split("\n")
    # a sentence ends with a stop, perhaps followed by closing quotes or brackets
    # (read in the last code point of each line; a line ending with a closer is asked)
    lasts = codes[starts + lengths - 1]  # (kept: the model's and the rules' too)
    ending = _ENDINGS.take(lasts, mode="clip")
    sentence = ending == _STOP
    for i in (ending == _CLOSER).nonzero()[0].tolist():
        sentence[i] = kept[i].rstrip(_CLOSERS)[-1:] in _SENTENCE_STOPS
    prose = (words >= _LONG_PROSE_WORDS) | ((words >= _PROSE_WORDS) & sentence)
    # (no Line built yet: each is built when a rule first reads it, PageLines)
    out = PageLines(
        numbers, kept, folds, words.tolist(), partial.tolist(), sentence.tolist(), prose.tolist()
    )
    nos = np.fromiter(numbers, dtype=np.int64, count=n)  # (cheaper than np.array of a list)
    columns = Columns(
        kept,
        folds,
        folded,
        joined,
        codes,
        info,
        starts,
        lengths,
        nos,
        numbers,
        words,
        sentence,
        lasts,
    )
    # A line can only be foreign when the text has a letter of another script at all.
    other = _OTHER_LETTER[script] if script is not None else None
    if other is None or text.isascii():
        return out, columns
    # A foreign line starts foreign: looking at its start spares a scan of every
    # paragraph (an English notice is not a paragraph of an Arabic article). The lines
    # with such a letter there are found at once (script_letters.py), then each asked.
    letters = (info & _OTHER_BIT[script]).astype(bool)
    maybe = lines_with_letter(other, codes, starts, _FOREIGN_HEAD, letters)
    # The text as read decides whether any line is looked at (its lines, NFKC-normalised,
    # can differ from it: "㎞" is no letter, "km" is); when it is normalised, its
    # lines hold the same letters, and `maybe` already says.
    # (asked only when some short line could be foreign: the table reads the whole text)
    maybe = maybe[words[maybe] <= _STARTS_MAX_WORDS]  # notices are short
    if not len(maybe) or (
        changed and not _read_with_letter(other, letters, codes, starts, changed)
    ):
        return out, columns
    # On a page with many such lines (a Cyrillic page quoting English names, mostly) their
    # letters are counted at once over the page's code points (script_letters.
    # script_shares: the regexes' counts, so the same shares); a line it cannot count
    # (a code point above the BMP), or a page with few, is asked the regexes. A line
    # counted there has a letter of the other script at its start (lines_with_letter
    # is exact below the BMP), which the regex would ask.
    rows = maybe.tolist()
    if len(rows) >= _SHARES_AT_ONCE:
        table = share_table(LETTER, tuple(_SCRIPT_SETS.items()))
        shares = script_shares(table, script, codes, starts, lengths, maybe)  # type: ignore[arg-type]
    else:
        shares = [None] * len(rows)
    for i, share in zip(rows, shares, strict=True):
        if share is None:
            raw = kept[i]
            foreign = (
                other.search(raw, 0, _FOREIGN_HEAD) is not None
                and script_share(raw, script) < OTHER_SCRIPT_SHARE  # type: ignore[arg-type]
            )
        else:
            foreign = share < OTHER_SCRIPT_SHARE
        if foreign:  # (built here: a line never built is not foreign, PageLines)
            out.prose[i] = False
            line = out[i]
            line.foreign = True
    return out, columns


def _read_with_letter(
    other: re.Pattern[str],
    letters: np.ndarray,
    codes: np.ndarray,
    starts: np.ndarray,
    changed: dict[int, str],
) -> bool:
    """has_letter(other, text) for the text as read, from its lines as measured: a line
    NFKC left alone holds the same code points, so the table's hits there (`letters`,
    over the page's `codes`) answer for it, and only the lines it changed (`changed`,
    as read) are asked again. Asking the whole text cost some 50 us on each of the
    pages with such a line (issue 16, twenty-first round); a hit above the BMP is left
    to has_letter, which confirms it."""
    hits = letters.nonzero()[0]
    if len(hits):
        owner = starts.searchsorted(hits, side="right") - 1
        alone = np.ones(len(starts), dtype=bool)
        alone[list(changed)] = False
        hits = hits[alone[owner]]
        if len(hits) and (codes[hits] < BMP).any():
            return True
    read = "\n".join(changed.values())
    if len(hits):  # (code points above the BMP in the lines left alone: asked too)
        read += "\n" + "".join(map(chr, codes[hits].tolist()))
    return has_letter(other, read)


def _letters(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def main_script(text: str) -> str | None:
    """Arabic, Latin or Cyrillic when most letters of the text's start are in it.

    The letters counted are those of U+0600-06FF, of ASCII and U+00C0-017F, and of
    U+0400-04FF (what UTF-8's lead bytes D8-DB, ASCII letters and C3-C5, and D0-D3 say):
    one table lookup over the start's code points and one bincount, in C, where eleven
    `bytes.count` passes over its UTF-8 cost five times as much (issue 16)."""
    codes = code_points(text[:1500])
    counts = np.bincount(_SCRIPT_OF.take(codes, mode="clip"), minlength=4).tolist()
    arabic, latin, cyrillic = counts[1], counts[2], counts[3]
    total = arabic + latin + cyrillic
    best, most = "Arabic", arabic
    if latin > most:
        best, most = "Latin", latin
    if cyrillic > most:
        best, most = "Cyrillic", cyrillic
    return best if total >= 20 and most >= 0.6 * total else None


def script_share(text: str, script: str) -> float:
    letters = _letters(LETTER, text)
    return _letters(SCRIPTS[script], text) / letters if letters else 1.0


def hard_wrapped(lines: Sequence[Line]) -> bool:
    """Nearly no line wider than a typewriter's, and most ending mid-sentence at that
    width (a saved web page has paragraphs of hundreds of characters on one line).
    For a short text; a page's lines are judged at once by LineArrays.hard_wrapped."""
    free = [x for x in lines if x.label is None]
    narrow = sum(1 for x in free if len(x.raw) <= WRAP_CHARS[1])
    wrapped = sum(
        1 for x in free if WRAP_CHARS[0] <= len(x.raw) <= WRAP_CHARS[1] and not x.sentence
    )
    return len(free) >= 6 and narrow >= 0.9 * len(free) and wrapped >= 0.5 * len(free)
