"""A story told in both languages, met by a report in one of them that names nothing new.

In-process, on the story step's own records (Stories.judge with hand-made vectors): the
words of an Arabic report meet only the Arabic member of a story told in Arabic and English,
so its plain mean cosine with the story is pulled under the bar by the English members. With
`same_language_known` it is also measured against the members in its own language, but only
when its names are the story's (issue 18's sixth round, docs/stories.md): a look-alike event
names someone the story never did.
"""

from __future__ import annotations

from monitor.crosslingual import ARABIC, scripts
from monitor.stories import Stories
from monitor.story_model import Features, Group, StoryRow, unit_vector
from tests.test_stories import plain

NAMES = {"@European Union": 0.4, "@Russia": 0.4}
ARABIC_WORDS = {"عقوبات": 0.6, "حزمه": 0.5, "سفن": 0.3}
ENGLISH_WORDS = {"sanction": 0.6, "packag": 0.5, "tanker": 0.3}


def _member(vector: dict[str, float]) -> Features:
    cut = unit_vector(vector)
    return Features(
        cut=cut,
        entities=frozenset(t for t in cut if t.startswith("@")),
        vocabulary=tuple(sorted(cut)),
        keys=tuple(cut),
        date=None,
        seen="2026-01-05",
        scripts=scripts(cut),
    )


def _story() -> StoryRow:
    """One Arabic and two English members, undated: their vectors summed."""
    profile: dict[str, float] = {}
    members = [{**ARABIC_WORDS, **NAMES}, {**ENGLISH_WORDS, **NAMES}, {**ENGLISH_WORDS, **NAMES}]
    for m in members:
        for t, w in _member(m).cut.items():
            profile[t] = profile.get(t, 0.0) + w
    return StoryRow("2026-01-05-story", profile, None, None, "2026-01-05", articles=3)


def _stories(known: bool) -> Stories:
    return plain(3, 0.55, novelty=0.1, same_language_known=known)


def test_a_report_naming_nothing_new_meets_the_members_in_its_language() -> None:
    report = _member({**ARABIC_WORDS, "تجميد": 0.2, **NAMES})
    group = Group.of([report])
    assert group.written == ARABIC
    plain = _stories(False).judge(group, _story())
    assert plain is not None and not plain[1]  # under the bar with all three members
    judged = _stories(True).judge(group, _story())
    assert judged is not None and judged[1], (plain, judged)
    assert judged[0] > plain[0]


def test_a_report_that_names_someone_new_does_not() -> None:
    report = _member({**ARABIC_WORDS, "تجميد": 0.2, **NAMES, "@Kaja Kallas": 0.4})
    judged = _stories(True).judge(Group.of([report]), _story())
    assert judged is not None and not judged[1]
