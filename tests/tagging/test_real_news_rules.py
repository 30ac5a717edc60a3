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


def _rule_topics(text: str) -> set[str]:
    return {t.topic for t in taggers.topics().tag(Document(text))}


def test_presenting_credentials_is_diplomacy() -> None:
    # Issue 17 (tag17v): an ambassador presenting credentials named no visit or talks.
    assert "diplomacy_summits" in _rule_topics(
        "تسلم وزير الخارجية أوراق اعتماد السفير الروسي الجديد في موسكو."
    )
    assert "diplomacy_summits" in _rule_topics(
        "The new Russian ambassador presented his credentials to the foreign minister."
    )
    assert "diplomacy_summits" not in _rule_topics(
        "The website asks users for their credentials before they can log in."
    )


def test_the_war_is_found_by_its_places_other_spellings_and_conflict() -> None:
    # Issue 17 (tag17v): the gazetteer's other spellings (زابوروجيا، خاركوف) and
    # الصراع ... في أوكرانيا, which the rules did not read as the war.
    assert "ukraine_war" in _rule_topics("قصفت القوات الروسية مدينة خاركوف وزابوروجيا.")
    # (The topic's Arabic anchors still ask for an army, forces or the war's own words.)
    said = "أعربت الوزيرة عن رأيها في الصراع المسلح في {} وقالت إن القوات الروسية تتقدم."
    assert "ukraine_war" in _rule_topics(said.format("أوكرانيا"))
    assert "ukraine_war" not in _rule_topics(said.format("السودان"))
