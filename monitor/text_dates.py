"""Weekdays a report names: when, read from the text of a file that has no date.

Why (issue 18): an undated report has only its words to go on, and undated reports of
look-alike events (two sanctions packages months apart, told in the same words) are what
the story step splits or joins wrongly. Most of them still say when: "اليوم الأربعاء",
"أمس الخميس", "(الجمعة)", "on Wednesday" (on the real set's dev split, 40 of its 55
undated reports name a weekday; few name a day of the month, and those the set's makers
already read as the report's date). The weekday named is the event's day or the report's,
a day the dated reports of the same event carry; a look-alike event weeks or months away
falls on another weekday six times in seven. That is evidence of time, weaker than a date:
an undated report whose weekday agrees with a story's dated reports meets a bar of its own
(`[stories] weekday_similarity`, 0.45), between the dated (0.3) and the undated one (0.55).

Months named (Egyptian يونيو, Levantine حزيران, Maghreb جوان, English) were measured the
same way and left out: counted in any number they merged the seeds' two visits (a report
names the months of a whole story), and limited to reports naming one month they changed
nothing on the dev split. When the report arrived cannot stand in for its date in
`make eval` (every undated report there arrives at one moment), so it is not used.
"""

from __future__ import annotations

from datetime import date, timedelta

# Normalised forms (monitor.text.normalize.words: alef and ta marbuta folded, lower case),
# with and without the article; Monday is 0, as date.weekday() counts.
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5,
    "الاحد": 6,
}  # fmt: skip
SPAN = 7  # a story whose dated reports span a week or more covers every weekday
ALL = (1 << 7) - 1
# An undated report naming more weekdays than this tells of several days (a visit's
# schedule): its weekdays are no evidence. With no limit, the seeds' 2024 visit reports
# (four weekdays named) met the 2023 visit's dated report and the two visits merged.
TELLING_WEEKDAYS = 2


def weekdays_named(words: list[str]) -> int:
    """The weekdays named, as a bit set (bit 0: Monday); 0 when none."""
    mask = 0
    for word in words:
        day = _WEEKDAYS.get(word)
        if day is None and word[:1] in "وفب" and len(word) > 4:
            day = _WEEKDAYS.get(word[1:])  # والخميس, بالامس: one clitic at most
        if day is not None:
            mask |= 1 << day
    return mask


def weekdays_said(words: list[str]) -> int:
    """The weekdays an undated report's words name, when they say when: a report that
    names more than TELLING_WEEKDAYS tells of several days, and agrees with any story."""
    named = weekdays_named(words)
    return named if named.bit_count() <= TELLING_WEEKDAYS else 0


def span_weekdays(first: date, last: date) -> int:
    """The weekdays from `first` to `last`, as a bit set; all seven for a week or more."""
    if (last - first).days + 1 >= SPAN:
        return ALL
    mask = 0
    day = first
    while day <= last:
        mask |= 1 << day.weekday()
        day += timedelta(days=1)
    return mask


def weekdays_agree(named: int, lo: str, hi: str) -> bool:
    """Does a weekday named fall on a day from `lo` to `hi` (a story's dated reports)?
    A span of a week or more says nothing. The dated reports' own days, without a day's
    slack either side: with one (a report of the day after names the event's day), a
    story of two or three days covered most of the week and the bar cost precision on the
    real set's dev split (stream B-cubed precision 0.836 against 0.871 at a bar of 0.4)."""
    covered = span_weekdays(date.fromisoformat(lo), date.fromisoformat(hi))
    return bool(named & covered) and covered != ALL
