"""Is a changed file a later version of the article it became, or another article?

A writer that closes its file between appends and pauses longer than `settle_seconds`
makes the daemon read a fragment first (issue 14). Before this, every later version was
a new input: a new article, or a copy of the fragment, which search leaves out, so the
complete text was never found and a rule that only the complete text matches never
fired. Now a changed file whose ledger row names a stored article is compared with that
article, and when the two versions share most of their text it is a *revision*: the new
version replaces the stored article under the same id (store/revise.py), so links, copies'
`duplicate_of` and alert keys stay valid, and an alert already sent for a rule is not
sent again (same rule and article id: same key, queued once).

Why shared shingles over the smaller version: an append keeps all of the old text (the
old version is contained in the new), an editor's cut keeps most of the new in the old,
and a corrected word or two changes a few shingles either way. Two different articles,
even on the same event by the same outlet, share about 1% of their word 3-shingles
(NOTES.md); half is far from both. A file rewritten with another article is not a
revision: it is stored as a new article, as any changed file was before.

This is a pipeline step that reads the store (it runs in order, before the copy check,
which must not call the new version a copy of its own earlier one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from monitor.dedup import compare, shingles, shingles_of, words_of
from monitor.models import Article, Revision

# Shingles the two versions share, over the smaller version's: at least this much and the
# new version replaces the old. See the docstring for why half.
REVISION_OVERLAP = 0.5


@dataclass(frozen=True)
class StoredVersion:
    """What the step needs to know of the article a file became last time."""

    article_id: int
    text: str
    duplicate_of: int | None
    story: str | None


# article id -> the stored article, or None (not there any more)
StoredLookup = Callable[[int], StoredVersion | None]


def revision_step(
    lookup: StoredLookup, overlap: float = REVISION_OVERLAP
) -> Callable[[Article], Article]:
    """Marks an input that revises its file's stored article; any other input passes."""

    def step(article: Article) -> Article:
        previous = article.item.previous
        if previous is None:
            return article
        stored = lookup(previous)
        if stored is None:
            return article
        shared = compare(shingles_of(words_of(article)), shingles(stored.text)).contained
        if shared < overlap:
            return article  # another article in the same file: a new one, as before
        return replace(
            article,
            revision=Revision(
                article_id=stored.article_id,
                original=stored.duplicate_of is None,
                story=stored.story,
                overlap=round(shared, 4),
            ),
        )

    return step


def alert_fields(article: Article, revision_number: int | None) -> dict[str, Any]:
    """What an alert raised by a revision adds to its payload: that the article was
    revised (so a reader knows it is the complete or corrected text of an article that
    may have alerted before for another rule), and which revision it is."""
    if article.revision is None:
        return {}
    return {"revised": True, "revision": revision_number}
