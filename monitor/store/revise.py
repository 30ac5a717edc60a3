"""A revision's writes: the new version of a file replaces its stored article in place.

monitor/revisions.py decides that an input revises a stored article; this writes it, in
the caller's transaction (the one that also writes the ledger row and the alerts):

- the article row is rewritten under the same id (text, title, tags, evidence, hashes,
  raw bytes), so alert keys, links and other copies' `duplicate_of` stay valid; where it
  came from and when it was first seen and stored do not change;
- the replaced version is recorded in `article_revisions`, naming its raw bytes, which
  stay in `raw` (raw input is kept so anything can be processed again);
- both search indexes follow: `articles_fts` by its triggers, the contentless
  `articles_search` by a 'delete' of the old indexed values and an insert of the new;
- its LSH bands are replaced (a copy keeps none);
- its story membership is replaced rather than added: the old version leaves its story
  (a copy: the copy count; an original: the article count, its terms from the profile and
  from the document frequencies), then the new version joins as any article does. A
  revised original stays in its story (stories.py), so its story's counts do not move.

What is exact and what is not: counts and document frequencies are (the terms an
article adds depend on its words alone). The profile is exact when the article is its
story's only original (it becomes the new version's vector); otherwise the old
version's vector is taken out as computed today, with today's document frequencies,
which may differ a little from the weights it went in with. Dates only widen, and keys
of the old version stay (a stale key only proposes a candidate, which is then scored).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from monitor.config import StoriesConfig
from monitor.dedup import words_of
from monitor.models import Article, EntityTag, Item, Revision
from monitor.revisions import StoredVersion
from monitor.store.columns import article_row, now
from monitor.store.db import Store
from monitor.stories import Stories
from monitor.story_model import label_of
from monitor.text.clitics import index_text, index_words

# What weighs the old version's terms to take them out of its story's profile.
_WEIGHED = StoriesConfig(similarity=1.0, window_days=1.0, concept_share=0, concept_similarity=0)
_KEPT = ("origin", "seen_at", "ingested_at")  # the first version's, whatever follows


class Replaced(NamedTuple):
    article_id: int
    story_is_new: bool  # for the alert rules: the article began the story it is in
    revision: int  # 1 for the first replacement of the article


def stored_version(store: Store, article_id: int) -> StoredVersion | None:
    """The stored article a changed file became last time, for the revision step."""
    row = store.db.execute(
        "SELECT id, text, duplicate_of, story FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    return None if row is None else StoredVersion(int(row[0]), row[1], row[2], row[3])


def replace_article(store: Store, article: Article) -> Replaced:
    """Write `article` over the one its `revision` names; the caller holds the transaction."""
    revision = article.revision
    assert revision is not None, "replace_article() is for revisions"
    db = store.db
    article_id = revision.article_id
    rows = list(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:  # articles are never deleted: a store edited by hand?
        raise LookupError(f"article #{article_id} to be revised is not in the store")
    old = rows[0]
    item = article.item
    store.keep_raw(item.sha256, len(item.raw), item.raw)
    number = (
        1
        + db.execute(
            "SELECT count(*) FROM article_revisions WHERE article_id = ?", [article_id]
        ).fetchone()[0]
    )
    db.execute(
        "INSERT INTO article_revisions (article_id, revision, at, raw_sha256, body_hash, chars) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [article_id, number, now(), old["raw_sha256"], old["body_hash"], len(old["text"])],
    )
    # A contentless FTS5 table forgets a row only when given the values it indexed
    # (SQLite 3.40 has no contentless_delete): index_text() of the stored title and text.
    db.execute(
        "INSERT INTO articles_search (articles_search, rowid, title, body) "
        "VALUES ('delete', ?, ?, ?)",
        [article_id, index_text(old["title"] or ""), index_text(old["text"])],
    )
    row = {k: v for k, v in article_row(article).items() if k not in _KEPT}
    db.execute(
        f"UPDATE articles SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
        [*row.values(), article_id],
    )
    db.execute(
        "INSERT INTO articles_search (rowid, title, body) VALUES (?, ?, ?)",
        [article_id, index_text(article.title or ""), index_words(words_of(article))],
    )
    db.execute("DELETE FROM lsh_bands WHERE article_id = ?", [article_id])
    if article.duplicate_of is None and article.bands:
        db.conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands (key, article_id) VALUES (?, ?)",
            [(key, article_id) for key in article.bands],
        )
    return Replaced(article_id, _move_story(store, article, revision, old), number)


def _move_story(store: Store, article: Article, revision: Revision, old: dict[str, Any]) -> bool:
    """The old version leaves its story, the new one joins its own (the same one, for a
    revised original); True when the article began the story it is now in."""
    link = article.story_link
    kept = link is not None and revision.original and link.story == old["story"]
    previous = _as_article(old)
    if old["story"] is not None:
        _leave(store, old["story"], previous, copy=old["duplicate_of"] is not None)
    if link is None:
        return False
    store.save_story(article, link)
    if not kept:
        return link.new
    # Still the story's first original? Then it began it, and a rule that only the new
    # version matches raises the story's first alert for that rule.
    first = store.db.execute(
        "SELECT min(id) FROM articles WHERE story = ? AND duplicate_of IS NULL", [link.story]
    ).fetchone()[0]
    if first == revision.article_id:  # its label came from the old version: follow it
        store.db.execute(
            "UPDATE stories SET label = ? WHERE id = ? AND label = ?",
            [label_of(article), link.story, label_of(previous)],
        )
    return bool(first == revision.article_id)


def _leave(store: Store, story: str, previous: Article, *, copy: bool) -> None:
    """Undo what save_story did for the old version (see the module docstring)."""
    db = store.db
    if copy:
        db.execute("UPDATE stories SET copies = max(copies - 1, 0) WHERE id = ?", [story])
        return
    row = db.execute("SELECT terms, articles FROM stories WHERE id = ?", [story]).fetchone()
    if row is None:
        return
    # The weights do not depend on the window or the bars: any Stories computes them
    # (this one without event concepts or background: those terms stay in the profile).
    features = Stories(_WEIGHED).plan([previous], store).features
    vector = features[id(previous.item)]
    profile: dict[str, float] = {}
    if row[1] > 1:
        profile = json.loads(row[0])
        for term, weight in vector.cut.items():
            if term in profile:
                left = round(profile[term] - weight, 5)
                if left > 0:
                    profile[term] = left
                else:
                    del profile[term]
    db.execute(
        "UPDATE stories SET articles = max(articles - 1, 0), terms = ? WHERE id = ?",
        [json.dumps(profile, ensure_ascii=False), story],
    )
    terms = [(term,) for term in ("", *vector.vocabulary)]
    db.conn.executemany("UPDATE term_df SET df = df - 1 WHERE term = ?", terms)
    db.conn.executemany("DELETE FROM term_df WHERE term = ? AND df <= 0", terms)


def _as_article(row: dict[str, Any]) -> Article:
    """The stored version as the story step saw it: title, body and entities."""
    entities = tuple(
        EntityTag(e["name"], e["kind"], tuple(e["mentions"]), e["count"])
        for e in json.loads(row["entity_mentions"])
        if e.get("linked", True)  # unlinked names are not story entities
    )
    item = Item(
        origin=row["origin"],
        raw=b"",
        kind=row["kind"],
        seen_at=datetime.fromisoformat(row["seen_at"]),
    )
    return Article(item=item, title=row["title"], body=row["text"], entities=entities)
