"""Rules added from fresh5's English half (issue 17, 5 December, second round): each case is
the shape of a report the rules found no term for, written short. fresh5's English half
trains English's own model, so its misses may be read; the shapes are classes (a delivery
told from the receiving side, a meeting beside the African Union), never one excerpt's
sentence."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def _rule_topics(text: str) -> set[str]:
    return {t.topic for t in taggers.topics().tag(Document(text))}


def test_a_delivery_told_by_the_receiving_side_is_an_arms_transfer() -> None:
    said = "Officials in Bamako said the army had {} at a ceremony on Tuesday."
    assert "arms_transfers" in _rule_topics(
        said.format("received four military helicopters from Russia")
    )
    assert "arms_transfers" in _rule_topics(
        said.format("taken delivery of Russian combat aircraft")
    )
    # A company receiving money, or a report received on planes, is no transfer.
    assert "arms_transfers" not in _rule_topics(
        "The Atlanta aircraft maker received $60 million from the U.S. Air Force for a jet."
    )
    assert "arms_transfers" not in _rule_topics(
        "Japan's army said it had received no reports of damage to ships or planes from "
        "the North Korean launch."
    )


def test_the_african_union_is_no_trade_union() -> None:
    # The summit terms' block for unions (a union's talks with a company are not the beat)
    # blocked "the African Union" and "the Soviet Union" beside a real meeting.
    assert "diplomacy_summits" in _rule_topics(
        "The African Union summit opened in Addis Ababa as President Putin held talks with "
        "the Union's chairperson."
    )
    assert "diplomacy_summits" not in _rule_topics(
        "The union leaders met the company's president for talks on wages; the trade "
        "union said the meeting went well."
    )


def test_another_bodys_security_council_is_not_the_uns() -> None:
    # fresh7's part A (read after it was scored): Sudan's Security and Defence Council and
    # the African Union's Peace and Security Council are not the UN Security Council.
    assert "un_security_council" not in _rule_topics(
        "عقد مجلس الأمن والدفاع السوداني اجتماعه اليوم برئاسة القائد العام للقوات المسلحة."
    )
    assert "un_security_council" not in _rule_topics(
        "The Peace and Security Council of the African Union met in Addis Ababa on Friday "
        "on the war in Sudan."
    )
    assert "un_security_council" in _rule_topics(
        "عقد مجلس الأمن الدولي اجتماعه اليوم بطلب من روسيا لبحث الوضع في أوكرانيا."
    )


def test_a_film_about_the_bomb_is_no_nuclear_programme() -> None:
    # fresh7's part A: box-office news of a film about the first atomic bomb.
    assert "nuclear_missile" not in _rule_topics(
        "Oppenheimer, the film about the physicist who built the atomic bomb for the US "
        "military, topped the box office; the bomb, nuclear weapons and the arms race fill its "
        "three hours, and the nuclear test scene was shot without computer effects."
    )
    assert "nuclear_missile" not in _rule_topics(
        "حقق فيلم أوبنهايمر أعلى الإيرادات في شباك التذاكر، ويروي قصة الفيزيائي الأمريكي الذي "
        "صنع القنبلة الذرية والأسلحة النووية للجيش الأمريكي، ومشهد التجربة النووية."
    )
