"""What the commands and the UI read from the store: search, filtered lists and exports,
one article, stories, alert deliveries, statistics and status counts.

A mixin of Store (db.py), so callers keep calling `store.search(...)`: these methods need
nothing of Store but its connection, `self.db`, which is a connection.Database when the
store is open for writing and a ReadOnlyDatabase (readonly.py) for the read commands; they
use only the `query` and `execute` both offer. They are apart from db.py because db.py is
about writing (and the few reads the pipeline makes while it writes), and the two grew
past what one module should hold. The export contract (EXPORT_FIELDS, export_row) is here
with the reads that produce it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.store.failures import failure_counts, open_failures
from monitor.store.query import Filters, fts_query, snippet

if TYPE_CHECKING:
    from monitor.store.connection import Database


class StoreReads:
    """The read queries of Store; see the module docstring."""

    db: Database

    def stories(self, days: float | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Recent stories, latest first, with their sources, for `monitor stories`."""
        since = (
            (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds")
            if days
            else ""
        )
        rows = list(
            self.db.query(
                "SELECT id, label, first_seen, last_seen, date_lo, date_hi, articles, copies "
                "FROM stories WHERE last_seen >= ? ORDER BY last_seen DESC LIMIT ?",
                [since, limit],
            )
        )
        for row in rows:
            row["sources"] = self.story_sources(row["id"])
        return rows

    def story_sources(self, story: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT coalesce(source, origin) FROM articles WHERE story = ? "
                "ORDER BY id",
                [story],
            ).fetchall()
        ]

    def story(self, story: str) -> dict[str, Any] | None:
        """One story with its articles (copies marked), for `monitor story`."""
        rows = list(self.db.query("SELECT * FROM stories WHERE id = ?", [story]))
        if not rows:
            return None
        record = rows[0]
        record.pop("terms")
        record["sources"] = self.story_sources(story)
        record["members"] = list(
            self.db.query(
                "SELECT id, title, source, origin, published, duplicate_of, similarity, "
                "ingested_at FROM articles WHERE story = ? ORDER BY id",
                [story],
            )
        )
        return record

    def deliveries(self, status: str, limit: int = 100) -> list[dict[str, Any]]:
        sql = (
            "SELECT d.id, d.channel, d.status, d.attempts, d.last_error, d.sent_at, "
            "a.rule, a.kind, a.article_id, a.key, a.at, a.payload "
            "FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
            "WHERE d.status = ? ORDER BY d.id DESC LIMIT ?"
        )
        return [
            dict(r) | {"payload": json.loads(r["payload"])}
            for r in self.db.query(sql, [status, limit])
        ]

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article in the export contract's shape, oldest first."""
        return self.select(Filters(duplicates=True))

    def search(
        self, query: str, filters: Filters | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Articles matching a full-text query and filters, best first, with snippets."""
        fts = fts_query(query)
        if not fts:
            return []
        where, args = (filters or Filters()).where("a")
        sql = (
            "SELECT a.*, bm25(articles_search, 3.0, 1.0) AS rank FROM articles_search "
            "JOIN articles a ON a.id = articles_search.rowid "
            f"WHERE articles_search MATCH ? AND {where} ORDER BY rank LIMIT ?"
        )
        out = []
        for row in self.db.query(sql, [fts, *args, limit]):
            found = export_row(row) | {"rank": row["rank"]}
            found["snippet"] = snippet(row["text"], query)
            out.append(found)
        return out

    def select(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        """Articles matching filters, oldest first, in the export contract's shape."""
        where, args = (filters or Filters(duplicates=True)).where("a")
        for row in self.db.query(f"SELECT * FROM articles a WHERE {where} ORDER BY a.id", args):
            yield export_row(row)

    def article(self, article_id: int) -> dict[str, Any] | None:
        """Everything about one article, for `monitor show`."""
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            return None
        row = rows[0]
        record = export_row(row) | {
            key: row[key]
            for key in ("encoding", "ingested_at", "seen_at", "kind", "raw_sha256", "similarity")
        }
        if row["story"]:
            story = self.db.execute(
                "SELECT label, articles + copies FROM stories WHERE id = ?", [row["story"]]
            ).fetchone()
            if story is not None:
                record["story_label"], record["story_size"] = story
        record["entity_mentions"] = json.loads(row["entity_mentions"])
        record["removed"] = json.loads(row["removed"])
        record["copies"] = list(
            self.db.query(
                "SELECT id, origin, source, similarity, ingested_at FROM articles "
                "WHERE duplicate_of = ? ORDER BY id",
                [article_id],
            )
        )
        record["revisions"] = list(  # earlier versions it replaced (docs/revisions.md)
            self.db.query(
                "SELECT revision, at, raw_sha256, chars FROM article_revisions "
                "WHERE article_id = ? ORDER BY revision",
                [article_id],
            )
        )
        return record

    def stats(self, days: int) -> dict[str, dict[str, int]]:
        """Counts for `monitor stats`, duplicates left out."""
        q = self.db.execute
        day = "coalesce(published, substr(ingested_at, 1, 10))"
        per_day = q(
            f"SELECT {day} AS d, count(*) FROM articles WHERE duplicate_of IS NULL "
            "GROUP BY d ORDER BY d DESC LIMIT ?",
            [days],
        ).fetchall()
        per_topic = q(
            "SELECT value, count(*) FROM articles, json_each(articles.topics) "
            "WHERE duplicate_of IS NULL GROUP BY value ORDER BY 2 DESC"
        ).fetchall()
        per_source = q(
            "SELECT coalesce(source, '(unknown)'), count(*) FROM articles "
            "WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 15"
        ).fetchall()
        per_language = q(
            "SELECT coalesce(language, '?'), count(*) FROM articles "
            "WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        return {
            "per_day": dict(reversed(per_day)),
            "per_topic": dict(per_topic),
            "per_source": dict(per_source),
            "per_language": dict(per_language),
            "deliveries": self.delivery_counts(),
        }

    def status(self) -> dict[str, Any]:
        """What `monitor status` reports: the daemon's heartbeat and the store's counts."""
        daemon = next(iter(self.db.query("SELECT * FROM daemon WHERE id = 1")), None)
        last = self.db.execute("SELECT max(ingested_at) FROM articles").fetchone()[0]
        latest = open_failures(self.db, 1)  # the latest whose input was not stored since
        failure = {k: latest[0][k] for k in ("origin", "reason", "at")} if latest else None
        return {"daemon": daemon, "last_ingest": last, "last_failure": failure} | self.counts()

    def delivery_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall()
        return {"pending": 0, "sent": 0, "dead": 0} | {r[0]: r[1] for r in rows}

    def failing_feeds(self) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM feed_state WHERE error_count > 0").fetchone()[0]
        )

    def counts(self) -> dict[str, int]:
        q = self.db.execute
        failures, resolved = failure_counts(self.db)
        return {
            "articles": q("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0],
            "duplicates": q(
                "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
            ).fetchone()[0],
            "failures": failures,  # open ones: their input has not been stored since
            "failures_resolved": resolved,
            "alerts": q("SELECT count(*) FROM alerts").fetchone()[0],
            "deliveries_pending": q(
                "SELECT count(*) FROM deliveries WHERE status = 'pending'"
            ).fetchone()[0],
            "deliveries_dead": q(
                "SELECT count(*) FROM deliveries WHERE status = 'dead'"
            ).fetchone()[0],
        }


EXPORT_FIELDS = (
    "id",
    "origin",
    "title",
    "text",
    "language",
    "published",
    "source",
    "topics",
    "entities",
    "duplicate_of",
    "story",
)


def export_row(row: dict[str, Any]) -> dict[str, Any]:
    """The export contract: other tools read these names, so they never change."""
    out = {name: row[name] for name in EXPORT_FIELDS}
    out["topics"] = json.loads(row["topics"])
    out["entities"] = json.loads(row["entities"])
    out["evidence"] = json.loads(row["evidence"])
    return out
