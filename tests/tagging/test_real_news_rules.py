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
