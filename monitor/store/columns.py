"""An article as its row of the `articles` table: the columns save_article writes and a
revision rewrites (store/revise.py), and the tag columns retag rewrites (retag.py).

Apart from db.py because these turn the pipeline's values into columns (JSON for the
tags and their evidence, the folded copies for the second full-text index) and need no
connection: what a row holds can be read, and changed, in one place, beside none of the
SQL that writes it.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from typing import Any

from monitor.models import Article, EntityTag, TopicTag
from monitor.text.normalize import normalize


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def article_row(article: Article) -> dict[str, Any]:
    """An article's columns, as save_article writes them (and a revision rewrites them)."""
    item = article.item
    return {
        "origin": item.origin,
        "raw_sha256": item.sha256,
        "kind": item.kind,
        "encoding": article.encoding,
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "language": article.language,
        "text": article.body,
        "body_hash": article.body_hash,
        "duplicate_of": article.duplicate_of,
        "similarity": article.similarity,
        "story": article.story,
        **tag_columns(article.topics, article.entities + article.mentions),
        "removed": article.removed_json or "[]",
        "seen_at": item.seen_at.isoformat(timespec="milliseconds"),
        "ingested_at": now(),
        # The folded copies feed `articles_fts`, the second full-text index, kept on
        # purpose: the browser UI's search box and SQL users query it with plain FTS5
        # syntax, where `articles_search` (what `monitor search` and the alert rules read)
        # holds each word with its clitic tails and porter stems. It costs about 0.3 ms
        # of the 2.5 CPU ms save_article takes for an aeb text dump (its trigger dropped
        # or not, 10 alternating rounds; issue 19, docs/benchmarks.md), and one index
        # cannot serve both: folded words with tails and stems would break the plain FTS5
        # phrases and prefixes users write there, and the reverse loses the clitic search.
        "title_norm": normalize(article.title or ""),
        "text_norm": article.folded or normalize(article.body),
    }


def _fields(obj: Any) -> dict[str, Any]:
    """A flat dataclass as a dict. dataclasses.asdict deep-copies every value on the way,
    which cost more than the rest of writing an article's tags; the field names are looked
    up once a class, since dataclasses.fields() builds its tuple again on every call (an
    article holds some 170 removed lines, each one a call: issue 19)."""
    return {name: getattr(obj, name) for name in _names(type(obj))}


@cache
def _names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass or named tuple, in order (models.py)."""
    named: tuple[str, ...] | None = getattr(cls, "_fields", None)
    return named if named is not None else tuple(f.name for f in fields(cls))


def tag_columns(topics: tuple[TopicTag, ...], entities: tuple[EntityTag, ...]) -> dict[str, str]:
    """The columns that hold an article's tags: ids for filters and facets, and the
    evidence behind them. Unlinked names (linked=False) are kept with the mentions only:
    `entities` promises gazetteer names, which filters and alerts can rely on."""
    return {
        "topics": _json([t.topic for t in topics]),
        "entities": _json([e.name for e in entities if e.linked]),
        "evidence": _json(
            [{**_fields(t), "matches": [_fields(m) for m in t.matches]} for t in topics]
        ),
        "entity_mentions": _json([_fields(e) for e in entities]),
    }
