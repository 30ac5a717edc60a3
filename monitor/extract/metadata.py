"""Title, publication date, source and dateline, read from lines of plain text.

Why our own small date parser rather than dateparser: measured here, dateparser 1.2 found
no date in "تاريخ النشر: 11th, September 2023 GMT", "Published: 3 March 2024", "Publié le
5 mars 2024" or any Levantine month ("١١ كانون الثاني ٢٠٢٤"), and its first call took 2 s.
The forms news pages print are few: day-month-year and month-day-year with month names
from the vocabulary files (every language, the three Arabic series), ISO and numeric dates.
Parsing folded text with one compiled pattern per form costs microseconds, and a line
without a day, a month and a year never yields a date, so "the 2026 budget" stays a
budget (trafilatura's extensive search turned it into 2026-01-01, NOTES.md).
"""

from __future__ import annotations

import re
from datetime import date

from monitor.extract.vocabulary import alternation

# Optional parts are written `(?:...|)`, not `(?:...)?`: the same matches tried in the same
# order, but sre runs a group's `?` as a repeat, which allocates its state each time it is
# entered (the ordinal at every run of digits of a line): a branch does not (issue 16,
# twenty-first round: the day-first form 1.31 -> 1.05 us a search on the aeb dumps).
_ORDINAL = r"(?:st|nd|rd|th|er|e|ᵉʳ|\.|)"
_YEAR = r"((?:19|20)\d\d|[١٢][٠-٩]{3}|[۱۲][۰-۹]{3})"
# "(?<!\d)(\d{1,2})" with the lookbehind after the first digit (the character before it
# is no digit): a pattern led by a lookbehind gets no prefix from the regex compiler,
# and `search` tried it at every position of a line instead of skipping to the digits.
_DAY = r"(\d(?<!\d\d)\d?)"
_YEAR_FIRST = r"(\d(?<!\d\d)\d{3})"  # (?<!\d)(\d{4}), the same way
_DASH, _SLASH, _DOT = 1, 2, 4  # the separators a numeric date form needs one of
_NAME = 8  # ... and what the named forms need: a month name
_DIGIT = re.compile(r"\d")

# A site or section name after the headline: "Headline | Politics", "Headline - Site".
# (r"\s\s*" for r"\s+": the regex compiler gives `search` a prefix to skip to then)
_PIPE_SUFFIX = re.compile(r"\s\s*[|｜]\s+[^|｜]{1,60}$")
_DASH_SUFFIX = re.compile(r"\s\s*[-–—]\s+(?P<site>[^-–—]{1,40})$")
_WORD = re.compile(r"\w+")

# Datelines at the start of a story's first paragraph.
_DATELINES = (
    # "(سيئول) –", "(AFP) -"
    re.compile(r"^\((?P<place>[^()\n]{2,40})\)\s*[-–—:]\s*"),
    # "MOSCOW (Reuters) -", "Paris (AFP) —", "موسكو (رويترز) -"
    re.compile(r"^(?P<place>[^\W\d_][^()\n\-–—]{1,40}?\s*\([^()\n]{2,25}\))\s*[-–—:]\s+"),
    # "WASHINGTON —", "NEW YORK, March 3 -", "МОСКВА, 5 марта -"
    re.compile(r"^(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ .'’]{2,30}(?:,[^-–—\n]{1,25})?)\s*[-–—]\s+"),
    # "القاهرة - ": one or two Arabic words, then a dash
    re.compile(r"^(?P<place>[\u0600-\u06ff]{2,}(?: [\u0600-\u06ff]{2,})?)\s+[-–—]\s+"),
)


class DateParser:
    """Finds the first full date (day, month and year) in a folded line."""

    def __init__(self, months: dict[str, int]) -> None:
        self._months = months
        # A trie of the names (vocabulary.py): a flat alternation of some 150 names was
        # tried name by name at every position of a line.
        names = alternation(months)
        month = rf"({names})\.?"
        # "11 أيلول/سبتمبر 2023", "11 تموز/ يوليو", "5 de marzo de 2024", "11th, September 2023"
        alt = rf"(?:\s*[/(]\s*(?:{names})\.?\s*\)?|)"
        # Any month name: the named forms hold one (a line without one, a third of those
        # parsed on the aeb dumps, is not searched for them). A bare trie: its first
        # characters give `search` a set to skip to.
        self._month_name = re.compile(names)
        # Each form with what a line needs for it: one of the characters (_DASH, _SLASH,
        # _DOT) or a month name (_NAME; 0: no such test), and whether its match starts
        # with a digit (see parse). Month-day-year first, where most of the aeb dumps'
        # dates are found: its match starts with a month name, a letter, the others'
        # with a digit, so no other form matches where it does and the order changes
        # no date found (the others keep theirs).
        self._forms: tuple[tuple[re.Pattern[str], tuple[int, int, int], int, bool], ...] = (
            (
                re.compile(rf"(?<!\w){month}\s+(\d{{1,2}}){_ORDINAL},?\s+{_YEAR}(?!\d)"),
                (2, 1, 3),
                _NAME,
                False,
            ),
            (
                re.compile(
                    rf"{_DAY}{_ORDINAL},?\s*(?:de\s+|){month}{alt},?\s*(?:de\s+|del\s+|){_YEAR}(?!\d)"
                ),
                (1, 2, 3),
                _NAME,
                True,
            ),
            (re.compile(rf"{_YEAR_FIRST}-(\d{{1,2}})-(\d{{1,2}})(?!\d)"), (3, 2, 1), _DASH, True),
            (re.compile(rf"{_YEAR_FIRST}/(\d{{1,2}})/(\d{{1,2}})(?!\d)"), (3, 2, 1), _SLASH, True),
            (
                re.compile(rf"{_DAY}[/.\-](\d{{1,2}})[/.\-]{_YEAR}(?!\d)"),
                (1, 2, 3),
                _SLASH | _DOT | _DASH,
                True,
            ),
        )

    def _held(self, folded: str) -> int:
        """What of the forms' needs the line holds, as bits: a dash, slash or dot (three
        `in` tests a line, where a map over a form's characters cost a map and an any()
        a form) and a month name."""
        held = ("-" in folded) * _DASH | ("/" in folded) * _SLASH | ("." in folded) * _DOT
        return held | _NAME if self._month_name.search(folded) else held

    def may_hold(self, folded: str) -> bool:
        """Whether parse could find a date in `folded`: each form needs a dash, slash or
        dot (the numeric ones) or a month name (the named ones), parse's first test. A
        third of the short lines with five digits and a year hold neither ("2014年4月",
        "Washington, DC 20036"): rule_candidates.structural_candidates leaves them out."""
        # (the month name searched for only on a line without one of the characters, not
        # with _held's three tests and search on every line: issue 16, twenty-third
        # round: 6.011 -> 5.994 M instructions a dump)
        return (
            "-" in folded
            or "/" in folded
            or "." in folded
            or self._month_name.search(folded) is not None
        )

    def parse(self, folded: str) -> str | None:
        """ISO date of the first full date in the text, or None."""
        best: tuple[int, str] | None = None
        held = self._held(folded)
        digit_before = True  # whether a digit precedes the best date found yet
        for pattern, (d, m, y), needs, digit_first in self._forms:
            if needs and not needs & held:
                continue
            # A form starting with a digit finds no earlier date where none precedes the
            # one found: most lines stop at their month-day-year date (issue 16,
            # twenty-second round, with the month name asked first: 2.55 -> 1.18 forms
            # searched a parse on the aeb dumps, beside a search for a month name and,
            # after a date, one for a digit before it)
            if digit_first and not digit_before:
                continue
            found = pattern.search(folded)
            if found is None or (best is not None and found.start() >= best[0]):
                continue
            month_text = found.group(m)
            numeric = month_text.isdigit()
            month = int(month_text) if numeric else self._months.get(month_text)
            day, year = int(found.group(d)), int(found.group(y))
            if numeric and month is not None and month > 12 >= day:
                day, month = month, day  # 09/25/2024: the month came first after all
            iso = _iso(year, month, day)
            if iso is not None:
                best = (found.start(), iso)
                digit_before = _DIGIT.search(folded, 0, best[0]) is not None
        return best[1] if best else None


def _iso(year: int, month: int | None, day: int) -> str | None:
    if month is None or not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def strip_site_suffix(title: str) -> str:
    """Drop a site or section name after the headline.

    A pipe almost never belongs to a headline, so what follows the last one goes when it
    is short. A dash often does ("Putin - Kim summit ends"): only a short tail that looks
    like a name, after a headline of at least four words, goes.
    """
    title = title.strip()
    pipe = _PIPE_SUFFIX.search(title)
    if pipe and len(_WORD.findall(title[: pipe.start()])) >= 3:
        return title[: pipe.start()].rstrip()
    dash = _DASH_SUFFIX.search(title)
    if (
        dash
        and _looks_like_a_name(dash.group("site"))
        and len(_WORD.findall(title[: dash.start()])) >= 4
    ):
        return title[: dash.start()].rstrip()
    return title


def _looks_like_a_name(text: str) -> bool:
    """ "BBC News", "Le Monde", "عربي21": short, and in scripts with capitals, capitalised
    ("erstmals Flüssiggas betroffen" is the headline's own tail)."""
    words = _WORD.findall(text)
    if not 1 <= len(words) <= 4:
        return False
    cased = [w for w in words if w[0].isalpha() and w[0].lower() != w[0].upper()]
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in cased)


_NAME_PARTICLES = {"de", "du", "la", "le", "der", "die", "das", "of", "the", "del", "el", "al"}


def split_dateline(line: str) -> tuple[str | None, str]:
    """("سيئول", rest) for "(سيئول) – rest"; (None, line) when there is no dateline."""
    # Every form holds a bracket (the first two) or a dash (the last two): a line with
    # neither, most headlines, is not matched four times (issue 16, seventeenth round:
    # the title rule asks this of each line at the page's head)
    if "(" not in line and "-" not in line and "–" not in line and "—" not in line:
        return None, line
    for pattern in _DATELINES:
        found = pattern.match(line)
        if found and len(_WORD.findall(found.group("place"))) <= 5 and line[found.end() :]:
            return found.group("place").strip(), line[found.end() :].lstrip()
    return None, line


def value_after_label(line: str) -> str:
    """What follows the first label separator: "المصدر: عربي21" -> "عربي21"."""
    found = re.search(r"[:：\-–—|]", line)
    return line[found.end() :].strip() if found else ""
