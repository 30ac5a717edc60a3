"""One occurrence named by its ordinal, told over more days than the window (issue 18's
sixteenth round, docs/stories.md): the EU's 15th package was agreed by the ambassadors on
11 December 2024 and adopted by the ministers on the 16th, five days apart, and the time
rule kept the two days' reports in two stories for good. With `[stories]
number_window_days`, a report and a story (or two groups of a batch) mainly about one
ordinal meet under that longer window; any other pair, under `window_days`. In-process, on
hand-made vectors."""

from __future__ import annotations

from story_records import features

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import LATIN, NUMBER
from monitor.story_linkage import average_linkage
from monitor.story_model import Group, StoryRow, unit_vector

WORDS = {"sanction": 0.6, "packag": 0.5, "tanker": 0.3, "@European Union": 0.4, "#sanctions": 0.5}
AGREED = "2024-12-11"


def _story(number: str | None) -> StoryRow:
    """A story of two reports dated AGREED, mainly about `number` (None: names none)."""
    one = unit_vector(WORDS if number is None else {**WORDS, NUMBER + number: 0.5})
    return StoryRow(
        "s",
        {t: 2 * w for t, w in one.items()},
        date_lo=AGREED,
        date_hi=AGREED,
        undated_seen=None,
        articles=2,
    )


def _report(number: str | None, date: str) -> Group:
    cut = WORDS if number is None else {**WORDS, NUMBER + number: 0.5}
    return Group.of([features(unit_vector(cut), LATIN, date)])


def _judge(
    config: StoriesConfig, mine: str | None, date: str, theirs: str | None = "o15"
) -> tuple[float, bool] | None:
    return stories_from(config).judge(_report(mine, date), _story(theirs))


def test_one_ordinal_days_apart_meets_under_the_longer_window() -> None:
    adopted = "2024-12-16"  # five days after the story's reports
    assert _judge(StoriesConfig(number_window_days=0), "o15", adopted) is None  # out by time
    judged = _judge(StoriesConfig(), "o15", adopted)  # the default: one occurrence
    assert judged is not None and judged[1]


def test_the_longer_window_is_only_for_one_ordinal_on_both_sides() -> None:
    adopted = "2024-12-16"
    assert _judge(StoriesConfig(), "o16", adopted) is None  # the next package: the window
    assert _judge(StoriesConfig(), None, adopted) is None  # no number: no evidence
    assert _judge(StoriesConfig(), "o15", adopted, theirs=None) is None
    # the 15th's reports a month apart are still out of its window
    assert _judge(StoriesConfig(), "o15", "2025-01-11") is None
    assert _judge(StoriesConfig(), "o15", "2024-12-13") is not None  # within window_days anyway


def test_a_batch_joins_one_ordinal_days_apart_under_the_longer_window() -> None:
    def batch(config: StoriesConfig, later: str) -> list[int]:
        reports = [
            features(unit_vector({**WORDS, NUMBER + "o15": 0.5}), LATIN, AGREED),
            features(unit_vector({**WORDS, NUMBER + later: 0.5}), LATIN, "2024-12-16"),
        ]
        return average_linkage(stories_from(config), reports)[0]

    off = batch(StoriesConfig(number_window_days=0), "o15")
    assert off[0] != off[1]
    on = batch(StoriesConfig(), "o15")
    assert on[0] == on[1]
    other = batch(StoriesConfig(number_margin=0), "o16")  # another package: the window
    assert other[0] != other[1]
