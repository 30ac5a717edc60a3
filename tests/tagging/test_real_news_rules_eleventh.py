"""Rules added in the eleventh session (issue 17, 6 December) from the readable splits' rule
misses: each case is the shape of a class of real report, written short here, never one
excerpt's sentence. Each rule was judged once on the unseen batches before it was kept
(docs/tagging.md)."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def _rule_topics(text: str) -> set[str]:
    return {t.topic for t in taggers.topics().tag(Document(text))}


def test_a_statement_to_the_council_opens_by_thanking_its_president() -> None:
    # Eleventh session, from the readable English rule misses: a member's statement at a
    # Council meeting opens "Thank you, Madam President" and may name neither the Council
    # nor the UN in its first paragraph (4 of 4 such openers on the readable splits are
    # labelled un_security_council). Written here, not copied from an excerpt.
    for opener in (
        "Thank you, Madam President.",
        "Thank you, Mr. President.",
        "Thank you Mr President,",
    ):
        assert "un_security_council" in _rule_topics(
            f"{opener} I thank the Under-Secretary-General for her briefing. Colleagues, the "
            "launch last week of another intercontinental ballistic missile by the DPRK "
            "defies this body and threatens the whole region."
        )
    # "Mr. President" alone, a leader addressed at a press conference, is no opener.
    assert "un_security_council" not in _rule_topics(
        "Thank you for welcoming me, Mr. President. Our two countries discussed trade and "
        "energy, and we agreed that our ministers will meet again in the spring."
    )


def test_exercises_are_told_by_the_troops_and_hardware_they_involve() -> None:
    # Eleventh session, from the readable English rule misses: a drill reported by what it
    # involves, its soldiers and hardware more than four words from "exercises".
    assert "military_exercises" in _rule_topics(
        "Exercises involving more than five thousand soldiers and some 900 units of military "
        "equipment began on Monday in the Russian Far East, the defence ministry said."
    )
    # beyond six words the two are not read together (an anchor present: the window decides)
    assert "military_exercises" not in _rule_topics(
        "The exercises of the town choir began on Monday in the old hall, and weeks later "
        "the Russian soldiers of the garrison returned home from their posting."
    )


def test_the_beats_named_missiles_name_their_maker() -> None:
    # A test of a named Russian or North Korean missile may name neither country: the
    # missile's name anchors the topic (and Bulava, Yars count as Sarmat does).
    assert "nuclear_missile" in _rule_topics(
        "The test launch of a Bulava ballistic missile from a submerged submarine in the "
        "White Sea ended in failure when the missile's third stage malfunctioned; it was "
        "the sixth failed flight test of the missile."
    )
    # the gemstone zircon is no missile, and no anchor
    assert "nuclear_missile" not in _rule_topics(
        "Zircon is the birthstone for December. The gem's fire rivals a diamond's, and a "
        "missile-shaped cut is rare; zircon is mined in Australia and South Africa."
    )


def test_a_council_vote_on_ukraine_in_arabic_is_the_war() -> None:
    # Arabic reports put the subject after بشأن or حول: "a Russian draft resolution on
    # Ukraine" stands three or four words from أوكرانيا.
    assert "ukraine_war" in _rule_topics(
        "رفض مجلس الأمن الدولي مشروع قرار روسي بشأن أوكرانيا يدعو إلى إجلاء المدنيين، "
        "وامتنعت ثلاث عشرة دولة عن التصويت."
    )
    # a resolution on another country, with Ukraine named far from it, is not (an anchor,
    # روسيا, present: the window decides)
    assert "ukraine_war" not in _rule_topics(
        "أصدر مجلس الأمن قراراً بشأن تمديد ولاية البعثة في جنوب السودان لعام آخر، وامتنعت روسيا "
        "عن التصويت. وفي شأن آخر، تستضيف العاصمة معرضاً للحرف اليدوية يشارك فيه فنانون من "
        "أوكرانيا."
    )
