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
`make eval` (every undated report there arrives at one moment), so by default it is not
used as a date; `[stories] arrival_dates` (date_said) reads one day named against the
arrival, and a story dated within the window of that day is met at the dated bar: for a
daemon fed as things happen, measured with the evaluation's `--arrival` (docs/stories.md).
Days of the month named with their month (days_said) may lower the bar against a story
whose dated reports fall on them, in any year (`[stories] day_similarity`, off: no gain).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from monitor.extract.vocabulary import month_names

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


# Days of the month named with their month ("19 June", "June 19", "19 يونيو/حزيران",
# "18 تشرين الثاني", "09 فيفري"): the month names of the cleaner's Arabic and English
# vocabulary files (Egyptian, Levantine and Maghreb; monitor/extract/data), folded as
# monitor.text.normalize.words gives them. A month word counts only beside a day number,
# so "may" the verb and "اب" (father) name nothing.
LANGUAGES = ("ar", "en")


@cache
def _month_table() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The month names of one word, and those of two (Levantine كانون الثاني is January,
    تشرين الاول October), read from the data files once."""
    single: dict[str, int] = {}
    paired: dict[tuple[str, str], int] = {}
    for name, month in month_names(LANGUAGES).items():
        match name.split():
            case [word]:
                single[word] = month
            case [first, second]:
                paired[(first, second)] = month
            case _:
                raise ValueError(f"month name {name!r}: one or two words, as text_dates reads")
    return single, paired


@cache
def month_words() -> frozenset[str]:
    """The one-word month names, normalised (the first word of a two-word one too); built
    once: event_numbers asks it of every ordinal it reads."""
    single, paired = _month_table()
    return frozenset(single) | frozenset(first for first, _ in paired)


# As with weekdays, a report naming more days than this tells of a history or a schedule.
TELLING_DAYS = 2
# A story's dated reports spanning more than this say too little of any one day.
DAY_SPAN = 31


def _day_number(word: str) -> int | None:
    if word.isdigit() and len(word) <= 2:  # int() reads Arabic-Indic digits (١٨) too
        day = int(word)
        return day if 1 <= day <= 31 else None
    return None


def _month_at(
    words: list[str],
    i: int,
    months: dict[str, int],
    paired: dict[tuple[str, str], int],
) -> tuple[int, int] | None:
    """The month named at words[i] and how many words it takes, or None."""
    word = words[i]
    for form in (word, word[1:] if word[:1] in "وفب" and len(word) > 3 else ""):
        if not form:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (form, nxt) in paired:
            return paired[(form, nxt)], 2
        month = months.get(form)
        if month is not None:
            return month, 1
    return None


def day_bit(month: int, day: int) -> int:
    return 1 << (month * 32 + day)


def days_named(words: list[str]) -> int:
    """The days of the month named with their month, as a bit set (day_bit); 0 when none."""
    mask = 0
    months, paired = _month_table()
    for i in range(len(words)):
        found = _month_at(words, i, months, paired)
        if found is None:
            continue
        month, width = found
        before = _day_number(words[i - 1]) if i >= 1 else None
        if before is None and i >= 2 and words[i - 1] == "من":  # 19 من يونيو
            before = _day_number(words[i - 2])
        after = _day_number(words[i + width]) if i + width < len(words) else None
        day = before if before is not None else after
        if day is not None:
            mask |= day_bit(month, day)
    return mask


def days_said(words: list[str]) -> int:
    """The days an undated report's words name with their month, when they say when: a
    report naming more than TELLING_DAYS tells of several days and agrees with no story."""
    named = days_named(words)
    return named if named.bit_count() <= TELLING_DAYS else 0


def span_days(first: date, last: date) -> int:
    """The days of the month from the day before `first` to the day after `last`, as a
    bit set (any year); 0 for a span over DAY_SPAN days. A day of slack either side: a
    report published the day after the event names the event's day, and a month's day
    (one in 365) is far more telling than a weekday (one in seven), where the slack cost
    precision."""
    if (last - first).days + 1 > DAY_SPAN:
        return 0
    mask = 0
    day = first - timedelta(days=1)
    while day <= last + timedelta(days=1):
        mask |= day_bit(day.month, day.day)
        day += timedelta(days=1)
    return mask


def days_agree(named: int, lo: str, hi: str) -> bool:
    """Does a day named (with its month) fall within a day of `lo` to `hi`, the story's
    dated reports, in any year? The year is left out: an undated report seldom names it,
    and a look-alike event on the same day of another year is rare in the beat."""
    return bool(named & span_days(date.fromisoformat(lo), date.fromisoformat(hi)))


def date_said(words: list[str], seen: date) -> str | None:
    """The day an undated report says it tells of, read against when it arrived (`seen`):
    a single day of a month named, in the year that puts it on or before the day after
    arrival; else a single weekday named, the last such day on or before arrival. None
    when the text names neither, or several.

    Right for a report that arrives as it is published (a feed entry, a file dropped the day
    it was written); a file of last year dropped today says a day of this week, so the story
    step takes it as evidence against a dated story only, never as the report's date."""
    named = days_said(words)
    if named and named.bit_count() == 1:
        bit = named.bit_length() - 1
        month, day = divmod(bit, 32)
        for year in (seen.year, seen.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:  # 30 February
                return None
            if found <= seen + timedelta(days=1):
                return found.isoformat()
        return None
    weekdays = weekdays_said(words)
    if weekdays and weekdays.bit_count() == 1:
        back = (seen.weekday() - (weekdays.bit_length() - 1)) % 7
        return (seen - timedelta(days=back)).isoformat()
    return None
