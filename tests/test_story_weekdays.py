"""Weekdays read from an undated report's text (monitor/text_dates.py): the report meets a
dated story at `[stories] weekday_similarity` when a weekday it names falls on a day the
story's dated reports cover, as a stream and as a batch (one notion of "same event").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from monitor import pipeline
from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.store.db import Store
from monitor.text.normalize import words
from monitor.text_dates import weekdays_agree, weekdays_named
from tests.test_stories import Ingest, article

SEEN = datetime(2025, 5, 22, 9, 0, tzinfo=UTC)  # the day after, when the files came in

WEDNESDAY, THURSDAY = 1 << 2, 1 << 3


def test_weekdays_named_in_either_language() -> None:
    assert weekdays_named(words("أعلنت كوريا الشمالية، أمس الأربعاء، أنها اختبرت")) == WEDNESDAY
    assert weekdays_named(words("قال اليوم (الخميس) والأربعاء")) == WEDNESDAY | THURSDAY
    assert weekdays_named(words("The council met on Thursday")) == THURSDAY
    assert weekdays_named(words("no day at all")) == 0


def test_a_weekday_agrees_only_with_a_short_span_that_holds_it() -> None:
    assert weekdays_agree(WEDNESDAY, "2025-05-21", "2025-05-21")  # a Wednesday
    assert not weekdays_agree(THURSDAY, "2025-05-21", "2025-05-21")
    assert weekdays_agree(THURSDAY, "2025-05-20", "2025-05-22")
    assert not weekdays_agree(THURSDAY, "2025-05-01", "2025-05-30")  # every weekday


# Two reports of one event told in different words: the dated one (a Wednesday), then an
# undated one whose text says the day. Their cosine is under the undated bar of 0.55 and,
# as a stream, over the weekday bar of 0.45; a batch of two weighs their shared words down
# with its own document frequencies, so the batch is tried at a bar of 0.35.
LOWER = "[stories]\nweekday_similarity = 0.35\n"
DATED = {
    "id": "dated",
    "title": "Bloc approves a new package of restrictive measures",
    "published": "2025-05-21",
    "body": "Ambassadors of the bloc approved a new package of restrictive measures on "
    "Wednesday, listing 189 tankers of the shadow fleet and several banks.",
}
UNDATED = {
    "id": "undated",
    "title": "189 tankers listed in the shadow fleet measures",
    "body": "The package agreed on Wednesday lists 189 tankers of the shadow fleet and "
    "banks, officials said, extending export bans on tools.",
}
# A report that names three weekdays or more tells of several days (a visit's schedule):
# its weekdays say nothing (the seeds' 2024 reports met the 2023 visit's story that way).
SCHEDULE = {
    **UNDATED,
    "id": "schedule",
    "body": UNDATED["body"] + " Talks go on Friday and Monday.",
}
OTHER_DAY = {**UNDATED, "id": "other", "body": UNDATED["body"].replace("Wednesday", "Monday")}


def _stories(tmp_path: Path, records: list[dict], *, batch: bool, extra: str = "") -> int:
    """How many stories the records make through the real copy check, story step and
    writer (tests/test_stories.py's Ingest), with these [stories] settings."""
    settings = dict(line.split(" = ") for line in extra.splitlines()[1:])
    config = StoriesConfig(**{k: float(v) for k, v in settings.items()})
    ingest = Ingest(Store(tmp_path / f"{len(list(tmp_path.glob('*.db')))}.db"))
    ingest.steps[-1] = pipeline.story_step(stories_from(config), ingest.store)
    articles = [
        article(r["body"], r["id"], title=r["title"], published=r.get("published"), seen=SEEN)
        for r in records
    ]
    if batch:
        ingest.batch(articles)
    else:
        for a in articles:
            ingest(a)
    return len(ingest.store.db.execute("SELECT DISTINCT story FROM articles").fetchall())


def test_an_undated_report_naming_the_day_joins_the_dated_story(tmp_path: Path) -> None:
    """Before weekdays were read, the undated report began a story of its own."""
    assert _stories(tmp_path, [DATED, UNDATED], batch=False) == 1
    assert _stories(tmp_path, [UNDATED, DATED], batch=True, extra=LOWER) == 1


def test_another_weekday_a_schedule_or_the_bar_off_leaves_it_apart(tmp_path: Path) -> None:
    # The weekday rule alone: read against the arrival (arrival_dates, on by default), a
    # Monday two days before the story's Wednesday is in its window (test_story_days.py).
    alone = "[stories]\narrival_dates = 0\n"
    assert _stories(tmp_path, [DATED, OTHER_DAY], batch=False, extra=alone) == 2
    assert _stories(tmp_path, [DATED, SCHEDULE], batch=False, extra=alone) == 2
    off = "[stories]\nweekday_similarity = 0\narrival_dates = 0\n"
    assert _stories(tmp_path, [DATED, UNDATED], batch=False, extra=off) == 2
    assert _stories(tmp_path, [UNDATED, DATED], batch=True, extra=off) == 2
