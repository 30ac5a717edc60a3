"""Time read from an undated report's text (issue 18's seventh round, docs/stories.md):
- as evidence for a story in the other language: a report whose weekday agrees with the
  story's dated reports meets its names at `timed_cross_similarity`, not the higher
  `cross_language_similarity` (on by default);
- as evidence for a story told in both languages (opt-in, `same_language_told`): the report
  is measured against the members in its own language even when it names someone new.

In-process, on the story step's own records (SameEvent.judge and the batch's average
linkage with hand-made vectors), so the rule itself is tested, not a corpus.
"""

from __future__ import annotations

from story_records import features

from monitor.crosslingual import LATIN, scripts
from monitor.stories import Stories
from monitor.story_linkage import average_linkage
from monitor.story_model import Features, Group, StoryRow, unit_vector
from tests.test_stories import plain

WEDNESDAY = 1 << 2
DAY = "2025-02-19"  # a Wednesday: the story's dated reports


# Across languages (crosslingual.py): an English report and an Arabic story share only
# names. This report names someone the Arabic story never did, so without time it needs
# the high names-alone bar (cross_language_similarity).
ENGLISH = unit_vector(
    {"sanction": 0.6, "packag": 0.5, "@European Union": 0.5, "@Russia": 0.3, "@Kaja Kallas": 0.3}
)
ARABIC_STORY = {"عقوبات": 1.2, "حزمه": 1.0, "@European Union": 1.0, "@Russia": 1.0}


def _english(weekdays: int) -> Features:
    f = features(dict(ENGLISH), LATIN)
    return Features(**{**f.__dict__, "weekdays": weekdays})


def _cross(timed: float) -> Stories:
    return plain(
        similarity=0.55,
        cross_language_similarity=0.9,
        weekday_similarity=0.45,
        timed_cross_similarity=timed,
    )


def test_a_day_said_that_agrees_lowers_the_names_alone_bar() -> None:
    story = StoryRow("s", ARABIC_STORY, date_lo=DAY, date_hi=DAY, undated_seen=None, articles=2)
    wednesday = Group.of([_english(WEDNESDAY)])
    judged = _cross(0.0).judge(wednesday, story)
    assert judged is not None and not judged[1]  # names alone, under 0.9
    judged = _cross(0.65).judge(wednesday, story)
    assert judged is not None and judged[1]
    # a weekday the story's reports do not fall on is no time evidence: the high bar
    judged = _cross(0.65).judge(Group.of([_english(1 << 5)]), story)
    assert judged is not None and not judged[1]


def test_a_batch_lowers_the_same_bar() -> None:
    cut = unit_vector(ARABIC_STORY)
    arabic = features(cut, scripts(cut), date=DAY)
    for timed, together in ((0.0, False), (0.65, True)):
        labels, _ = average_linkage(_cross(timed), [arabic, _english(WEDNESDAY)])
        assert (labels[0] == labels[1]) is together, timed
        labels, _ = average_linkage(_cross(timed), [arabic, _english(1 << 5)])
        assert labels[0] != labels[1], timed


def test_a_day_said_stands_in_for_no_new_names_in_a_story_told_in_both_languages() -> None:
    """`same_language_told` (opt-in): a report that names someone new to a story told in
    both languages is measured against the members in its own language when its weekday
    agrees with the story's dated reports, as when it names nothing new."""
    english = {"sanction": 0.6, "packag": 0.5, "tanker": 0.4}
    arabic = {"عقوبات": 0.6, "حزمه": 0.5, "سفن": 0.4}
    names = {"@European Union": 0.4, "@Russia": 0.4}
    profile: dict[str, float] = {}
    for member in ({**english, **names}, {**arabic, **names}, {**arabic, **names}):
        for t, w in unit_vector(member).items():
            profile[t] = profile.get(t, 0.0) + w
    story = StoryRow("s", profile, date_lo=DAY, date_hi=DAY, undated_seen=None, articles=3)
    report = _english(0)
    cut = unit_vector({**english, **names, "@Kaja Kallas": 0.4})  # someone new
    for weekdays, told, joins in (
        (WEDNESDAY, True, True),
        (WEDNESDAY, False, False),
        (0, True, False),
    ):
        f = Features(
            **{
                **report.__dict__,
                "cut": cut,
                "entities": frozenset(t for t in cut if t[0] == "@"),
                "weekdays": weekdays,
            }
        )
        stories = plain(
            similarity=0.55,
            weekday_similarity=0.5,  # the plain mean, 0.49, is under it
            novelty=0.1,
            same_language_known=True,
            same_language_told=told,
        )
        judged = stories.judge(Group.of([f]), story)
        assert judged is not None and judged[1] is joins, (weekdays, told, judged)
