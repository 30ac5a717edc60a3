"""One day's event told in other words (issue 18's twelfth round, docs/stories.md): with
`[stories] same_day_similarity`, a dated report on a day the story's dated reports hold
(each side's dates at most a day apart, the two sides a day apart at most) whose event concepts agree with the story's meets a
lower bar than the window's dated bar. Reports days apart, a story whose dates have grown
over the window, or another kind of event the same day do not. The stream's judge and a
batch's linkage alike. In-process, on hand-made vectors."""

from __future__ import annotations

from story_records import features

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import LATIN
from monitor.story_linkage import average_linkage
from monitor.story_model import Features, Group, StoryRow, unit_vector

DAY = "2025-02-18"


def _report(words: list[str], concept: str, date: str | None) -> Features:
    """A report naming North Korea and three words of its own: any two such reports meet
    at a cosine of 0.25 (one of four equal terms shared), under the dated bar of 0.3."""
    cut = unit_vector({"@North Korea": 1.0, **dict.fromkeys(words, 1.0)})
    cut[concept] = 0.5  # event concepts ride outside the unit vector (story_weights.py)
    return features(cut, LATIN, date)


def _story(lo: str, hi: str, concept: str = "#launch") -> StoryRow:
    member = _report(["rocket", "crashed", "sea"], concept, lo)
    profile = {t: 2 * w for t, w in member.cut.items()}  # two members alike
    return StoryRow("s", profile, date_lo=lo, date_hi=hi, undated_seen=None, articles=2)


def _joins(config: StoriesConfig, date: str, story: StoryRow, concept: str = "#launch") -> bool:
    report = _report(["space", "launch", "failed"], concept, date)
    judged = stories_from(config).judge(Group.of([report]), story)
    assert judged is not None  # in the window, a name shared: only the bar decides
    assert abs(judged[0] - 0.25) < 1e-9
    return judged[1]


def test_a_report_of_the_storys_day_meets_the_lower_bar() -> None:
    assert _joins(StoriesConfig(), DAY, _story(DAY, DAY))
    assert _joins(StoriesConfig(), "2025-02-19", _story(DAY, "2025-02-19"))  # one of two days
    assert not _joins(StoriesConfig(same_day_similarity=0), DAY, _story(DAY, DAY))


def test_a_report_dated_the_next_day_meets_it_too() -> None:
    """Outlets date one event by their own time zones: a dawn launch in Korea is the
    day before in Washington (issue 18's fourteenth round)."""
    assert _joins(StoriesConfig(), "2025-02-19", _story(DAY, DAY))
    assert _joins(StoriesConfig(), "2025-02-17", _story(DAY, DAY))


def test_days_apart_or_a_grown_story_keep_the_dated_bar() -> None:
    assert not _joins(StoriesConfig(), "2025-02-20", _story(DAY, DAY))  # in the window only
    # a story whose dates joins have stretched over three days is not one day's event
    assert not _joins(StoriesConfig(), "2025-02-19", _story(DAY, "2025-02-21"))
    # nor a story of two days and a report two days after them (four days in all)
    assert not _joins(StoriesConfig(), "2025-02-21", _story(DAY, "2025-02-19"))


def test_another_kind_of_event_the_same_day_keeps_the_dated_bar() -> None:
    assert not _joins(StoriesConfig(), DAY, _story(DAY, DAY), concept="#visit")
    assert _joins(StoriesConfig(same_day_concepts=0), DAY, _story(DAY, DAY), concept="#visit")


def test_a_batch_groups_reports_a_day_apart_the_same_way() -> None:
    words = [["rocket", "crashed", "sea"], ["space", "launch", "failed"]]
    on, _ = average_linkage(
        stories_from(StoriesConfig()),
        [_report(words[0], "#launch", DAY), _report(words[1], "#launch", "2025-02-19")],
    )
    assert on[0] == on[1]
    apart, _ = average_linkage(
        stories_from(StoriesConfig()),
        [_report(words[0], "#launch", DAY), _report(words[1], "#launch", "2025-02-20")],
    )
    assert apart[0] != apart[1]


def test_a_batch_groups_one_days_reports_the_same_way() -> None:
    words = [["rocket", "crashed", "sea"], ["space", "launch", "failed"]]
    reports = [_report(w, "#launch", DAY) for w in words]
    reports.append(_report(["summit", "talks", "treaty"], "#visit", DAY))
    on, _ = average_linkage(stories_from(StoriesConfig()), reports)
    assert on[0] == on[1] != on[2]
    off, _ = average_linkage(stories_from(StoriesConfig(same_day_similarity=0)), reports)
    assert len(set(off)) == 3
