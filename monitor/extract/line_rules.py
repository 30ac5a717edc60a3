"""The rules that label a line by itself: what it starts with, its shape, its credits.

Each line is read once, in order, before any rule over the whole text: a label ("Tags:",
"Photo:"), a "read also" marker (resolved later, page_rules.cut_off), an agency credit,
a relative time, a menu or share bar, a call to action, a date, a source, a byline, a
caption's credit, tag spam. The metadata they find (publication date, source) goes into
`found`, first one wins. Apart from the rules over the whole text (page_rules.py)
because these need nothing but the line and the vocabulary, and the order they are
tried in is the whole of their logic: it reads as one cascade.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np

from monitor.extract.line_arrays import LineArrays
from monitor.extract.lines import (
    BYLINE_MAX_WORDS,
    CONTAINS_MAX_WORDS,
    CREDIT_LINE_WORDS,
    HEAD_LINES,
    LABEL_VALUE_MAX_WORDS,
    LETTER,
    MENU_MAX_WORDS,
    OTHER_SCRIPT_SHARE,
    SCRIPTS,
    SHORT_WORDS,
    SPAM_MIN_WORDS,
    SPAM_UNIQUE_SHARE,
    STARTS_MAX_WORDS,
    WORD,
    script_share,
)
from monitor.extract.metadata import DateParser
from monitor.extract.metadata import value_after_label as _value_after_label
from monitor.extract.page_lines import Line, set_label
from monitor.extract.rule_candidates import (
    DATE_MIN_DIGITS,
    NAV_STRIP,
    YEAR_DIGITS,
    candidates,
    cutoff_marker,
    start_phrases,
    structural_candidates,
)
from monitor.extract.vocabulary import Vocabulary, fold, start_kinds
from monitor.text.normalize import normalize_lines

# Where a "read also" marker ends and the linked title begins.
_MARKER_END = re.compile(r"\s*(?:[:：|»>…]|\s[-–—]\s|\.\.+)")
# Menu items are parted by bars, bullets, arrows, " / ", or runs of spaces left by the
# layout (the characters |•·»> are _menu's `in` tests, once a regex _MENU_CHARS)
_MENU_SEPARATOR = re.compile(r"\s[|•·»>/]\s|\s?[|•·]\s?|\s{2,}")
# "REUTERS/Lee Jae-won", "AP Photo/Ahn Young-joon" closing a caption.
_AGENCY_SLASH_END = re.compile(r"\b[A-Z]{2,}(?: Photo)?/[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}\s*$")
# A short line ending in a bracketed name, without a full stop: "Hall during the vote (AP)".
_SHORT_CREDIT = re.compile(r"[(\[][^()\[\]\d]{1,40}[)\]]\s*$")  # a name: no score, no year
_ONLY_BRACKETED = re.compile(r"^[(\[]\s*(?P<inner>[^()\[\]]{2,30}?)\s*[)\]]$")
_DIGIT = re.compile(r"\d")
NAVIGATION = "site navigation or button"
_CREDIT_TAIL = 60  # characters at a caption's end that may hold "Foto: dpa"
_SENTENCE_END = frozenset(".!?")  # (none ends a credit at a line's end: _credit_at_end)
# A credit closing a caption: "[Name/Agency via AP]", "(AP Photo/Name)".
_BRACKET_END = re.compile(r"[\[(](?P<inner>[^\[\]()]{2,120})[\])]\s*$")


class LineRules:
    """Built once from the vocabulary; label() is then pure and thread-safe."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._v = vocabulary
        self._dates = DateParser(vocabulary.months)

    def label_page(
        self,
        lines: Sequence[Line],
        at: LineArrays | None,
        script: str | None,
        found: dict[str, str],
        shaped: bool = True,
        structural: bool = False,
        keep: np.ndarray | None = None,
    ) -> list[int]:
        """label() for every line that some rule could label (rule_candidates.py): the
        same labels as label() on every line, without the cascade for the others.
        Without the page's arrays (a short text), label() for every line.
        `structural`: a page the line model decides (_label_structure); `keep`: its
        verdicts, when it ran first (bool per line).
        Returns the indices of the "read also" markers found (for page_rules.cut_off)."""
        if at is None:
            return self._label_each(lines, range(len(lines)), script, found, shaped)
        if structural:
            return self._label_structure(lines, at, script, found, shaped, keep)
        c = candidates(lines, at, self._v, shaped, script)
        for i in c.navigation.nonzero()[0].tolist():  # what label() would give them
            lines[i].label, lines[i].why = "boilerplate", NAVIGATION
        maybe = c.sure
        v = self._v
        # each loose condition tested as the rule tests it; a line meeting one goes on
        for i in c.spam:
            maybe[i] = self._spam(lines[i])
        for i in c.relative:
            maybe[i] = maybe[i] or v.relative.search(lines[i].fold) is not None
        for i in c.dated:
            maybe[i] = maybe[i] or YEAR_DIGITS.search(lines[i].fold) is not None
        for i in c.menu_word:
            maybe[i] = maybe[i] or self._menu(lines[i])
        for i in c.tail:
            maybe[i] = maybe[i] or self._credit_at_end(lines[i], script)
        which = maybe.nonzero()[0]
        # what the page's arrays already say of each line, so that the cascade does not
        # search it again: its digits (a date needs five, a relative time one) and
        # whether a menu is possible (a separator, or a menu word first)
        digits, menus = at.digits[which].tolist(), c.menu_possible[which].tolist()
        return self._label_each(lines, which.tolist(), script, found, shaped, digits, menus)

    def _label_structure(
        self,
        lines: Sequence[Line],
        at: LineArrays,
        script: str | None,
        found: dict[str, str],
        shaped: bool,
        keep: np.ndarray | None = None,
    ) -> list[int]:
        """label_page where the line model decides: the whole cascade for the lines
        above the headline (the page rules find the title among the lines it leaves
        free: a breadcrumb "Home > Analysis" must not become it), and below them only
        the structural rules (label with `structural`), on the lines they could label.
        `keep` (the model's verdicts, when it ran first): the rules that only remove a
        line (a call to action, a caption) are not tried on the lines it removes; the
        metadata and cut-off rules are, since what they find is kept apart."""
        head = min(HEAD_LINES, len(lines))
        # (matched once: label() is told which kinds of phrase each line starts with)
        labelled, kinds = start_phrases(at, self._v, script, keep)
        # (the head's lines told their digits and start phrases too, as label_page tells
        # every line it labels: no match of v.any_start a line again)
        markers = self._label_each(
            lines,
            range(head),
            script,
            found,
            shaped,
            digits=at.digits[:head].tolist(),
            starts=kinds[:head],
        )
        sure = structural_candidates(at, self._v, labelled, keep, self._dates)
        # a caption's credit after a slash or colon near the end: "Foto: dpa", "REUTERS/X"
        # (a line ending like a sentence has none, asked of the raw line's last character
        # on the 1.7 lines a page left, not with five numpy calls over the page's lines:
        # issue 16, twenty-third round, with structural_candidates' 0-d operands, 0.052 M
        # instructions a dump fewer)
        tails = at.tail_mark > sure  # (& ~sure: `>` on bool masks)
        if keep is not None:
            tails &= keep
        raws = at.raws
        for i in tails.nonzero()[0].tolist():
            if raws[i][-1] not in _SENTENCE_END:  # (asked of the raw text: no Line built)
                sure[i] = self._credit_at_end(lines[i], script)
        which = sure[head:].nonzero()[0] + head
        kept = keep[which].tolist() if keep is not None else None
        digits = at.digits[which].tolist()
        rows = which.tolist()
        starts = [kinds[i] for i in rows]
        markers += self._label_each(
            lines, rows, script, found, shaped, digits, None, kept, True, starts
        )
        return markers

    def _label_each(
        self,
        lines: Sequence[Line],
        which: Iterable[int],
        script: str | None,
        found: dict[str, str],
        shaped: bool,
        digits: Iterable[int] | None = None,
        menus: Iterable[bool] | None = None,
        kept: Iterable[bool] | None = None,
        structural: bool = False,
        starts: Iterable[frozenset[str]] | None = None,
    ) -> list[int]:
        """label() for lines[i] of each i in `which`, with the page's hints per line
        (None: not known, every rule is tried); the indices of the "read also" markers."""
        markers = []
        hints = zip(
            which,
            repeat(DATE_MIN_DIGITS) if digits is None else digits,  # (repeat: endless)
            repeat(True) if menus is None else menus,
            repeat(True) if kept is None else kept,
            repeat(None) if starts is None else starts,
            strict=False,
        )
        for i, digit_count, menu, keep, start in hints:
            line = lines[i]
            self.label(line, script, found, shaped, digit_count, menu, keep, structural, start)
            if line.why.startswith("cutoff:"):
                markers.append(i)
        return markers

    def label(
        self,
        line: Line,
        script: str | None,
        found: dict[str, str],
        shaped: bool = True,
        digits: int = DATE_MIN_DIGITS,
        menu: bool = True,
        kept: bool = True,
        structural: bool = False,
        starts: frozenset[str] | None = None,
    ) -> None:
        """Rules that need nothing but the line itself (and whether it is the first).
        What the page's arrays know of the line (label_page), so that rules that cannot
        match are not tried: `digits`, its count of digits (a date needs five, a relative
        time one; the default tries both), and `menu`, whether a menu is possible (a
        separator, or a menu word first). `kept`: whether the line model keeps the line
        (structural only): if not, the rules that only remove a line (call to action,
        captions) are not tried.
        `structural`: only the rules the line model does not stand in for (tag list,
        cut-off, credit, relative time, call to action, date, source, byline, captions),
        in the same order; the model decides the rest (rule_candidates.
        structural_candidates says which lines these rules could label).
        `starts`: the kinds of phrase of v.any_start the line's head may start with
        (vocabulary.start_kinds; empty: none), when the caller matched it already
        (rule_candidates.start_phrases; None: matched here)."""
        v, f, n = self._v, line.fold, line.words
        # One pattern holding every phrase a line can start with: most lines start with
        # none, and then the label rules below are skipped at the cost of one; a line
        # that does is asked only the patterns of the kinds its phrase can be.
        if starts is None:
            found_start = v.any_start.match(f)
            starts = start_kinds(v, found_start.group(1) if found_start else None)
        if "tags" in starts and v.tags.match(f):
            return set_label(line, "boilerplate", "tag list ('tags:' label)")
        if n > STARTS_MAX_WORDS:  # a paragraph: only a credit or tag spam can mark it
            if structural and not kept:  # (removed by the model)
                return None
            return self._caption_or_spam(line, script, structural)
        marker = cutoff_marker(v, f) if "cutoff" in starts else None
        if marker:
            rest_words = (
                n - len(marker.group(1).split())
                if line.partial
                else len(LETTER.findall(marker.group("rest")))
            )
            if rest_words <= 25:
                kind = "standalone" if rest_words == 0 else "inline"
                shown = _MARKER_END.split(line.raw, maxsplit=1)[0].strip(" \t:：")
                return set_label(line, "boilerplate", f"cutoff:{kind}:{shown}")
        if n <= CREDIT_LINE_WORDS and not line.sentence:
            if credit := self._credit_line(line, "with" in starts):
                found.setdefault("source", credit)
                return set_label(line, "metadata", "agency or source credit")
            if digits and _DIGIT.search(f) and v.relative.search(f):
                return set_label(line, "metadata", "relative publication time")
        if not structural and n <= SHORT_WORDS and f.strip(NAV_STRIP) in v.whole:
            return set_label(line, "boilerplate", NAVIGATION)
        if not structural and n <= MENU_MAX_WORDS and menu and self._menu(line):
            return set_label(line, "boilerplate", "navigation menu, breadcrumb or share bar")
        if structural:
            if kept and "starts" in starts and v.starts.match(f):
                return set_label(line, "boilerplate", "call to action or site furniture")
            if not self._metadata(line, found, digits, starts) and kept:
                self._captions(line, script, shaped, structural)
            return None
        if "starts" in starts and v.starts.match(f):
            return set_label(line, "boilerplate", "call to action or site furniture")
        if shaped and n <= CONTAINS_MAX_WORDS and v.contains.search(f):
            return set_label(line, "boilerplate", "site furniture (copyright, newsletter, cookies)")
        if self._metadata(line, found, digits, starts):
            return None
        return self._captions(line, script, shaped)

    def _captions(
        self, line: Line, script: str | None, shaped: bool, structural: bool = False
    ) -> None:
        """The cascade's last rules: a short line closed by a credit, a caption's credit
        (and, but where the line model decides, tag spam)."""
        if (
            shaped
            and line.no > 1
            and line.words <= 20
            and not line.sentence
            # (a stripped line: what the regex needs at its end, asked first)
            and line.raw[-1] in ")]"
            and _SHORT_CREDIT.search(line.raw)
        ):
            return set_label(line, "caption", "short line closed by a bracketed credit")
        return self._caption_or_spam(line, script, structural)

    def _metadata(
        self, line: Line, found: dict[str, str], digits: int, starts: frozenset[str]
    ) -> bool:
        """The cascade's date, source, byline and caption-label rules, in its order:
        whether one labelled the line. `starts`: the kinds of phrase the line may start
        with (label)."""
        v, f, n = self._v, line.fold, line.words
        # A date line: labelled ("Published: ..."), or a short line that is no sentence
        # ("الاثنين 11 سبتمبر 2023 - 10:30", "Par Julien Marchand, le 3 avril 2024"); a
        # sentence that mentions a date is neither, nor is the first line (a headline).
        if n <= 14 and (
            ("date" in starts and v.date_label.match(f)) or (not line.sentence and line.no > 1)
        ):
            published = digits >= DATE_MIN_DIGITS and YEAR_DIGITS.search(f) and self._dates.parse(f)
            if published:
                found.setdefault("published", published)
                set_label(line, "metadata", "publication date")
                return True
        if "source" in starts and v.source_label.match(f) and not line.sentence:
            value = _value_after_label(line.raw)
            if value and len(WORD.findall(value)) <= LABEL_VALUE_MAX_WORDS:
                found.setdefault("source", value)
                set_label(line, "metadata", "source credit")
                return True
        if "byline" in starts and self._byline(line):
            set_label(line, "metadata", "byline")
            return True
        if ("caption" in starts and v.caption_label.match(f)) or (
            "shows" in starts and v.caption_starts.match(f)
        ):
            set_label(line, "caption", "photo caption ('photo:' label)")
            return True
        return False

    def _credit_line(self, line: Line, labelled: bool = True) -> str | None:
        """ "(AFP)", "Avec Reuters", "Mit Material von dpa": the agency a story came from.
        `labelled`: whether the line may start with a phrase of v.with_label (label:
        the kinds of its start phrase; False: "Avec ..." is not looked for). The regexes
        run on some 20 short lines a page: each is asked only where it could match."""
        raw = line.raw
        alone = _ONLY_BRACKETED.match(raw) if raw[:1] in ("(", "[") else None
        if alone:
            inner = alone.group("inner")
            return None if self._v.caption_label.match(fold(inner)) else inner
        with_label = self._v.with_label.match(line.fold) if labelled else None
        if with_label:
            words = line.raw.split()
            return " ".join(words[len(with_label.group(1).split()) :]) or None
        return None

    def _menu(self, line: Line) -> bool:
        """Menu items on one line: "Home | World | Politics", "Home > News > Asia",
        or nothing but menu words ("Facebook Twitter WhatsApp")."""
        raw = line.raw
        # (a separator asked with `in`, not the regex r"[|•·»>]| / ": a search's call cost
        # more than the six scans of a short line; with _captions' closing bracket asked
        # before its regex, issue 16, twenty-third round: 5.994 -> 5.973 M instructions
        # a dump)
        if (
            "  " in raw
            or "|" in raw
            or ">" in raw
            or "•" in raw
            or "·" in raw
            or "»" in raw
            or " / " in raw
        ):
            # folded in one pass (normalize_lines), not one fold() an item
            items = normalize_lines([i for i in _MENU_SEPARATOR.split(line.raw) if i.strip()])
            if len(items) >= 3 and all(len(i.split()) <= 3 for i in items):
                return True
            # "Advertisement · Scroll to continue": two items, one of them menu furniture.
            if len(items) == 2 and all(len(i.split()) <= 4 for i in items):
                whole = self._v.whole
                if any(i.strip(" .:*-–—!?") in whole or self._v.starts.match(i) for i in items):
                    return True
        whole = self._v.whole
        if line.fold.split(" ", 1)[0].strip(",.") not in whole:  # most lines: one lookup
            return False
        tokens = line.fold.split()
        return len(tokens) >= 3 and all(t.strip(",.") in whole for t in tokens)

    def _caption_or_spam(self, line: Line, script: str | None, structural: bool = False) -> None:
        if self._credit_at_end(line, script):
            return set_label(line, "caption", "photo caption with a bracketed credit")
        if not structural and self._spam(line):
            return set_label(
                line, "boilerplate", "tag spam: the same words repeated across the line"
            )
        return None

    @staticmethod
    def _spam(line: Line) -> bool:
        # Tag spam never ends like a sentence; the check spares every paragraph a set().
        n = line.words
        return (
            n >= SPAM_MIN_WORDS
            and not line.sentence
            and len(set((line.raw if line.partial else line.fold).split())) <= SPAM_UNIQUE_SHARE * n
        )

    def _byline(self, line: Line) -> bool:
        found = self._v.byline_label.match(line.fold)
        if not found or line.sentence or line.words > BYLINE_MAX_WORDS:
            return False
        rest = line.raw.split(None, len(found.group(1).split()))[-1:]
        names = rest[0].split() if rest else []
        if not names:
            return False
        # In scripts with capitals, a byline starts with a name: "By Anna Müller, Korrespondentin
        # in Istanbul" is one, "By then it was over" and "By Monday, the talks" are not.
        first = [w for w in names[:2] if SCRIPTS["Latin"].match(w)]
        return all(w[0].isupper() for w in first)

    def _credit_at_end(self, line: Line, script: str | None) -> bool:
        tail = line.raw[-_CREDIT_TAIL:]
        # A line ending like a sentence has no credit at its end: each form below ends
        # with a name, a caption's short value or a bracket (most paragraphs stop here).
        if tail[-1:] in _SENTENCE_END:
            return False
        # Cheap character checks first: most lines hold neither a slash nor a colon there.
        if "/" in tail and _AGENCY_SLASH_END.search(tail):
            return True
        if (":" in tail or "：" in tail) and self._v.caption_tail.search(fold(tail)):
            return True
        found = _BRACKET_END.search(line.raw) if line.raw[-1] in ")]" else None
        if not found:
            return False
        inner = found.group("inner")
        if "/" in inner or self._v.credit.search(fold(inner)):
            return True
        return script is not None and script_share(inner, script) < OTHER_SCRIPT_SHARE
