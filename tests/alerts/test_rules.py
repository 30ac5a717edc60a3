from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.alerts.rules import DEFAULT_RULE, RuleSet
from monitor.config import RuleConfig, StoriesConfig
from monitor.models import Article, EntityTag, Item, Match, StoryLink, TopicTag
from monitor.store.db import Store

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def article(
    topics: dict[str, float],
    entities: tuple[str, ...] = (),
    *,
    language: str = "ar",
    story: str | None = None,
    duplicate_of: int | None = None,
    body: str = "نص",
) -> Article:
    item = Item(origin="/in/a.txt", raw=body.encode(), kind="text", seen_at=NOW)
    return Article(
        item=item,
        body=body,
        language=language,
        story_link=None if story is None else StoryLink(story, False, 1.0, "label", None, "d"),
        duplicate_of=duplicate_of,
        topics=tuple(TopicTag(t, s, (Match(t, 1, (0,)),), "") for t, s in topics.items()),
        entities=tuple(EntityTag(e, "country", (e,), 1) for e in entities),
    )


def fired(
    rules: RuleSet, a: Article, *, story_is_new: bool = False, last: datetime | None = None
) -> list[str]:
    decisions = rules.evaluate(
        a,
        1,
        story_is_new=story_is_new,
        now=NOW,
        query_matches=lambda q, _id: q in a.body,
        last_alert=lambda r, s: last,
    )
    return [f"{d.rule}:{d.kind}{':digest' if d.digest else ''}" for d in decisions]


def test_default_rule_fires_on_any_topic_and_never_on_duplicates() -> None:
    rules = RuleSet((), StoriesConfig())
    assert fired(rules, article({"sanctions": 1.0})) == [f"{DEFAULT_RULE}:article"]
    assert fired(rules, article({})) == []
    assert fired(rules, article({"sanctions": 1.0}, duplicate_of=3)) == []


def test_topics_entities_language_and_score_filters() -> None:
    rule = RuleConfig(
        name="dprk-arms",
        topics=("arms_transfers",),
        entities=("North Korea",),
        languages=("ar", "en"),
        min_score=2.0,
        channels=("log",),
    )
    rules = RuleSet((rule,), StoriesConfig())
    assert fired(rules, article({"arms_transfers": 3.0}, ("North Korea",))) == ["dprk-arms:article"]
    assert fired(rules, article({"arms_transfers": 1.0}, ("North Korea",))) == []  # score
    assert fired(rules, article({"sanctions": 3.0}, ("North Korea",))) == []  # topic
    assert fired(rules, article({"arms_transfers": 3.0}, ("Iran",))) == []  # entity
    assert fired(rules, article({"arms_transfers": 3.0}, ("North Korea",), language="fr")) == []


def test_all_topics_needs_every_one() -> None:
    rules = RuleSet(
        (RuleConfig(name="both", all_topics=("sanctions", "nuclear_missile")),), StoriesConfig()
    )
    assert fired(rules, article({"sanctions": 1, "nuclear_missile": 1})) == ["both:article"]
    assert fired(rules, article({"sanctions": 1})) == []


def test_story_updates_follow_the_configured_mode_and_cooldown() -> None:
    rule = RuleConfig(name="r", cooldown_minutes=30)
    a = article({"sanctions": 1}, story="s1")
    assert fired(RuleSet((rule,), StoriesConfig()), a, story_is_new=True) == ["r:new_story"]
    assert fired(RuleSet((rule,), StoriesConfig(updates="silent")), a) == []
    alerting = RuleSet((rule,), StoriesConfig(updates="alert"))
    assert fired(alerting, a, last=NOW - timedelta(minutes=10)) == []  # in cooldown
    assert fired(alerting, a, last=NOW - timedelta(minutes=40)) == ["r:story_update"]
    assert fired(RuleSet((rule,), StoriesConfig(updates="digest")), a) == ["r:story_update:digest"]


def test_digest_rules_collect_instead_of_sending() -> None:
    rules = RuleSet((RuleConfig(name="daily", digest="daily"),), StoriesConfig())
    assert fired(rules, article({"sanctions": 1})) == ["daily:article:digest"]


def test_unknown_topics_in_rules_are_reported() -> None:
    rules = RuleSet((RuleConfig(name="r", topics=("sanctons",)),), StoriesConfig())
    assert rules.unknown_topics({"sanctions"}) == ["rule 'r': topic 'sanctons'"]


def test_full_text_query_runs_on_the_stored_article(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    a = replace(article({"sanctions": 1.0}, body="فرضت واشنطن عقوباتٍ على شركة شحن"), body_hash="h")
    with store.db.atomic():
        aid = store.save_article(a)
    assert store.query_matches("عقوبات", aid)
    assert store.query_matches("شحن OR طيران", aid)
    assert not store.query_matches("عقوبات NOT شحن", aid)
    rule = RuleConfig(name="q", query="عقوبات شركه")
    decisions = RuleSet((rule,), StoriesConfig()).evaluate(
        a,
        aid,
        story_is_new=False,
        now=NOW,
        query_matches=store.query_matches,
        last_alert=lambda r, s: None,
    )
    assert [d.rule for d in decisions] == ["q"]
