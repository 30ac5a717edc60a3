"""What the reading room reads: stories, one story, one article, an entity's articles, alerts.

Plain functions over a sqlite3 connection that Datasette opened read-only (server.py), run
in Datasette's thread pool through `execute_fn`. Search goes through the store's own
`StoreReads.search` (store/reads.py), so the search box gives exactly what `monitor search`
gives. Columns other helpers may add or drop later are read with `.get` on `SELECT *` rows
rather than named in SQL, so a store one migration ahead or behind still renders.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from monitor.store.query import Filters
from monitor.store.readonly import Params
from monitor.store.reads import StoreReads

PAGE = 50  # stories, articles or alerts per page


def rows(conn: sqlite3.Connection, sql: str, params: Params = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, () if params is None else params)
    keys = [d[0] for d in cursor.description or ()]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


class _Connection:
    """The `query`/`execute` pair StoreReads needs, over Datasette's read connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, () if parameters is None else parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        return iter(rows(self.conn, sql, params))


class _Reads(StoreReads):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.db = _Connection(conn)  # type: ignore[assignment]  # the two calls it uses


def search(
    conn: sqlite3.Connection, query: str, filters: Filters, limit: int = PAGE
) -> list[dict[str, Any]]:
    """`monitor search QUERY --limit N` with the same filters: the same function."""
    return _Reads(conn).search(query, filters, limit=limit)


def _json(value: Any, default: Any) -> Any:
    if not isinstance(value, str):
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


@dataclass(frozen=True)
class StoryFilters:
    """The home page's filters; an article of the story must satisfy all of them."""

    topic: str = ""
    entity: str = ""
    language: str = ""
    source: str = ""
    since: str = ""
    until: str = ""

    def articles(self) -> Filters:
        return Filters(
            topic=(self.topic,) if self.topic else (),
            entity=(self.entity,) if self.entity else (),
            since=self.since or None,
            until=self.until or None,
            source=self.source or None,
            language=self.language or None,
        )

    def active(self) -> bool:
        return any(vars(self).values())


def has_labels(conn: sqlite3.Connection) -> bool:
    """Whether the store has the label index (migration m009): `monitor ui` opens stores
    read-only and never upgrades them, so a store the daemon has not opened since may lack it."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_labels'"
    ).fetchone()
    return found is not None


def _article_filter(
    conn: sqlite3.Connection, filters: StoryFilters, *, per_article: bool
) -> tuple[str, list[Any]]:
    """The filters over `articles a`, topics and entities through the label index when the
    store has it (else through json_each, as store/query.py's Filters does): a key lookup
    per article (per_article) when a few articles are tested, else the set of ids."""
    if not has_labels(conn):
        return filters.articles().where("a")
    plain = StoryFilters(**(vars(filters) | {"topic": "", "entity": ""}))
    where, args = replace(plain.articles(), duplicates=True).where("a")
    # Copies left out, but never through articles_duplicate_of: "IS NULL" holds for most
    # rows, and the planner picked that index over the day's (0.45 s, not 15 ms).
    where += " AND +a.duplicate_of IS NULL"
    for kind, value in (("topic", filters.topic), ("entity", filters.entity)):
        if value and per_article:
            where += (
                " AND EXISTS (SELECT 1 FROM article_labels l WHERE l.kind = ? AND l.value = ? "
                "AND l.article_id = a.id)"
            )
            args += [kind, value]
        elif value:
            where += (
                " AND a.id IN (SELECT article_id FROM article_labels WHERE kind = ? AND value = ?)"
            )
            args += [kind, value]
    return where, args


# Stories walked newest first before the home page looks at all of them for a filter.
_WALK = 500


def stories(
    conn: sqlite3.Connection, filters: StoryFilters, before: str = "", limit: int = PAGE
) -> list[dict[str, Any]]:
    """Stories newest first (by their last article), with what the list shows of each.

    Unfiltered, the page walks `stories_last_seen` and stops at `limit`. Filtered, it first
    walks the newest _WALK stories testing each for a matching article (cheap when the
    filter is common); when that finds too few, the matching articles are found through
    the indexes (labels, day) and their stories sorted (cheap when the filter is rare).
    """
    older = "WHERE last_seen < ?" if before else ""
    head = [before] if before else []
    if not filters.active():
        found = rows(
            conn,
            f"SELECT * FROM stories {older} ORDER BY last_seen DESC LIMIT ?",
            [*head, limit],
        )
    else:
        where, args = _article_filter(conn, filters, per_article=True)
        found = rows(
            conn,
            f"SELECT s.* FROM (SELECT * FROM stories {older} ORDER BY last_seen DESC LIMIT ?) s "
            f"WHERE EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND {where}) "
            "ORDER BY s.last_seen DESC LIMIT ?",
            [*head, _WALK, *args, limit],
        )
        if len(found) < limit:
            where, args = _article_filter(conn, filters, per_article=False)
            older_s = "AND s.last_seen < ?" if before else ""
            found = rows(
                conn,
                "SELECT s.* FROM stories s WHERE s.id IN "
                f"(SELECT a.story FROM articles a WHERE {where}) {older_s} "
                "ORDER BY s.last_seen DESC LIMIT ?",
                [*args, *head, limit],
            )
    for story in found:
        story.update(_story_summary(conn, story["id"]))
    return found


def _story_summary(conn: sqlite3.Connection, story: str) -> dict[str, Any]:
    members = rows(
        conn,
        "SELECT id, title, source, origin, language, topics, duplicate_of FROM articles "
        "WHERE story = ? ORDER BY id",
        [story],
    )
    originals = [m for m in members if m["duplicate_of"] is None] or members
    topics: dict[str, int] = {}
    for m in originals:
        for topic in _json(m["topics"], []):
            topics[topic] = topics.get(topic, 0) + 1
    headline = next((m["title"] for m in originals if m["title"]), None)
    return {
        "headline": headline,
        "first_article": originals[0]["id"] if originals else None,
        "n_articles": len(members),
        "n_sources": len({m["source"] or m["origin"] for m in members}),
        "languages": sorted({m["language"] for m in members if m["language"]}),
        "topics": sorted(topics, key=lambda t: -topics[t]),
    }


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """One story: its original reports in time order, each with its copies under it."""
    found = rows(conn, "SELECT * FROM stories WHERE id = ?", [story_id])
    if not found:
        return None
    record = found[0]
    record.pop("terms", None)
    members = rows(
        conn,
        "SELECT * FROM articles WHERE story = ? "
        "ORDER BY coalesce(published, substr(ingested_at, 1, 10)), ingested_at, id",
        [story_id],
    )
    by_id = {m["id"]: _member(m) for m in members}
    originals = []
    for m in by_id.values():
        original = by_id.get(m["duplicate_of"]) if m["duplicate_of"] is not None else None
        if original is not None:
            original["copies"].append(m)
        else:
            originals.append(m)  # an original, or a copy of an article of another story
    record["originals"] = originals
    record["columns"] = _by_language(originals)
    record.update(_story_summary(conn, story_id))
    return record


def _member(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "source": row["source"],
        "origin": row["origin"],
        "language": row["language"],
        "published": row["published"],
        "ingested_at": row["ingested_at"],
        "duplicate_of": row["duplicate_of"],
        "similarity": row.get("similarity"),
        "lead": (row["text"] or "")[:240],
        "topics": _json(row["topics"], []),
        "copies": [],
    }


def _by_language(originals: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Arabic first, English second, any other language after: side by side on the page."""
    columns: dict[str, list[dict[str, Any]]] = {}
    for m in originals:
        columns.setdefault(m["language"] or "?", []).append(m)
    order = {"ar": 0, "en": 1}
    return sorted(columns.items(), key=lambda kv: (order.get(kv[0], 2), kv[0]))


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    found = rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not found:
        return None
    row = found[0]
    record = {k: row.get(k) for k in row if not k.endswith("_norm")}
    record["topics"] = _json(row.get("topics"), [])
    record["entities"] = _json(row.get("entities"), [])
    record["evidence"] = [e for e in _json(row.get("evidence"), []) if isinstance(e, dict)]
    record["mentions"] = [m for m in _json(row.get("entity_mentions"), []) if isinstance(m, dict)]
    record["removed"] = [r for r in _json(row.get("removed"), []) if isinstance(r, dict)]
    record["copies"] = rows(
        conn,
        "SELECT id, origin, source, similarity FROM articles WHERE duplicate_of = ? ORDER BY id",
        [article_id],
    )
    if row.get("duplicate_of") is not None:
        record["original"] = next(
            iter(rows(conn, "SELECT id, title FROM articles WHERE id = ?", [row["duplicate_of"]])),
            None,
        )
    return record


def entity_articles(conn: sqlite3.Connection, name: str, limit: int = PAGE) -> list[dict[str, Any]]:
    """Articles naming an entity, newest first (copies left out)."""
    if has_labels(conn):
        match, args = (
            "a.id IN (SELECT article_id FROM article_labels WHERE kind = 'entity' AND value = ?)",
            [name],
        )
    else:
        match, args = "EXISTS (SELECT 1 FROM json_each(a.entities) WHERE value = ?)", [name]
    return rows(
        conn,
        "SELECT a.id, a.title, a.source, a.origin, a.published, a.language, a.story, "
        "a.ingested_at, substr(a.text, 1, 200) AS lead FROM articles a "
        f"WHERE a.duplicate_of IS NULL AND {match} ORDER BY a.id DESC LIMIT ?",
        [*args, limit],
    )


def alerts(conn: sqlite3.Connection, after: int = 0, limit: int = PAGE) -> list[dict[str, Any]]:
    """The latest alerts (those after `after`), each with its deliveries per channel."""
    found = rows(
        conn,
        "SELECT al.id, al.rule, al.kind, al.at, al.story, al.article_id, al.payload, "
        "ar.title, ar.origin FROM alerts al LEFT JOIN articles ar ON ar.id = al.article_id "
        "WHERE al.id > ? ORDER BY al.id DESC LIMIT ?",
        [after, limit],
    )
    if not found:
        return []
    ids = [a["id"] for a in found]
    deliveries: dict[int, list[dict[str, Any]]] = {}
    marks = ",".join("?" * len(ids))
    for d in rows(
        conn,
        "SELECT alert_id, channel, status, attempts, next_attempt, last_error, sent_at "
        f"FROM deliveries WHERE alert_id IN ({marks}) ORDER BY channel",
        ids,
    ):
        deliveries.setdefault(d["alert_id"], []).append(d)
    for a in found:
        payload = _json(a.pop("payload"), {})
        a["topics"] = payload.get("topics", []) if isinstance(payload, dict) else []
        a["title"] = a["title"] or (payload.get("title") if isinstance(payload, dict) else None)
        a["deliveries"] = deliveries.get(a["id"], [])
    return found


def waiting(conn: sqlite3.Connection, limit: int = PAGE) -> list[dict[str, Any]]:
    """Deliveries waiting for a retry (pending after a failed attempt), soonest first."""
    return rows(
        conn,
        "SELECT d.alert_id, d.channel, d.attempts, d.next_attempt, d.last_error, a.rule, "
        "a.article_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.status = 'pending' ORDER BY d.next_attempt LIMIT ?",
        [limit],
    )


def latest_alert(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0])
