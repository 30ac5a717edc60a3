"""Which articles raise alerts, and what an alert says.

Only the built-in rule for now: any original article (not a duplicate) with at least one
topic of the taxonomy. Configurable rules and channels come in beside it.
"""

from __future__ import annotations

from typing import Any

from monitor.models import Article

DEFAULT_RULE = "any-topic"


def matching_rules(article: Article) -> list[str]:
    """Names of the rules this article fires. A duplicate never alerts: its original did."""
    if article.duplicate_of is not None or not article.topics:
        return []
    return [DEFAULT_RULE]


def payload(rule: str, article_id: int, article: Article, at: str) -> dict[str, Any]:
    """The alert as logged: what a reader needs to decide whether to open the article."""
    return {
        "at": at,
        "rule": rule,
        "article_id": article_id,
        "title": article.title,
        "topics": [t.topic for t in article.topics],
        "entities": [e.name for e in article.entities],
        "origin": article.item.origin,
        "published": article.published,
        "source": article.source,
        "language": article.language,
        "evidence": {
            t.topic: {"score": t.score, "terms": [m.term for m in t.matches], "snippet": t.snippet}
            for t in article.topics
        },
    }
