"""The beat's words as namesakes, and the beat's own wordings the rules missed (issue 17,
thirteenth collection of the real set's train split: 65 excerpts from publishers with no
test item). Off-beat: Stacey Abrams (the tank), a phishing "payload", the Battle of Kursk
of 1943, WADA's doping "sanctions" with the invasion as backdrop, a royal gun salute's
"artillery rounds", camera drones at a wedding. On-beat: a Council vote on Moscow's
"attack on Ukraine", the Council "heard" a briefing, Kim Jong Un's "artillery firing
drill". Each case is the shape of a train excerpt, written short; each refusal is one the
rules make (and `monitor show --why` prints), and the beat's reports still tag."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def topics() -> TopicTagger:
    return taggers.topics()


def _given(topics: TopicTagger, text: str) -> set[str]:
    return {t.topic for t in topics.tag(Document(text))}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Stacey Abrams is running for governor again. Abrams lost to Brian Kemp in "
            "2018; since then Abrams has campaigned for voting rights, and Abrams says the "
            "state needs her. The Army and the troops she thanked cheered.",
            "arms_transfers",
        ),
        (
            "In cybersecurity, the payload is the part of a malicious attack that does the "
            "harm: the phishing payload deploys malware. A payload can be a virus; the "
            "payload of ransomware encrypts files. The military uses the word too.",
            "space_satellites",
        ),
        (
            "The Battle of Kursk occupies a special place in the war: the Battle of Kursk "
            "lasted 50 days in 1943, and the Kursk Salient was defended by Soviet troops "
            "against the German offensive.",
            "ukraine_war",
        ),
        (
            "How to judge the effect of the sanctions imposed on Russia in response to its "
            "orchestrated state programme of doping and the cover-up? The original "
            "sanctions proposed by WADA were cut from four years to two by the court.",
            "sanctions",
        ),
        (
            "WADA's sanctions imposed on Russia for its doping programme end this week. "
            "Whether Russian athletes may compete after the invasion of Ukraine is the "
            "more painful question; the anti-doping sanctions were cut by the court.",
            "ukraine_war",
        ),
        (
            "A 41-gun royal salute marked the King's birthday: the King's Troop Royal Horse "
            "Artillery placed six guns beside the ammunition boxes and the army fired "
            "blank artillery rounds until 41 shots had been fired.",
            "arms_transfers",
        ),
        (
            "A drone, an unmanned device used in military operations, is the craze at a "
            "wedding: drones film the couple, and drones give wedding videography its "
            "aerial shots. Drones are loud, photographers warn.",
            "arms_transfers",
        ),
    ],
)
def test_namesakes_get_no_topic(topics: TopicTagger, text: str, topic: str) -> None:
    assert topic not in _given(topics, text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Russia vetoed a UN Security Council resolution demanding that Moscow stop its "
            "attack on Ukraine and withdraw all troops.",
            "ukraine_war",
        ),
        (
            "Amid intensified air strikes on Ukraine, the Security Council today heard "
            "urgent calls for a ceasefire.",
            "un_security_council",
        ),
        (
            "Updating the Security Council today on the humanitarian situation, a senior "
            "official said that civilians near the front line face constant shelling.",
            "un_security_council",
        ),
        (
            "Tomorrow afternoon the Security Council will hold a briefing on the situation, "
            "at the request of Ecuador and France.",
            "un_security_council",
        ),
        (
            "Russian Foreign Minister Sergei Lavrov met Chinese State Councilor and Foreign "
            "Minister Wang Yi in Beijing for talks on bilateral cooperation.",
            "diplomacy_summits",
        ),
        (
            "North Korean leader Kim Jong Un guided an artillery firing drill by the Korean "
            "People's Army, state media KCNA reported.",
            "military_exercises",
        ),
        (
            "Kim Jong Un oversaw a firing contest of artillery sub-units of the Korean "
            "People's Army, KCNA reported.",
            "military_exercises",
        ),
        (
            "The United States will send 31 M1 Abrams tanks to Ukraine's army, the "
            "Pentagon said; the Abrams tanks arrive in autumn.",
            "arms_transfers",
        ),
    ],
)
def test_the_beats_own_wordings_tag(topics: TopicTagger, text: str, topic: str) -> None:
    assert topic in _given(topics, text)


def test_an_army_alone_does_not_anchor_diplomacy(topics: TopicTagger) -> None:
    """A rebel "National Liberation Army" at peace talks in Colombia: diplomacy's words,
    not the beat's actors (its anchors are countries, capitals, leaders and the UN)."""
    colombia = (
        "Colombia's government and the National Liberation Army (ELN) rebels ended a "
        "second round of peace talks in Mexico City; the delegations agreed to start "
        "bilateral talks on a ceasefire, and the negotiations resume in Havana."
    )
    assert "diplomacy_summits" not in _given(topics, colombia)
    assert "diplomacy_summits" in _given(
        topics, colombia.replace("Colombia's government", "Russia's defence ministry")
    )


def test_an_aid_package_is_not_a_sanctions_package(topics: TopicTagger) -> None:
    aid = (
        "The United States announced an additional military package to strengthen "
        "Ukraine's air defenses; the package includes interceptors, and the package "
        "arrives this spring."
    )
    assert "sanctions" not in _given(topics, aid)
    assert "sanctions" in _given(
        topics, "The EU adopted its 14th sanctions package against Russia on Monday."
    )


def test_one_attack_near_ukraine_counts_once(topics: TopicTagger) -> None:
    doc = Document("A new package helps Ukraine protect its people from Russian attacks.")
    war = {t.topic: t for t in topics.tag(doc)}.get("ukraine_war")
    assert war is not None
    near = [m for m in war.matches if "NEAR" in m.term]
    assert [m.count for m in near] == [1], near
