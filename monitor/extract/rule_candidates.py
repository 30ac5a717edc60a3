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
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter

import numpy as np

from monitor.extract.line_arrays import LineArrays
from monitor.extract.lines import (
    BYLINE_MAX_WORDS,
    CONTAINS_MAX_WORDS,
    CREDIT_LINE_WORDS,
    LETTER,
    MENU_MAX_WORDS,
    SHORT_WORDS,
    SPAM_MIN_WORDS,
)
from monitor.extract.metadata import DateParser
from monitor.extract.page_lines import Line
from monitor.extract.vocabulary import ALL_KINDS, Vocabulary

# (0-d arrays of the code points' type, and of the counts': a Python int operand costs
# a numpy call some thousands of instructions more, line_arrays.py; issue 16,
# twenty-third round, with _label_structure's sentence ends read in Python: 0.052 M
# instructions a dump fewer)
_CLOSE_ROUND, _CLOSE_SQUARE, _OPEN_ROUND, _OPEN_SQUARE = (
    np.array(ord(c), dtype=np.uint32) for c in ")][("
)
# every date form the parser knows has a year ... (four digits, written so that the
# regex compiler gives `search` the digits as a prefix to skip to: it gives r"\d{4}" none)
YEAR_DIGITS = re.compile(r"\d\d{3}")
DATE_MIN_DIGITS = 5  # ... and a day: "5 mars 2024"; "© 2019", "April 2016" are no date
DATE_MAX_WORDS = 14  # line_rules.label: the date rule's word limit
_NONE, _CREDIT_WORDS, _DATE_WORDS, _DATE_DIGITS = (
    np.array(x, dtype=np.int32) for x in (0, CREDIT_LINE_WORDS, DATE_MAX_WORDS, DATE_MIN_DIGITS)
)
# line_rules.label strips these before looking a short line up in the menu words
NAV_STRIP = " .:|-–—•*·>»«!?؟،,()[]"
_CALL_TO_ACTION = frozenset({"starts"})  # (vocabulary.START_KINDS: v.starts' phrases)


@dataclass(frozen=True)
class Candidates:
    """Lines for the cascade: `sure` ones, and those a loose condition found, which the
    caller (line_rules.label_page) tests exactly before adding them."""

    sure: np.ndarray  # bool per line
    navigation: np.ndarray  # bool per line: the navigation rule alone labels it (see below)
    spam: list[int]  # long lines not ending like a sentence: tag spam?
    relative: list[int]  # short lines with a digit: a relative time?
    dated: list[int]  # lines with five digits where the date rule looks: a date?
    menu_word: list[int]  # lines starting with a menu word: all menu words?
    tail: list[int]  # a slash or colon near the end: a caption's credit?
    menu_possible: np.ndarray  # bool per line: a menu separator, or a menu word first


def candidates(
    lines: Sequence[Line], at: LineArrays, v: Vocabulary, shaped: bool, script: str | None = None
) -> Candidates:
    """The lines some rule of line_rules.label might label (see the module). `script`:
    the page's (start_phrases)."""
    n = len(lines)
    folds = at.folds  # as measured: no rule has folded a long line whole yet
    words, sentence = at.words, at.sentence
    # Any phrase a line can start with: the tags, cut-off, call-to-action, date, source,
    # byline and caption labels, and the credit lines "Avec AFP" (with_label).
    labelled, _ = start_phrases(at, v, script)
    # A bracket closing the line: a credit line "(AFP)", a short credit, a caption's credit.
    lasts = at.lasts
    sure = labelled | (lasts == _CLOSE_ROUND) | (lasts == _CLOSE_SQUARE)
    spam = (words >= SPAM_MIN_WORDS) & ~sentence
    # a relative time "3 hours ago" has a digit; a date five (a day and a year)
    digits = at.digits
    relative = (words <= CREDIT_LINE_WORDS) & ~sentence & (digits > 0)
    dated = (
        (words <= DATE_MAX_WORDS)
        & (labelled | (~sentence & (at.nos > 1)))
        & (digits >= DATE_MIN_DIGITS)
    )
    # menus: bars, bullets or " / " between items, runs of spaces, or menu words only
    menu = words <= MENU_MAX_WORDS
    marked = at.menu_marks() > 0
    sure |= menu & marked
    whole = v.whole
    heads = map(itemgetter(0), map(str.split, folds, repeat(" "), repeat(1)))
    firsts = map(str.strip, heads, repeat(",."))
    first_in_menu = np.fromiter(map(whole.__contains__, firsts), dtype=bool, count=n)
    menu_word = menu & first_in_menu
    navigation = map(whole.__contains__, map(str.strip, folds, repeat(NAV_STRIP)))
    nav = (words <= SHORT_WORDS) & np.fromiter(navigation, dtype=bool, count=n)
    sure |= nav
    # A menu word alone on its line ("Home", "الرئيسية"; a fifth of a page's lines) is
    # labelled by the navigation rule unless a rule before it in the cascade matches:
    # those need a phrase at the start (labelled), a closing bracket (a credit line) or a
    # digit (a relative time). Without any, the cascade's outcome is known.
    nav &= ~labelled & (lasts != _CLOSE_ROUND) & (lasts != _CLOSE_SQUARE) & (digits == 0)
    if shaped:
        furniture = ((words <= CONTAINS_MAX_WORDS) & ~sure).nonzero()[0]
        sure[[i for i in furniture.tolist() if v.contains.search(folds[i])]] = True

    def loose(mask: np.ndarray) -> list[int]:
        return (mask & ~sure).nonzero()[0].tolist()

    tail = loose(at.tail_mark)  # a slash or colon near the end: a caption's credit?
    lists = loose(spam), loose(relative), loose(dated), loose(menu_word), tail
    sure &= ~nav  # (after the loose lists, which leave out every line the cascade sees)
    # what LineRules._menu needs to say yes: a separator, or a menu word first
    return Candidates(sure, nav, *lists, marked | first_in_menu)


def start_phrases(
    at: LineArrays, v: Vocabulary, script: str | None = None, keep: np.ndarray | None = None
) -> tuple[np.ndarray, list[frozenset[str]]]:
    """Bool per line: whether its folded head (as measured) starts with a phrase some
    rule reads (v.any_start); and per line, the kinds of phrase it may start with
    (vocabulary.start_kinds: empty for none). Computed once a page:
    structural_candidates reads the first, and line_rules.label is told the second
    instead of matching the line again (and tries only those kinds' patterns).

    One scan of the heads joined after newlines (v.start_lines: the same phrases
    after a newline, the leading bullets within the line) instead of one match() a
    line; a hit's line is the count of newlines before it (heads hold none). `script`:
    the page's (lines.main_script), whose lines that scan rejects soonest (the same
    hits for any).

    `keep`: the line model's verdicts (bool per line), on a page it decides: a line it
    removes that may start with a call to action and no other kind of phrase is not
    marked in the first (its kinds are still given). The structural cascade does not
    try that rule on it (label: `kept`), and every other rule that could label it is
    marked by another of structural_candidates' masks: a bracket closing a credit line,
    a digit for a relative time, five for a date (the other rules need another kind of
    phrase). Most lines starting with one are such: 4.7 lines a page on the aeb dumps
    left out of the cascade, and most then never built (page_lines.PageLines; issue 16,
    twenty-second round: 6.803 -> 6.728 M instructions a dump). Nor is a removed line
    starting with another kind of phrase whose rules cannot label it
    (_removed_may_label)."""
    out = np.zeros(len(at.folds), dtype=bool)
    kinds = [frozenset()] * len(at.folds)
    kinds_of = v.kinds_of
    joined = "\n" + at.folded
    line, prev = -1, 0
    for hit in v.start_lines(script).finditer(joined):
        at_ = hit.start()
        line += joined.count("\n", prev, at_ + 1)
        prev = at_ + 1
        # (start_kinds inline: the phrase is never None here)
        kinds[line] = kind = kinds_of.get(hit.group(1), ALL_KINDS)
        if (
            keep is None
            or keep[line]
            or (not kind <= _CALL_TO_ACTION and _removed_may_label(at, v, line, kind))
        ):
            out[line] = True
    return out, kinds


def cutoff_marker(v: Vocabulary, folded: str) -> re.Match[str] | None:
    """A "read also" marker starting the folded line as line_rules.label takes it: one
    followed by a separator, or by no word (shared: _removed_may_label must ask of a
    line what label asks)."""
    marker = v.cutoff.match(folded)
    if marker and (marker.group("sep") or not LETTER.search(marker.group("rest"))):
        return marker
    return None


def _removed_may_label(at: LineArrays, v: Vocabulary, i: int, kind: frozenset[str]) -> bool:
    """Whether a rule of the structural cascade that reads a start phrase of `kind` could
    label line i, which the line model removes (start_phrases: `keep`): the rule's own
    test where it is one regex, the shape it needs otherwise. The rules that need no
    such phrase (a credit line "(AFP)", a relative time, a short date line) have their
    own masks in structural_candidates. A long line (its fold only its head) is marked.
    (Issue 16, twenty-second round: 1.3 lines a page on the aeb dumps out of the cascade,
    "Posted", "Image", "Related Topics", "By subscribing I accept ...", most then never
    built; with DateParser.may_hold's line a page: 6.657 -> 6.638 M instructions a dump.)"""
    words = at.words[i]
    if words > CONTAINS_MAX_WORDS:
        return True
    f = at.folds[i]
    if "tags" in kind and v.tags.match(f):
        return True
    # (a short line has fewer than the 25 words after a cut-off marker label() allows)
    if "cutoff" in kind and cutoff_marker(v, f):
        return True
    if "date" in kind and words <= DATE_MAX_WORDS and at.digits[i] >= DATE_MIN_DIGITS:
        return True
    if ("caption" in kind and v.caption_label.match(f)) or (
        "shows" in kind and v.caption_starts.match(f)
    ):
        return True
    if at.sentence[i]:
        return False
    return (
        "source" in kind
        or ("byline" in kind and words <= BYLINE_MAX_WORDS)
        or ("with" in kind and words <= CREDIT_LINE_WORDS)
    )


def lines_matching(pattern: re.Pattern[str], folds: Sequence[str], rows: list[int]) -> list[int]:
    """The rows whose line `pattern` finds a match in: one scan of those lines joined
    with newlines, not one search a line. The same rows for a pattern that
    matches no newline and asks of a match's edges only that no word character is beside
    it, as v.relative (a newline is none, as a line's edge). Some 16 short lines with a
    digit a page on the aeb dumps, 0.3 of them a relative time (issue 16, twenty-third
    round: 6.238 -> 6.225 M instructions a dump)."""
    if not rows:
        return rows
    joined = "\n".join(map(folds.__getitem__, rows))
    hits: list[int] = []
    line, prev = 0, 0
    for hit in pattern.finditer(joined):
        at_ = hit.start()
        line += joined.count("\n", prev, at_)
        prev = at_
        if not hits or hits[-1] != rows[line]:
            hits.append(rows[line])
    return hits


def structural_candidates(
    at: LineArrays,
    v: Vocabulary,
    labelled: np.ndarray | None = None,
    keep: np.ndarray | None = None,
    dates: DateParser | None = None,
) -> np.ndarray:
    """Bool per line: whether the structural cascade (line_rules.label with `structural`)
    could label it: a phrase at the start (a "read also" marker, a tag, date, source,
    byline or caption label, a call to action, "Avec AFP"), a bracket closing the line
    ("(AFP)", a caption's credit), a short line with a digit (a relative time "3 hours
    ago") or with five (a date: a day and a year). Only the start phrases need a
    regex on every line; the rest are masks over the page's arrays, then a regex on the
    few lines they leave. (A caption's credit after a slash or colon near the end is
    tested by the caller, which holds the rule.) `labelled`: start_phrases(at, v), when
    the caller has it. `keep`: the line model's verdicts (bool per line), when it ran
    first: of the rules a closing bracket serves, only the credit line "(AFP)" is tried
    on a line it removes (label: `kept`), so such a line is marked for its bracket only
    when short, no sentence and opened by a bracket too (issue 16, twenty-second round:
    4 lines a page on the aeb dumps, out of the cascade; its digits, if any, are the
    other masks' to mark: 6.713 -> 6.670 M instructions a dump)."""
    words, sentence, digits, folds = at.words, at.sentence, at.digits, at.folds
    lasts = at.lasts
    sure = start_phrases(at, v)[0] if labelled is None else labelled.copy()
    brackets = (lasts == _CLOSE_ROUND) | (lasts == _CLOSE_SQUARE)
    # (`> sentence` for `& ~sentence`; a list of hits written only when it has one:
    # numpy's fancy assignment costs a few thousand instructions even for an empty list)
    short = (words <= _CREDIT_WORDS) > sentence
    if keep is not None:
        firsts = at.first_codes
        brackets &= keep | (short & ((firsts == _OPEN_ROUND) | (firsts == _OPEN_SQUARE)))
    sure |= brackets
    relative = (short & (digits > _NONE)) > sure  # (& ~sure)
    if hits := lines_matching(v.relative, folds, relative.nonzero()[0].tolist()):
        sure[hits] = True
    dated = ((words <= _DATE_WORDS) > sentence) & (digits >= _DATE_DIGITS)
    # (not the input's first line: only the page's first line can be, as at.nos > 1 says)
    if at.numbers[:1] == [1]:
        dated[0] = False
    np.greater(dated, sure, out=dated)  # (dated &= ~sure, one call: `>` on bool masks)
    # `dates`: the cascade's parser, whose necessary condition (DateParser.may_hold: a
    # dash, slash or dot, or a month name) leaves out a third of these lines, a line a
    # page on the aeb dumps, kept or removed: the date rule is the only one this mask
    # serves (issue 16, twenty-second round, with _removed_may_label: 6.657 -> 6.638 M
    # instructions a dump, both trees counted side by side; alone the counts drift by
    # some 0.03 on this loaded machine)
    year = YEAR_DIGITS.search
    if hits := [
        i
        for i in dated.nonzero()[0].tolist()
        if year(f := folds[i]) and (dates is None or dates.may_hold(f))
    ]:
        sure[hits] = True
    return sure
