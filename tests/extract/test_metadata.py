"""Dates, titles and datelines read from lines of text."""

from __future__ import annotations

import random
import re

import pytest

from monitor.extract.clean import clean_text
from monitor.extract.metadata import DateParser, split_dateline, strip_site_suffix
from monitor.extract.vocabulary import fold, load_vocabulary


@pytest.fixture(scope="module")
def dates() -> DateParser:
    return DateParser(load_vocabulary().months)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("تاريخ النشر: 11th, September 2023 GMT", "2023-09-11"),
        ("Published: 3 March 2024", "2024-03-03"),
        ("Published on March 3, 2024 at 10:15 am", "2024-03-03"),
        ("Updated Sept. 4, 2023", "2023-09-04"),
        ("Publié le 5 mars 2024 à 10h12", "2024-03-05"),
        ("Mis à jour le 1er février 2024", "2024-02-01"),
        ("Veröffentlicht am 5. März 2024, 14:02 Uhr", "2024-03-05"),
        ("Publicado el 5 de marzo de 2024", "2024-03-05"),
        ("Опубликовано: 5 марта 2024 г.", "2024-03-05"),
        # Levantine and Egyptian month series, Eastern Arabic digits, both at once.
        ("نشر في ١١ كانون الثاني ٢٠٢٤", "2024-01-11"),
        ("الاثنين 11 أيلول/سبتمبر 2023", "2023-09-11"),
        ("11 تموز/ يوليو 2023", "2023-07-11"),
        ("الخميس ٣ شباط ٢٠٢٢ - ١٠:٣٠ صباحا", "2022-02-03"),
        ("آخر تحديث: 20 ديسمبر 2023", "2023-12-20"),
        ("12 كانون الأول 2023", "2023-12-12"),
        ("٢٥ تشرين الثاني ٢٠٢٣", "2023-11-25"),
        ("2024-03-05T10:00:00Z", "2024-03-05"),
        ("05/03/2024", "2024-03-05"),
        ("09/25/2024", "2024-09-25"),
    ],
)
def test_dates_in_the_forms_news_pages_print(dates: DateParser, line: str, iso: str) -> None:
    assert dates.parse(fold(line)) == iso


@pytest.mark.parametrize(
    "line",
    ["the 2026 budget", "31 February 2024", "in May the talks resumed", "1,200 troops in 2023"],
)
def test_no_date_is_invented(dates: DateParser, line: str) -> None:
    assert dates.parse(fold(line)) is None


def _dates_as_written_before(months: dict[str, int]) -> DateParser:
    """DateParser with its forms as written before the twenty-first round (optional parts
    as `(?:...)?`), in their order then (day-month-year first), no separator or month
    name test and no form skipped after a date (every form searched on every line): the
    reference the rewritten patterns and the shortcuts must agree with. Only the forms
    differ; the parse is DateParser's own."""
    from monitor.extract.metadata import _DAY, _YEAR, _YEAR_FIRST
    from monitor.extract.vocabulary import alternation

    parser = DateParser(months)
    ordinal = r"(?:st|nd|rd|th|er|e|ᵉʳ|\.)?"
    names = alternation(months)
    month = rf"({names})\.?"
    alt = rf"(?:\s*[/(]\s*(?:{names})\.?\s*\)?)?"
    day_first = rf"{_DAY}{ordinal},?\s*(?:de\s+)?{month}{alt},?\s*(?:de\s+|del\s+)?{_YEAR}"
    parser._forms = (
        (re.compile(rf"{day_first}(?!\d)"), (1, 2, 3), 0, False),
        (
            re.compile(rf"(?<!\w){month}\s+(\d{{1,2}}){ordinal},?\s+{_YEAR}(?!\d)"),
            (2, 1, 3),
            0,
            False,
        ),
        (re.compile(rf"{_YEAR_FIRST}-(\d{{1,2}})-(\d{{1,2}})(?!\d)"), (3, 2, 1), 0, False),
        (re.compile(rf"{_YEAR_FIRST}/(\d{{1,2}})/(\d{{1,2}})(?!\d)"), (3, 2, 1), 0, False),
        (re.compile(rf"{_DAY}[/.\-](\d{{1,2}})[/.\-]{_YEAR}(?!\d)"), (1, 2, 3), 0, False),
    )
    return parser


def test_the_date_parser_reads_what_it_read_before_on_any_line(dates: DateParser) -> None:
    """The optional parts written as branches and the separators asked once a line
    (issue 16, twenty-first round), the month name asked first and the forms after a date
    skipped where no digit precedes it (twenty-second): the same date, or none, on lines
    made of the pieces each form is built of (days, ordinals, "de", month names and
    their prefixes, "/" and "(" for a second name, years in both digit sets,
    separators), in a form's order with pieces dropped, doubled or swapped, or in random
    order, and on two such lines joined; DateParser.may_hold says yes to each line
    holding one."""
    months = load_vocabulary().months
    before = _dates_as_written_before(months)
    rng = random.Random(21)
    names = sorted(months)
    days = ("1", "5", "09", "11", "25", "31", "13", "123", "٣", "١١", "۱۲", "0")
    years = ("2019", "2024", "1989", "2101", "٢٠٢٤", "۲۰۲۳", "12345", "20")
    ordinals = ("st", "th", "er", "e", "ᵉʳ", ".", "", "")
    gaps = (" ", "  ", "", ", ", ",", "\t", " de ", " del ", "-", "/", ".", " / ", " (", ") ")
    noise = ("x", "l'", "_", "é", ":", "t", "a", "on ", "le ", "10:30", "(", ")", "")

    def month() -> str:
        name = rng.choice(names)
        return name[: rng.choice((2, 3, len(name), len(name)))]

    def one_line() -> str:
        day, year, gap = rng.choice(days), rng.choice(years), rng.choice(gaps)
        pieces = rng.choice(
            (
                [day, rng.choice(ordinals), gap, month(), rng.choice(("", "/", " (")), month()],
                [month(), rng.choice((".", "", " ")), " ", day, rng.choice(ordinals), gap],
                [year, rng.choice("-/."), day, rng.choice("-/."), day],
                [day, rng.choice("-/."), day, rng.choice("-/."), year],
            )
        )
        pieces += [rng.choice(gaps), year]
        for _ in range(rng.randint(0, 3)):  # a piece dropped, doubled or swapped
            i, j = rng.randrange(len(pieces)), rng.randrange(len(pieces))
            pieces[i], pieces[j] = pieces[j], rng.choice((pieces[i], "", pieces[j]))
        return rng.choice(noise) + "".join(pieces) + rng.choice(noise)

    lines = [one_line() for _ in range(20000)]
    # two dates on a line, in either order: the earlier one found whichever form reads it
    # (month-day-year is searched first, and the forms after a date only where a digit
    # precedes it)
    lines += [one_line() + rng.choice(gaps) + one_line() for _ in range(10000)]
    lines += [fold(line) for line in ("Published: 3 March 2024", "05/03/2024", "2024-03-05T10:00")]
    parsed = [dates.parse(line) for line in lines]
    assert parsed == [before.parse(line) for line in lines]
    assert sum(x is not None for x in parsed) > 800  # (many lines hold a date)
    # DateParser.may_hold, a necessary condition: every line with a date passes it
    held = [dates.may_hold(line) for line in lines]
    assert all(h for h, x in zip(held, parsed, strict=True) if x is not None)
    assert not all(held)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "بوتين يطير إلى بيونغ يانغ لاستقبال كيم | أخبار السياسة",
            "بوتين يطير إلى بيونغ يانغ لاستقبال كيم",
        ),
        (
            "Ukraine war latest: talks resume in Geneva - BBC News",
            "Ukraine war latest: talks resume in Geneva",
        ),
        ("Putin - Kim summit ends", "Putin - Kim summit ends"),
        ("Talks resume", "Talks resume"),
    ],
)
def test_site_suffix_is_dropped_from_titles(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


@pytest.mark.parametrize(
    ("line", "place", "rest"),
    [
        ("(سيئول) – وافق الرئيس على الزيارة.", "سيئول", "وافق الرئيس على الزيارة."),
        ("MOSCOW (Reuters) - Russia said on Monday.", "MOSCOW (Reuters)", "Russia said on Monday."),
        ("WASHINGTON — The US said.", "WASHINGTON", "The US said."),
        ("Paris (AFP) - Le président a dit.", "Paris (AFP)", "Le président a dit."),
        ("The president said - quietly - that talks would go on.", None, None),
    ],
)
def test_datelines(line: str, place: str | None, rest: str | None) -> None:
    assert split_dateline(line) == (place, rest if place else line)


def test_date_source_and_dateline_leave_the_body() -> None:
    text = "\n".join(
        [
            "Talks resume in Geneva after months of delay",
            "Published: 3 March 2024",
            "GENEVA (Reuters) - Negotiators met on Monday to resume talks on the shipments, officials said.",
            "The delegations agreed to meet again next week, according to a joint statement.",
            "Source: Reuters",
        ]
    )
    cleaned = clean_text(text)
    assert (cleaned.published, cleaned.source, cleaned.dateline) == (
        "2024-03-03",
        "Reuters",
        "GENEVA (Reuters)",
    )
    assert (
        "2024" not in cleaned.body and "Source" not in cleaned.body and "GENEVA" not in cleaned.body
    )
    assert cleaned.body.startswith("Negotiators met on Monday")


def test_a_sentence_mentioning_a_date_stays_body() -> None:
    text = "\n".join(
        [
            "The agreement signed on 3 March 2024 expires next year, the ministry said.",
            "Officials said talks on an extension would start in the autumn in Geneva.",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.removed == () and cleaned.published is None
