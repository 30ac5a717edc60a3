"""What the browser UI shows: descriptions, facets and canned queries, as Datasette metadata."""

from __future__ import annotations

from typing import Any

ARTICLE_COLUMNS = {
    "id": "Article number, as `monitor show ID` takes it",
    "origin": "The file path or URL the article came from",
    "title": "Headline",
    "text": "The cleaned body: boilerplate, captions and metadata lines removed",
    "lead": "The first 280 characters of the cleaned body",
    "language": "Language code, detected offline from the cleaned body",
    "published": "Publication date (ISO), when the article or its feed states one",
    "source": "Site or feed name",
    "topics": "Topic ids of the taxonomy that matched (JSON list)",
    "entities": "Canonical names of people, countries, organisations and places (JSON list)",
    "evidence": "Per topic: score, matched terms with counts and positions, snippet (JSON)",
    "removed": "Lines the cleaner cut, each with its label and reason (JSON)",
    "duplicate_of": "The article this one is a copy of, if any",
    "story": "The story (event) this article belongs to",
    "ingested_at": "When monitor stored it (UTC)",
    "raw_sha256": "SHA-256 of the raw input, kept in the raw table",
    "title_norm": "Title folded for search (marks, letter forms, case)",
    "text_norm": "Body folded for search (marks, letter forms, case)",
}

_SEARCH = """
SELECT a.id, a.title, monitor_snippet(a.text, :q) AS snippet, a.published, a.source,
       a.language, a.topics, a.origin
FROM articles_search JOIN articles a ON a.id = articles_search.rowid
WHERE articles_search MATCH monitor_fts(:q) AND a.duplicate_of IS NULL
ORDER BY bm25(articles_search, 3.0, 1.0) LIMIT 100
"""

_LATEST_ALERTS = """
SELECT al.at, al.rule, al.kind, ar.id AS article, ar.title, ar.origin,
       json_extract(al.payload, '$.topics') AS topics,
       (SELECT group_concat(d.channel || ': ' || d.status, ', ')
          FROM deliveries d WHERE d.alert_id = al.id) AS deliveries
FROM alerts al LEFT JOIN articles ar ON ar.id = al.article_id
ORDER BY al.id DESC LIMIT 200
"""

_STORIES = """
SELECT story, count(*) AS articles, min(coalesce(published, ingested_at)) AS first_seen,
       max(coalesce(published, ingested_at)) AS last_seen,
       group_concat(DISTINCT source) AS sources, group_concat(title, ' | ') AS titles
FROM articles WHERE story IS NOT NULL AND duplicate_of IS NULL
GROUP BY story ORDER BY last_seen DESC LIMIT 200
"""

_PER_TOPIC = """
SELECT coalesce(published, substr(ingested_at, 1, 10)) AS day, value AS topic,
       count(*) AS articles
FROM articles, json_each(articles.topics) WHERE duplicate_of IS NULL
GROUP BY day, topic ORDER BY day DESC, articles DESC
"""

_FAILED = """
SELECT f.at, f.origin, f.reason, f.size FROM failures f
JOIN ledger l ON l.failure_id = f.id AND l.outcome = 'failed'
ORDER BY f.id DESC
"""


def metadata(db_name: str) -> dict[str, Any]:
    links = (
        "News collected by monitor. <b>Search</b> (Arabic clitics, marks and letter forms "
        f'folded): <a href="/{db_name}/search">search</a> · '
        f'<a href="/{db_name}/latest_alerts">latest alerts</a> · '
        f'<a href="/{db_name}/stories">stories</a> · '
        f'<a href="/{db_name}/articles_per_topic_per_day">articles per topic per day</a> '
        '(<a href="/-/monitor/chart">chart</a>) · '
        f'<a href="/{db_name}/failed_files">failed files</a>'
        ' · <a href="/">the reading room</a>'
    )
    return {
        "title": "monitor",
        "description_html": links,
        "databases": {
            db_name: {
                # "/" is the reading room's (reading.py): the links show on this page.
                "description_html": links,
                "tables": {
                    "articles_overview": {
                        "description": "One row per article, without the index columns.",
                        "facets": [
                            {"array": "topics"},
                            "language",
                            "source",
                            "story",
                            {"array": "entities"},
                        ],
                        "sort_desc": "id",
                        "columns": ARTICLE_COLUMNS,
                    },
                    "articles": {
                        "description": "Everything stored per article (the export contract and more).",
                        "facets": [{"array": "topics"}, "language", "source", "story"],
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "sort_desc": "id",
                        "columns": ARTICLE_COLUMNS,
                    },
                    "raw": {
                        "description": "Every input byte for byte, by SHA-256: anything can be re-processed."
                    },
                    "failures": {
                        "description": "Inputs that could not be processed, with the reason."
                    },
                    "ledger": {
                        "description": "One row per inbox file: what it was when processed, and the outcome."
                    },
                    "alerts": {"description": "Alerts raised by the rules (the outbox)."},
                    "deliveries": {
                        "description": "One row per alert and channel: pending, sent or dead."
                    },
                    "feed_state": {"description": "Per feed: validators, health and backoff."},
                    "feed_entries": {
                        "description": "Entries seen per feed: each is stored and alerted once."
                    },
                    "articles_search": {"hidden": True},
                    "articles_fts": {"hidden": True},
                },
                "queries": {
                    "search": {
                        "title": "Search articles",
                        "description": "عقوبات finds العقوبات, بالعقوبات, عقوباتٍ; sanction finds Sanctions. "
                        'Words are ANDed; OR, NOT, "phrases" and prefix* work.',
                        "sql": _SEARCH,
                    },
                    "latest_alerts": {"title": "Latest alerts", "sql": _LATEST_ALERTS},
                    "stories": {"title": "Stories with their articles", "sql": _STORIES},
                    "articles_per_topic_per_day": {
                        "title": "Articles per topic over time",
                        "sql": _PER_TOPIC,
                    },
                    "failed_files": {"title": "Failed files, not yet processed", "sql": _FAILED},
                },
            }
        },
    }
