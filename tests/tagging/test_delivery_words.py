"""Deliveries as the receiving side, the ceremony or the count of airframes tells them
(issue 17, fifth session of 5 December): "received", "handed over", "arrived", planes,
helicopters and named systems in English; حصلت، اقتناء، ميراج with the Arabic pair's
five words. Also a leader arriving in one of the beat's capitals, and the beat's leaders
meeting. The rules alone must find them; an aircraft carrier arriving for a drill and a
city's airport receiving planes stay out of the arms topic. Texts written for these tests,
shaped like the readable splits' misses (in other words, places and actors than theirs)."""

from __future__ import annotations

import pytest

from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def rules() -> TopicTagger:
    return TopicTagger(load_taxonomy())


def _given(rules: TopicTagger, text: str) -> set[str]:
    return {t.topic for t in rules.tag(Document(text))}


@pytest.mark.parametrize(
    "text",
    [
        "Mali received several military planes and helicopters from Russia at a ceremony "
        "at the Bamako air base on Tuesday, the defence ministry said.",
        "Russia handed over two more S-300 air defence systems to Belarus, the Russian "
        "defence ministry said on Friday.",
        "The first Su-30SM fighters ordered from Russia arrived at the Kazakh air base on "
        "Monday, the defence ministry said.",
        "حصلت مالي من روسيا على معدات عسكرية جديدة ومروحيات قتالية الأسبوع الماضي.",
        "أعلنت أنقرة اقتناء منظومة إس-400 الروسية رغم تحذيرات واشنطن.",
    ],
)
def test_a_delivery_in_these_words_is_an_arms_transfer(rules: TopicTagger, text: str) -> None:
    assert "arms_transfers" in _given(rules, text)


@pytest.mark.parametrize(
    "text",
    [
        "A U.S. aircraft carrier arrived in Busan on Tuesday for a port call, the navy said.",
        "The city's new airport received its first passenger planes from the airline on "
        "Monday, and more flights will follow in spring.",
    ],
)
def test_planes_and_carriers_arriving_are_not(rules: TopicTagger, text: str) -> None:
    assert "arms_transfers" not in _given(rules, text)


@pytest.mark.parametrize(
    "text",
    [
        "North Korean leader Kim Jong Un arrived in Russia on Tuesday, Japanese media "
        "reported, for talks expected to touch on weapons.",
        "وصل الرئيس الروسي فلاديمير بوتين إلى كوريا الشمالية في مستهل زيارة رسمية.",
        "Russian President Vladimir Putin received the Hungarian prime minister in the "
        "Kremlin on Friday, and the two held talks.",
    ],
)
def test_a_leader_arriving_or_meeting_is_diplomacy(rules: TopicTagger, text: str) -> None:
    assert "diplomacy_summits" in _given(rules, text)


@pytest.mark.parametrize(
    "text",
    [
        # one airframe or one system: the pair's plurals ("fighter jets") do not match it
        "Algeria received one more fighter jet from Russia last week, its defence ministry said.",
        "Belarus said it had received a Russian missile system for its western border, the "
        "ministry said.",
        # a named type with no plural the matcher could add, battle tanks, rocket systems
        "Russia handed over a Pantsir to the army of Serbia, officials in Belgrade said on Monday.",
        "Moscow has delivered the first T-72 battle tanks to the army of Nicaragua, its embassy "
        "said.",
        "Pyongyang shipped rocket systems to Russia last month, Ukraine's intelligence chief said.",
    ],
)
def test_one_airframe_or_a_named_type_delivered_is_an_arms_transfer(
    rules: TopicTagger, text: str
) -> None:
    """Sixth session of 5 December: the English pair named only plurals and a few types."""
    assert "arms_transfers" in _given(rules, text)


def test_a_drone_delivering_parcels_is_not(rules: TopicTagger) -> None:
    text = "A courier firm in Moscow began to deliver parcels by drone to customers on Monday."
    assert "arms_transfers" not in _given(rules, text)


def test_a_joint_military_exercise_in_the_singular_is_an_exercise(rules: TopicTagger) -> None:
    """تدريب عسكري مشترك, as تمرين عسكري: the list held only the plural تدريبات (sixth session)."""
    text = "انطلق في طاجيكستان تدريب عسكري مشترك بين قوات روسيا وطاجيكستان يستمر أسبوعا."
    assert "military_exercises" in _given(rules, text)
    assert "military_exercises" not in _given(rules, "افتتح المعهد دورة تدريب للمهندسين اليوم.")
