"""An undated report against a dated story told in both languages, of one kind of event by
one main actor (`[stories] kind_similarity`, issue 18's eleventh round, docs/stories.md):
launches, IAEA reports, visits and council meetings have no ordinal, and an undated report
of one told in other words than the story's members meets none of the other lower bars.
In-process, on hand-made vectors."""

from __future__ import annotations

from story_records import SEEN, features

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import ARABIC, LATIN, main_kind
from monitor.story_linkage import average_linkage
from monitor.story_model import Group, StoryRow, unit_vector

ENGLISH = {"launch": 0.6, "missil": 0.5, "sea": 0.4, "@North Korea": 0.6, "#launch": 0.5}
ARABIC_REPORT = {"إطلاق": 0.6, "صاروخ": 0.5, "البحر": 0.4, "@North Korea": 0.6, "#launch": 0.5}
# Another outlet's undated English report: the launch in other words, another name beside.
UNDATED = {"fire": 0.6, "missil": 0.3, "coast": 0.5, "@North Korea": 0.6, "@Japan": 0.5,
           "#launch": 0.5}  # fmt: skip


def _story(*reports: dict[str, float]) -> StoryRow:
    profile: dict[str, float] = {}
    for report in reports:
        for t, w in unit_vector(report).items():
            profile[t] = profile.get(t, 0.0) + w
    day = "2025-02-19"
    return StoryRow("s", profile, day, day, undated_seen=None, articles=len(reports))


def _meets(config: StoriesConfig, report: dict[str, float]) -> bool:
    judged = stories_from(config).judge(
        Group.of([features(unit_vector(report), LATIN)]), _story(ENGLISH, ARABIC_REPORT)
    )
    assert judged is not None
    return judged[1]


def test_main_kind_is_the_strongest_concept_and_name() -> None:
    assert main_kind(unit_vector(UNDATED)) == ("#launch", "@North Korea")
    assert main_kind({"@North Korea": 1.0}) is None  # no event concept: no kind


def test_one_kind_by_one_actor_meets_the_lower_bar_only_with_the_setting() -> None:
    on = {"kind_similarity": 0.3, "kind_novelty": 1.0}  # any new names
    assert not _meets(StoriesConfig(kind_similarity=0), UNDATED)
    assert _meets(StoriesConfig(**on), UNDATED)
    # mainly about someone else (Japan's coast guard speaking): not the story's main actor
    other_actor = {**UNDATED, "@Japan": 0.9}
    assert not _meets(StoriesConfig(**on), other_actor)
    # another kind of event by the same actor (a visit): not this story's
    visit = {**UNDATED, "#launch": 0.1, "#visit": 0.6}
    assert not _meets(StoriesConfig(**on), visit)


def test_a_report_naming_much_the_story_never_had_is_kept_out() -> None:
    # Japan is 0.5 of 1.1 of its name weight: a look-alike's own names, over kind_novelty
    assert not _meets(StoriesConfig(kind_similarity=0.3, kind_novelty=0.3), UNDATED)
    assert _meets(StoriesConfig(kind_similarity=0.3, kind_novelty=0.5), UNDATED)


def test_a_batch_applies_the_same_rule() -> None:
    reports = [
        features(unit_vector(ENGLISH), LATIN, "2025-02-19"),
        features(unit_vector(ARABIC_REPORT), ARABIC, "2025-02-19"),
        features(unit_vector(UNDATED), LATIN),
    ]
    assert all(f.seen == SEEN for f in reports)
    # names alone only at the high bar: the dated pair meets on its names (all shared), the
    # undated report (one name more) not; so the kind rule is what can join it to the pair
    plain = {"cross_novel_similarity": 0, "kind_novelty": 1.0}
    off, _ = average_linkage(stories_from(StoriesConfig(**plain, kind_similarity=0)), reports)
    on, _ = average_linkage(stories_from(StoriesConfig(**plain, kind_similarity=0.3)), reports)
    assert off[0] == off[1] != off[2]
    assert on[0] == on[1] == on[2]


def test_names_and_concepts_that_agree_count_as_one_kind_with_kind_agreement() -> None:
    """One launch told as a "test" by another outlet: its strongest concept is not the
    story's, but its names and event concepts agree with the story's (kind_agreement)."""
    english = {**ENGLISH, "#test": 0.3}
    arabic = {**ARABIC_REPORT, "#test": 0.3}
    report = {"fire": 0.6, "missil": 0.4, "coast": 0.5, "@North Korea": 0.6, "#test": 0.5,
              "#launch": 0.45}  # fmt: skip
    story = _story(english, arabic)
    assert main_kind(unit_vector(report)) != main_kind(story.profile)
    group = Group.of([features(unit_vector(report), LATIN)])
    verdicts = {
        agreement: stories_from(StoriesConfig(kind_agreement=agreement)).judge(group, story)
        for agreement in (0, 0.75, 0.99)
    }
    assert all(v is not None for v in verdicts.values())
    assert [v[1] for v in verdicts.values() if v is not None] == [False, True, False]


def test_a_batch_counts_names_and_concepts_that_agree_the_same_way() -> None:
    reports = [
        features(unit_vector({**ENGLISH, "#test": 0.3}), LATIN, "2025-02-19"),
        features(unit_vector({**ARABIC_REPORT, "#test": 0.3}), ARABIC, "2025-02-19"),
        features(unit_vector({**UNDATED, "@Japan": 0.1, "#test": 0.55}), LATIN),
    ]
    assert main_kind(reports[2].cut) != main_kind(reports[0].cut)
    plain = {"cross_language_similarity": 0, "kind_novelty": 1.0, "kind_similarity": 0.3}
    off, _ = average_linkage(stories_from(StoriesConfig(**plain, kind_agreement=0)), reports)
    on, _ = average_linkage(stories_from(StoriesConfig(**plain, kind_agreement=0.75)), reports)
    assert off[0] == off[1] != off[2]
    assert on[0] == on[1] == on[2]
