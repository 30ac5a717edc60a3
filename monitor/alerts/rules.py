"""Which articles raise alerts, through which channels, and what an alert says.

Rules are evaluated after the article is stored, inside its transaction, so a rule's
full-text query runs against the same FTS index users search, and the alert is written
in the same commit as the article (nothing is lost or doubled by a crash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from monitor.config import BUILTIN_CHANNELS, RuleConfig, StoriesConfig
from monitor.models import Article

DEFAULT_RULE = "any-topic"  # used when config.toml defines no [[alerts.rules]]

AlertKind = Literal["article", "new_story", "story_update", "digest", "test"]


@dataclass(frozen=True)
class Decision:
    rule: str
    kind: AlertKind
    channels: tuple[str, ...]
    digest: bool  # collected into the rule's hourly/daily digest instead of sent alone


# (rule, article_id) -> does the rule's full-text query match this stored article?
QueryCheck = Callable[[str, int], bool]
# (rule, story) -> when this rule last alerted on this story, or None
LastAlert = Callable[[str, str], datetime | None]


class RuleSet:
    def __init__(
        self, rules: tuple[RuleConfig, ...], stories: StoriesConfig, *, console: bool = True
    ) -> None:
        default = RuleConfig(name=DEFAULT_RULE, channels=BUILTIN_CHANNELS if console else ("log",))
        self.rules = rules or (default,)
        self.stories = stories

    def unknown_topics(self, known: set[str]) -> list[str]:
        """Topic ids the rules name but the taxonomy lacks: a typo that would never fire."""
        return [
            f"rule '{r.name}': topic '{t}'"
            for r in self.rules
            for t in (*r.topics, *r.all_topics)
            if t not in known
        ]

    def evaluate(
        self,
        article: Article,
        article_id: int,
        *,
        story_is_new: bool,
        query_matches: QueryCheck,
        last_alert: LastAlert,
        now: datetime,
    ) -> list[Decision]:
        """The alerts this stored article raises. A duplicate never alerts: its original did."""
        if article.duplicate_of is not None:
            return []
        out = []
        for rule in self.rules:
            if not self._matches(rule, article, article_id, query_matches):
                continue
            kind: AlertKind = "article"
            digest = rule.digest != "off"
            if article.story is not None:
                if story_is_new:
                    kind = "new_story"
                else:
                    kind = "story_update"
                    if self.stories.updates == "silent":
                        continue
                    digest = digest or self.stories.updates == "digest"
                    cooldown = rule.cooldown_minutes or self.stories.cooldown_minutes
                    last = last_alert(rule.name, article.story)
                    if not digest and last and now - last < timedelta(minutes=cooldown):
                        continue
            out.append(Decision(rule.name, kind, rule.channels, digest))
        return out

    @staticmethod
    def _matches(
        rule: RuleConfig, article: Article, article_id: int, query_matches: QueryCheck
    ) -> bool:
        topics = {t.topic: t.score for t in article.topics}
        if not topics and not rule.entities and not rule.query:
            return False  # a rule with no subject at all would alert on everything
        if rule.topics and not set(rule.topics) & set(topics):
            return False
        if rule.all_topics and not set(rule.all_topics) <= set(topics):
            return False
        considered = [topics[t] for t in (*rule.topics, *rule.all_topics) if t in topics]
        best = max(considered or topics.values() or [0.0])
        if best < rule.min_score:
            return False
        if rule.entities and not set(rule.entities) & {e.name for e in article.entities}:
            return False
        if rule.languages and article.language not in rule.languages:
            return False
        if rule.sources and not _source_matches(rule.sources, article):
            return False
        return not rule.query or query_matches(rule.query, article_id)


def _source_matches(sources: tuple[str, ...], article: Article) -> bool:
    """A rule's source is the article's source name, or a part of its origin (a host)."""
    wanted = [s.casefold() for s in sources]
    name = (article.source or "").casefold()
    origin = article.item.origin.casefold()
    return any(w == name or w in origin for w in wanted)


def alert_key(rule: str, article_id: int, store_id: str, split: str | None = None) -> str:
    """Stable per (store, rule, article): every retry of an alert carries the same key, so a
    receiver can drop one it already has; another store (or this one rebuilt) makes other
    keys for its own article ids (monitor/store/identity.py). `split`: the story a review
    split off (story_review.py), whose alert its earliest article raises a second time."""
    text = f"{store_id}\x00{rule}\x00{article_id}" + (f"\x00{split}" if split else "")
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def payload(
    decision: Decision, article_id: int, article: Article, at: str, key: str
) -> dict[str, Any]:
    """The alert as channels see it: what a reader needs to decide whether to open the article."""
    return {
        "at": at,
        "rule": decision.rule,
        "kind": decision.kind,
        "key": key,
        "article_id": article_id,
        "title": article.title,
        "topics": [t.topic for t in article.topics],
        "entities": [e.name for e in article.entities],
        "story": article.story,
        "origin": article.item.origin,
        "published": article.published,
        "source": article.source,
        "language": article.language,
        "snippet": _snippet(article),
        "evidence": {
            t.topic: {
                "score": t.score,
                "terms": {m.term: m.count for m in t.matches},
                "snippet": t.snippet,
            }
            for t in article.topics
        },
    }


def _snippet(article: Article, limit: int = 280) -> str:
    text = " ".join(article.body.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def sample_payload(rule: str) -> dict[str, Any]:
    """A made-up alert for `monitor alerts test`: plainly a test, in Arabic and English."""
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    return {
        "at": at,
        "rule": rule,
        "kind": "test",
        "key": f"test-{rule}-{at}",
        "article_id": None,
        "title": "اختبار: تنبيه تجريبي من monitor / Test alert from monitor",
        "topics": ["test"],
        "entities": [],
        "story": None,
        "origin": "monitor alerts test",
        "published": None,
        "source": "monitor",
        "language": None,
        "snippet": "هذا تنبيه تجريبي. This is a test alert; no article is behind it.",
        "evidence": {},
    }
