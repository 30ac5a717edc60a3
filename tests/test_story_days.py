"""Days of the month read from an undated report's text (monitor/text_dates.py): with
`[stories] day_similarity` on, the report meets a dated story at that bar when a day it
names with its month ("21 May", "21 أيار", "21 مايو") falls within a day of the story's
dated reports, as a stream and as a batch. And the event lexicon reads Arabic words with
the search index's own proclitic rule (monitor.text.clitics.tails).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from monitor import pipeline
from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.event_lexicon import shipped
from monitor.store.db import Store
from monitor.text.normalize import words
from monitor.text_dates import date_said, day_bit, days_agree, days_named, days_said
from tests.test_stories import Ingest, article
from tests.test_story_weekdays import DATED, SEEN, _stories
from tests.test_story_weekdays import UNDATED as WEEKDAY_UNDATED

MAY_21, MAY_20 = day_bit(5, 21), day_bit(5, 20)


def test_days_named_with_their_month_in_either_language() -> None:
    assert days_named(words("أعلن الاتحاد في 21 مايو/أيار حزمة عقوبات")) == MAY_21
    assert days_named(words("قالت في ٢١ أيار")) == MAY_21  # Arabic-Indic digits
    assert days_named(words("The bloc agreed on May 21, and on 20 May")) == MAY_21 | MAY_20
    assert days_named(words("في 18 تشرين الثاني")) == day_bit(11, 18)  # Levantine, two words
    assert days_named(words("يوم 09 فيفري")) == day_bit(2, 9)  # Maghreb
    # a month word beside no day number names nothing: "may" the verb, a month alone
    assert days_named(words("It may come in June, officials said")) == 0
    # three days or more tell of a history or a schedule: no evidence
    assert days_said(words("on 5 May, 12 May and 21 May")) == 0


def test_a_day_agrees_within_a_day_of_the_span_in_any_year() -> None:
    assert days_agree(MAY_21, "2025-05-21", "2025-05-21")
    assert days_agree(MAY_21, "2025-05-22", "2025-05-23")  # the report of the day after
    assert days_agree(MAY_21, "2019-05-21", "2019-05-21")  # the year is not read
    assert not days_agree(MAY_21, "2025-05-24", "2025-05-26")
    assert not days_agree(MAY_21, "2025-04-01", "2025-05-30")  # a long span says nothing


# The dated report of test_story_weekdays (21 May 2025, a Wednesday) and an undated one
# told in other words that names the day and month, not the weekday. Their cosine is under
# the undated bar (0.55) and over the day bar tried here; a batch of two weighs their
# shared words down with its own document frequencies, so it is tried lower.
ON = "[stories]\nweekday_similarity = 0\narrival_dates = 0\nday_similarity = 0.3\n"
ON_BATCH = "[stories]\nweekday_similarity = 0\narrival_dates = 0\nday_similarity = 0.2\n"
OFF = "[stories]\nweekday_similarity = 0\narrival_dates = 0\nday_similarity = 0\n"
UNDATED = {
    "id": "undated",
    "title": "189 tankers listed in the shadow fleet measures",
    "body": "The package agreed on 21 May lists 189 tankers of the shadow fleet and banks, "
    "officials said, extending export bans on tools.",
}
OTHER_DAY = {**UNDATED, "id": "other", "body": UNDATED["body"].replace("21 May", "3 March")}


def test_an_undated_report_naming_the_day_joins_the_dated_story(tmp_path: Path) -> None:
    """Before days of the month were read, the undated report began a story of its own."""
    assert _stories(tmp_path, [DATED, UNDATED], batch=False, extra=ON) == 1
    assert _stories(tmp_path, [UNDATED, DATED], batch=True, extra=ON_BATCH) == 1


def test_another_day_or_the_bar_off_leaves_it_apart(tmp_path: Path) -> None:
    assert _stories(tmp_path, [DATED, OTHER_DAY], batch=False, extra=ON) == 2
    assert _stories(tmp_path, [DATED, UNDATED], batch=False, extra=OFF) == 2
    assert _stories(tmp_path, [UNDATED, DATED], batch=True, extra=OFF) == 2


def test_the_lexicon_cuts_the_future_particle_as_the_search_index_does() -> None:
    """سيزور (he will visit): before the lexicon used clitics.tails it found no concept."""
    assert shipped().concept("سيزور") == "visit"
    assert shipped().concept("بوتين") is None  # a name is still nothing


def test_a_day_said_is_read_against_the_arrival() -> None:
    thursday = date(2025, 5, 22)
    assert date_said(words("أعلنت أمس الأربعاء"), thursday) == "2025-05-21"
    assert date_said(words("The council met on Thursday"), thursday) == "2025-05-22"
    assert date_said(words("agreed on 21 May"), thursday) == "2025-05-21"
    # a day of the month after the arrival is last year's
    assert date_said(words("في 30 ديسمبر"), date(2025, 1, 2)) == "2024-12-30"
    # two weekdays, or none: no one day
    assert date_said(words("on Monday and Wednesday"), thursday) is None
    assert date_said(words("no day at all"), thursday) is None


def _arrival_stories(tmp_path: Path, records: list[dict], config: StoriesConfig) -> int:
    """test_story_weekdays._stories with a StoriesConfig of any type, as a stream."""
    ingest = Ingest(Store(tmp_path / f"{len(list(tmp_path.glob('*.db')))}.db"))
    ingest.steps[-1] = pipeline.story_step(stories_from(config), ingest.store)
    for r in records:
        ingest(
            article(r["body"], r["id"], title=r["title"], published=r.get("published"), seen=SEEN)
        )
    return len(ingest.store.db.execute("SELECT DISTINCT story FROM articles").fetchall())


def test_an_undated_report_read_against_its_arrival_joins_the_dated_story(
    tmp_path: Path,
) -> None:
    """The weekday-named report of test_story_weekdays arrives on Thursday 22 May: with
    arrival_dates its Wednesday is the 21st, the dated story's day, and the dated bar
    applies. Without it (and without the weekday bar) it begins a story of its own."""
    on = StoriesConfig(weekday_similarity=0, arrival_dates=True)
    assert _arrival_stories(tmp_path, [DATED, WEEKDAY_UNDATED], on) == 1
    off = StoriesConfig(weekday_similarity=0, arrival_dates=False)
    assert _arrival_stories(tmp_path, [DATED, WEEKDAY_UNDATED], off) == 2
    # Friday, read against a Thursday arrival, is the 16th: five days before the story's
    # report, out of the window: the undated bar, which these words do not reach
    friday = {**WEEKDAY_UNDATED, "id": "friday"}
    friday["body"] = friday["body"].replace("Wednesday", "Friday")
    assert _arrival_stories(tmp_path, [DATED, friday], on) == 2
