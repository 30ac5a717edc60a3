"""Story records made by hand, for tests of the cross-language rules that score a report's
vector against a story's profile without a store (test_stories_crosslingual.py,
test_story_concepts.py): one place, so the two agree on what a bare report and story are."""

from __future__ import annotations

from monitor.story_model import Features, StoryRow

SEEN = "2025-02-20"


def features(cut: dict[str, float], scripts: int, date: str | None = None) -> Features:
    """A report whose vector is `cut` (entities are its "@" features), written in `scripts`."""
    return Features(
        cut=cut,
        entities=frozenset(t for t in cut if t.startswith("@")),
        vocabulary=tuple(sorted(cut)),
        keys=(),
        date=date,
        seen=SEEN,
        scripts=scripts,
    )


def row(profile: dict[str, float]) -> StoryRow:
    """An undated story of two reports first seen on SEEN, with `profile`."""
    return StoryRow("s", profile, date_lo=None, date_hi=None, undated_seen=SEEN, articles=2)
