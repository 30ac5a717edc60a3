"""One table of month names (monitor/extract/data/*.toml), read by the cleaner's date
parser and by the story step's days named in an undated report (monitor/text_dates.py):
a name one of them knows, the other knows too."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.extract.metadata import DateParser
from monitor.extract.vocabulary import fold, load_vocabulary
from monitor.text.normalize import words
from monitor.text_dates import date_said, day_bit, days_named


@pytest.fixture(scope="module")
def parser() -> DateParser:
    return DateParser(load_vocabulary().months)  # compiling the vocabulary takes 0.5 s


@pytest.mark.parametrize("name", ["تموز", "يوليو", "يوليه", "جويلية", "July", "jul"])
def test_both_read_a_month_name(name: str, parser: DateParser) -> None:
    assert days_named(words(f"في 12 {name}")) == day_bit(7, 12)
    assert parser.parse(fold(f"12 {name} 2023")) == "2023-07-12"


def test_maghreb_and_two_word_names(parser: DateParser) -> None:
    assert parser.parse(fold("الجزائر في 22 فيفري 2019")) == "2019-02-22"
    assert parser.parse(fold("أوت 5, 2021")) == "2021-08-05"
    assert days_named(words("الخميس 18 تشرين الثاني")) == day_bit(11, 18)
    said = date_said(words("أعلنت أمس الأربعاء 12 جويلية"), date(2023, 7, 13))
    assert said == "2023-07-12"
