"""An Arabic report meets a story told only in English by their names (crosslingual.py):
against `cross_language_similarity`, or the lower `cross_novel_similarity` when the report
names nothing the story lacks (novelty.py). In a stream (Stories.judge) and in a batch's
grouping (story_linkage.py) alike: one notion of "same event". In-process, on small
vectors: the rule itself, not a corpus."""

from __future__ import annotations

from story_records import SEEN
from story_records import features as _features
from story_records import row as _row

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import ARABIC, LATIN, name_cosine
from monitor.novelty import name_novelty
from monitor.story_linkage import average_linkage
from monitor.story_model import Features, Group, StoryRow

# The English story of the EU's 16th sanctions package: two reports' vectors summed.
STORY = {
    "sanctions": 1.1,
    "package": 0.9,
    "aluminium": 0.6,
    "@European Union": 0.8,
    "@Russia": 0.6,
    "@Kaja Kallas": 0.3,
}
# An Arabic report of it: other words, the same names in other proportions.
SAME_NAMES = {
    "عقوبات": 0.55,
    "حزمة": 0.5,
    "الالومنيوم": 0.4,
    "@European Union": 0.25,
    "@Russia": 0.45,
}
# One of a look-alike event: a sanctions round that names a body this story never had.
NEW_NAME = {**SAME_NAMES, "@Group of Seven": 0.3}


def test_the_vectors_are_what_the_rule_is_about() -> None:
    """Under the old names-alone bar, over the new one; no words shared at all."""
    assert 0.65 <= name_cosine(SAME_NAMES, STORY) < 0.9
    assert name_novelty([_features(SAME_NAMES, ARABIC)], STORY) == 0.0
    assert name_novelty([_features(NEW_NAME, ARABIC)], STORY) > 0.1


def test_a_report_naming_nothing_new_joins_a_story_in_the_other_language() -> None:
    stories = stories_from(StoriesConfig())
    judged = stories.judge(Group.of([_features(SAME_NAMES, ARABIC)]), _row(STORY))
    assert judged is not None and judged[1]


def test_a_report_with_a_name_the_story_never_had_needs_the_usual_bar() -> None:
    stories = stories_from(StoriesConfig())
    judged = stories.judge(Group.of([_features(NEW_NAME, ARABIC)]), _row(STORY))
    assert judged is not None and not judged[1]


def test_the_lower_bar_can_be_turned_off() -> None:
    stories = stories_from(StoriesConfig(cross_novel_similarity=0))
    judged = stories.judge(Group.of([_features(SAME_NAMES, ARABIC)]), _row(STORY))
    assert judged is not None and not judged[1]


def test_a_batch_groups_the_two_languages_by_the_same_rule() -> None:
    """Two reports of one size: the novelty is the higher of the two ways (novelty.py), so
    the English report here names no one the Arabic one lacks either."""
    english = _features(
        {"sanctions": 1.1, "package": 0.9, "@European Union": 0.9, "@Russia": 0.3}, LATIN
    )
    assert 0.65 <= name_cosine(SAME_NAMES, english.cut) < 0.9
    for cut, together in ((SAME_NAMES, True), (NEW_NAME, False)):
        labels, _ = average_linkage(
            stories_from(StoriesConfig()), [english, _features(cut, ARABIC)]
        )
        assert (labels[0] == labels[1]) is together
    labels, _ = average_linkage(
        stories_from(StoriesConfig(cross_novel_similarity=0)),
        [english, _features(SAME_NAMES, ARABIC)],
    )
    assert labels[0] != labels[1]


def _unit(cut: dict[str, float], scripts: int) -> Features:
    norm = sum(w * w for w in cut.values()) ** 0.5
    return _features({t: w / norm for t, w in cut.items()}, scripts)


# One event told in both languages: two Arabic and two English reports.
AR1 = _unit(
    {"عقوبات": 0.6, "حزمة": 0.5, "الالومنيوم": 0.4, "@European Union": 0.3, "@Russia": 0.3},
    ARABIC,
)
EN1 = _unit({"sanctions": 0.6, "package": 0.5, "@European Union": 0.3, "@Russia": 0.3}, LATIN)
EN2 = _unit({"sanctions": 0.5, "aluminium": 0.5, "@European Union": 0.3, "@Russia": 0.3}, LATIN)
AR2 = _unit(
    {
        "عقوبات": 0.5,
        "حزمة": 0.3,
        "الالومنيوم": 0.3,
        "الاتحاد": 0.5,
        "@European Union": 0.3,
        "@Russia": 0.3,
    },
    ARABIC,
)


def test_a_story_in_both_languages_is_met_by_its_members_in_the_reports_language() -> None:
    """The second Arabic report is close to the first (cosine 0.83) and shares only names
    with the two English ones: its plain mean over the three, 0.43, is under the bar,
    though it is as close to the story's Arabic report as one report of an event is to
    another."""
    profile: dict[str, float] = {}
    for member in (AR1, EN1, EN2):
        for term, weight in member.cut.items():
            profile[term] = profile.get(term, 0.0) + weight
    row = StoryRow("s", profile, None, None, SEEN, articles=3)
    judged = stories_from(StoriesConfig(same_language=True)).judge(Group.of([AR2]), row)
    assert judged is not None and judged[1]
    off = stories_from(StoriesConfig(same_language_known=False)).judge(Group.of([AR2]), row)
    assert off is not None and not off[1] and off[0] < 0.45
    # It names nothing the story lacks: so by default too (same_language_known).
    shipped = stories_from(StoriesConfig()).judge(Group.of([AR2]), row)
    assert shipped is not None and shipped[1]


def test_a_batch_measures_a_group_in_both_languages_the_same_way() -> None:
    """The two Arabic reports group, the first English one joins them by names; the second
    English report then meets a group in both languages: by its English member."""
    on = stories_from(StoriesConfig(same_language=True))
    labels, _ = average_linkage(on, [AR1, EN1, EN2, AR2])
    assert len(set(labels)) == 1
    off = stories_from(StoriesConfig(same_language_known=False))
    labels, _ = average_linkage(off, [AR1, EN1, EN2, AR2])
    assert len(set(labels)) == 2
    # none of them names anyone the others lack: so by default too (same_language_known)
    labels, _ = average_linkage(stories_from(StoriesConfig()), [AR1, EN1, EN2, AR2])
    assert len(set(labels)) == 1
