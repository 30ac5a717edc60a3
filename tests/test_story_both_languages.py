"""Two stories of one event, each told in both languages, met at the story merge.

In-process, on the story step's own records (Stories.judge with hand-made vectors): one
report at a time, an event's first Arabic and English reports can begin two stories, each
in both languages. Asked as a group against the other story (the story merge), the pairs
across languages share only names and pull the plain mean under the bar. With
`both_languages_known` the group is measured on its pairs written in one language, when it
names nothing new to the story (issue 18's fourteenth round, docs/stories.md); a group
naming someone the story never did is not.
"""

from __future__ import annotations

from monitor.crosslingual import ARABIC, LATIN
from monitor.stories import Stories
from monitor.story_model import Group, StoryRow
from tests.test_story_known_names import ARABIC_WORDS, ENGLISH_WORDS, _member

NAMES = {"@European Union": 0.15, "@Russia": 0.15}  # light: the words decide


def _story() -> StoryRow:
    """One Arabic and one English member, undated: their vectors summed."""
    profile: dict[str, float] = {}
    for m in ({**ARABIC_WORDS, **NAMES}, {**ENGLISH_WORDS, **NAMES}):
        for t, w in _member(m).cut.items():
            profile[t] = profile.get(t, 0.0) + w
    return StoryRow("2026-01-05-story", profile, None, None, "2026-01-05", articles=2)


def _stories(both: bool) -> Stories:
    from tests.test_stories import plain

    return plain(3, 0.55, novelty=0.1, same_language_known=True, both_languages_known=both)


def _group(*extra: dict[str, float]) -> Group:
    arabic = _member({**ARABIC_WORDS, "تجميد": 0.2, **NAMES, **(extra[0] if extra else {})})
    english = _member({**ENGLISH_WORDS, "freez": 0.2, **NAMES, **(extra[0] if extra else {})})
    return Group.of([arabic, english])


def test_a_story_in_both_languages_meets_another_on_its_pairs_in_one_language() -> None:
    group = _group()
    assert group.written == ARABIC | LATIN
    plain = _stories(False).judge(group, _story())
    assert plain is not None and not plain[1]  # under the bar over all four pairs
    judged = _stories(True).judge(group, _story())
    assert judged is not None and judged[1], (plain, judged)
    assert judged[0] > plain[0]


def test_not_when_it_names_someone_new() -> None:
    group = _group({"@Kaja Kallas": 0.5, "@Marco Rubio": 0.5})
    judged = _stories(True).judge(group, _story())
    assert judged is not None and not judged[1]
