"""Beat words and names in other senses, found on the real set's train split (issue 17):
a tennis player who shares a politician's surname, another country's national security
council, a song contest, a vaccine and a drone light show. Each is refused with a reason
an analyst can read; the beat's own uses still tag."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.entities import EntityTagger
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@pytest.fixture(scope="module")
def entities() -> EntityTagger:
    return taggers.entities()  # shared by the test process, read from the suite's cache


@pytest.fixture(scope="module")
def topics() -> TopicTagger:
    return taggers.topics()


def _names(tagger: EntityTagger, text: str) -> set[str]:
    return {e.name for e in tagger.tag(Document(text))}


def test_the_tennis_player_is_not_the_politician(entities: EntityTagger) -> None:
    sport = (
        "تأهل الروسي دانييل ميدفيديف إلى ربع نهائي بطولة أستراليا المفتوحة بعدما تغلب "
        "على الأميركي ماكسيم كريسي. واحتاج ميدفيديف إلى ثلاث ساعات للفوز."
    )
    names = _names(entities, sport)
    assert "Daniil Medvedev" in names and "Dmitry Medvedev" not in names
    politics = "قال ميدفيديف إن الكرملين لن يتراجع، بعد لقاء مع بوتين."
    assert "Dmitry Medvedev" in _names(entities, politics)
    assert "Dmitry Medvedev" in _names(entities, "Dmitry Medvedev warned NATO.")


def test_another_countrys_national_security_council_is_not_washingtons(
    entities: EntityTagger,
) -> None:
    turkish = "بدأ اجتماع مجلس الأمن القومي التركي برئاسة أردوغان في أنقرة."
    names = _names(entities, turkish)
    assert "National Security Council of Turkey" in names
    assert "US National Security Council" not in names
    us = "The White House said the National Security Council met on North Korea."
    assert "US National Security Council" in _names(entities, us)


def test_a_dateline_acronym_names_the_agency(entities: EntityTagger) -> None:
    assert "SPA" in _names(entities, "واس (باريس) أعرب الأمين العام للأمم المتحدة عن قلقه.")


@pytest.mark.parametrize(
    ("text", "topic", "why"),
    [
        (
            "Ukraine wins Eurovision Song Contest. The war-torn country stormed into the "
            "lead after Russia invaded Ukraine; Ukraine finished with 631 points and "
            "Ukrainian flags filled the hall.",
            "ukraine_war",
            "song contest",
        ),
        (
            "Rybakina won Wimbledon. The British did not allow tennis players from Russia "
            "to take part due to the military invasion of Ukraine.",
            "ukraine_war",
            "sport",
        ),
        (
            "Sputnik V (Russian: Спутник V) is a COVID-19 vaccine registered by the "
            "Russian Ministry of Health.",
            "space_satellites",
            "vaccine",
        ),
        (
            "1000 drones lit up the sky at the lantern festival in Guangzhou, China: "
            "the drones formed a rooster, and more drones a happy face.",
            "arms_transfers",
            "light show",
        ),
    ],
)
def test_the_other_sense_is_refused_and_says_why(
    topics: TopicTagger, text: str, topic: str, why: str
) -> None:
    given, refused = topics.decide(Document(text))
    assert topic not in {t.topic for t in given}
    assert any(r.topic == topic and why in r.reason for r in refused), refused


def test_the_war_itself_still_tags(topics: TopicTagger) -> None:
    text = (
        "Russian forces shelled Kharkiv overnight as the war in Ukraine entered its third "
        "year; Ukrainian forces said they shot down 20 drones."
    )
    assert "ukraine_war" in {t.topic for t in topics.tag(Document(text))}
