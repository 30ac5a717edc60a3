"""Rules added from the real set's train split (issue 17): each case is the shape of a
train excerpt the tagger got wrong, written short."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def test_gov_abbreviation_introduces_a_name() -> None:
    doc = Document("Gov. Mark Gordon on Tuesday issued his veto notice.")
    entities = taggers.entities()
    assert [m.name for m in entities.unlinked(doc, entities.tag(doc))] == ["Mark Gordon"]


def test_nuclear_fusion_research_is_not_the_nuclear_programme() -> None:
    doc = Document(
        "حقق العلماء مكاسب صافية للطاقة من عملية اندماج نووي جرت في مختبر وطني. "
        "ولم يتمكن أي علماء من إنتاج طاقة أكثر مما يستهلكه التفاعل النووي، وفق تقرير "
        "للوكالة الدولية للطاقة الذرية."
    )
    assert "nuclear_missile" not in {t.topic for t in taggers.topics().tag(doc)}


def test_the_south_korean_joint_chiefs_without_hay_a() -> None:
    doc = Document("ونقلت الوكالة عن الأركان المشتركة الكورية الجنوبية أنه تم إطلاق المقذوفين.")
    names = {e.name for e in taggers.entities().tag(doc)}
    assert {"South Korean Joint Chiefs of Staff", "South Korea"} <= names


def test_a_council_resolution_on_ukraine_is_the_war() -> None:
    # Three train publishers, both languages: the vote on a draft "on Ukraine" names the
    # country and Russia, and nothing else of the war's words (issue 17, tag17t).
    tagger = taggers.topics()
    en = Document(
        "The Security Council failed to adopt a draft resolution on Ukraine after Russia's veto. "
        "The resolution on Ukraine had been proposed by two members."
    )
    ar = Document("رفض مجلس الأمن مشروع قرار روسي بشأن أوكرانيا، وامتنعت دول عن التصويت.")
    assert "ukraine_war" in {t.topic for t in tagger.tag(en)}
    assert "ukraine_war" in {t.topic for t in tagger.tag(ar)}
    # A resolution on anything else is not the war.
    other = Document("The Security Council failed to adopt a draft resolution on Sudan after Russia's veto.")
    assert "ukraine_war" not in {t.topic for t in tagger.tag(other)}


def test_arabic_aggression_on_ukraine_is_the_war() -> None:
    doc = Document("وأدانت الدول الأعضاء عدوان روسيا على أوكرانيا في جلسة طارئة.")
    assert "ukraine_war" in {t.topic for t in taggers.topics().tag(doc)}
