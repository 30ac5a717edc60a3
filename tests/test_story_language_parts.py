"""A batch's group told in both languages meets a story as the stream would meet its
reports one at a time: each language's part alone (`language_parts`, issue 18's fifteenth
round, docs/stories.md). In-process, on small vectors (Stories.judge): the rule itself.

An event's English and Arabic reports grouped first (on names) meet the event's English
story as one group: the Arabic report shares only names with it, so the group's mean
falls under the bar, where the English report alone meets the story on its words and
the Arabic one on its names (crosslingual.py)."""

from __future__ import annotations

from story_records import features as _features
from story_records import row as _row

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import ARABIC, LATIN
from monitor.story_model import Group
from tests.test_stories_crosslingual import NEW_NAME, SAME_NAMES, STORY

# An English report of the story's event: some of its words, and words of its own.
ENGLISH = {
    "sanctions": 0.44,
    "package": 0.35,
    "exports": 0.53,
    "steel": 0.44,
    "@European Union": 0.35,
    "@Russia": 0.27,
}


def _judged(arabic: dict[str, float], parts: bool) -> tuple[float, bool] | None:
    group = Group.of([_features(ENGLISH, LATIN), _features(arabic, ARABIC)])
    assert group.written == ARABIC | LATIN
    return stories_from(StoriesConfig(language_parts=parts)).judge(group, _row(STORY))


def test_each_part_alone_joins_the_story() -> None:
    stories = stories_from(StoriesConfig())
    for cut, script in ((ENGLISH, LATIN), (SAME_NAMES, ARABIC)):
        alone = stories.judge(Group.of([_features(cut, script)]), _row(STORY))
        assert alone is not None and alone[1], (script, alone)


def test_a_group_in_both_languages_joins_when_each_part_would() -> None:
    off = _judged(SAME_NAMES, False)
    assert off is not None and not off[1]  # as one group: under the bar
    on = _judged(SAME_NAMES, True)
    assert on is not None and on[1], (off, on)


def test_not_when_a_part_would_not() -> None:
    """The Arabic report names a body the story never had: alone it needs the usual
    names-alone bar, and misses it; so the group does not join either."""
    alone = stories_from(StoriesConfig()).judge(
        Group.of([_features(NEW_NAME, ARABIC)]), _row(STORY)
    )
    assert alone is not None and not alone[1]
    on = _judged(NEW_NAME, True)
    assert on is not None and not on[1]
