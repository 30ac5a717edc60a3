"""Sanctions named as the cause of a market move are background, not the topic (issue 17):
a central bank holding its key rate "since the West imposed sanctions", wheat prices at
a record "after the sanctions". The rules refuse `sanctions` there and say why; a
sanctions notice keeps it."""

from __future__ import annotations

import pytest

from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def rules() -> TopicTagger:
    return TopicTagger(load_taxonomy())


@pytest.mark.parametrize(
    "text",
    [
        "أبقى البنك المركزي الروسي سعر الفائدة عند 21 في المئة، أعلى مستوى منذ أن فرض الغرب "
        "عقوبات اقتصادية على موسكو.",
        "Russia's central bank held its key rate at 21%, the highest since the West imposed "
        "sanctions on Moscow.",
        "ارتفعت أسعار القمح إلى أعلى مستوى منذ 2008 بعد فرض عقوبات غربية على روسيا.",
    ],
)
def test_sanctions_behind_a_market_move_are_refused(rules: TopicTagger, text: str) -> None:
    tags, refused = rules.decide(Document(text))
    assert "sanctions" not in {t.topic for t in tags}
    reasons = {r.topic: r.reason for r in refused}
    assert "market moves" in reasons["sanctions"]


def test_a_sanctions_notice_keeps_its_topic(rules: TopicTagger) -> None:
    text = "فرضت وزارة الخزانة الأمريكية عقوبات على مصارف روسية وشركات تساعد موسكو على التهرب."
    assert "sanctions" in {t.topic for t in rules.tag(Document(text))}
