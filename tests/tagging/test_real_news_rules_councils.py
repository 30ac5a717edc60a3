"""Rules added from fresh7's part A (issue 17, 5 December, second round; read after it was
scored as it came): each case is the shape of an off-beat excerpt the tagger gave a topic,
written short. The shapes are classes (another body's security council, a film about the
bomb), never one excerpt's sentence."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def _rule_topics(text: str) -> set[str]:
    return {t.topic for t in taggers.topics().tag(Document(text))}


def test_another_bodys_security_council_is_not_the_uns() -> None:
    # fresh7's part A (read after it was scored): Sudan's Security and Defence Council and
    # the African Union's Peace and Security Council are not the UN Security Council.
    # (Each sentence gave the topic before the block: a session word beside the Council's.)
    assert "un_security_council" not in _rule_topics(
        "عقد مجلس الأمن والدفاع جلسة طارئة في الخرطوم ناقش فيها الوضع الأمني في البلاد."
    )
    assert "un_security_council" not in _rule_topics(
        "The Peace and Security Council held an emergency meeting in Addis Ababa and called "
        "for a ceasefire in Sudan."
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


def test_the_pronoun_us_is_no_anchor_but_the_us_is() -> None:
    # "=US" anchors most topics; folded, it was also the pronoun (fresh7's part A: a
    # regulator's page of "enforcement sanctions ... available to us").
    page = (
        "We regulate political funding. We have powers to impose sanctions where we find a "
        "breach of the rules. The sanctions available to {} are listed below, and each "
        "sanction is explained in our policy. Sanctions apply to most breaches."
    )
    assert "sanctions" not in _rule_topics(page.format("us"))
    assert "sanctions" not in _rule_topics(page.format("US").upper())  # a page in capitals
    # (sanctions are anchored by who is sanctioned, never by the US: the next test; the
    # arms trade still names the US among the beat's actors)
    trade = (
        "We report on the arms trade. Weapons deliveries and arms sales to {} are listed "
        "below, and each arms shipment is explained in our database."
    )
    assert "arms_transfers" not in _rule_topics(trade.format("us"))
    assert "arms_transfers" in _rule_topics(trade.format("the US"))


def test_sanctions_are_anchored_by_who_is_sanctioned_not_who_sanctions() -> None:
    # The eighth session: English anchors as Arabic's. The US, the Treasury or the EU
    # sanctioning someone off the beat (a scam network, a court's staff) is another
    # country's measure; the same measure on a beat actor is the beat's.
    notice = (
        "The US Treasury imposed sanctions on {} on Tuesday, freezing its assets and "
        "blacklisting its leaders; the European Union said it would impose sanctions too."
    )
    assert "sanctions" not in _rule_topics(notice.format("a cyber-scam network in Cambodia"))
    assert "sanctions" in _rule_topics(notice.format("a Russian drone maker"))
    assert "sanctions" in _rule_topics(notice.format("North Korea's central bank"))
