"""Every country's ministries are found by its adjective and name in both languages
(issue 17, entities beyond the list): real news quotes the Turkish, Iranian or Belarusian
foreign ministry, which no hand-made list held, and found only the country."""

from __future__ import annotations

from pathlib import Path

import pytest
import taggers

from monitor.tagging import institutions
from monitor.tagging.entities import EntityEntry, load_gazetteer
from monitor.tagging.institutions import with_ministries


@pytest.mark.parametrize(
    ("text", "ministry", "country"),
    [
        ("وقالت وزارة الخارجية التركية في بيان", "Turkish Ministry of Foreign Affairs", "Turkey"),
        (
            "وأعلنت الخارجية البيلاروسية استدعاء السفير",
            "Belarusian Ministry of Foreign Affairs",
            "Belarus",
        ),
        ("ونقلت وزارة دفاع إيران عن مصادر", "Iranian Ministry of Defence", "Iran"),
        ("وقالت وزارة الطاقة في كازاخستان", "Kazakh Ministry of Energy", "Kazakhstan"),
        ("Turkey's Defence Ministry said on Monday", "Turkish Ministry of Defence", "Turkey"),
        ("the Indian Ministry of Finance said", "Indian Ministry of Finance", "India"),
    ],
)
def test_a_ministry_named_by_its_country_is_the_ministry_and_the_country(
    text: str, ministry: str, country: str
) -> None:
    names = taggers.names(text)
    assert ministry in names
    assert country in names


def test_a_hand_made_ministry_keeps_its_name_and_gains_the_other_wordings() -> None:
    # The gazetteer lists the Iranian foreign ministry by hand with two Arabic wordings;
    # the construct state (وزارة خارجية إيران) is made for it, not for a second entity.
    names = taggers.names("وقالت وزارة خارجية إيران إن المحادثات مستمرة")
    assert "Iranian Ministry of Foreign Affairs" in names
    assert not any(n.startswith("Ministry of Foreign Affairs of Iran") for n in names)


def test_made_wordings_join_the_hand_made_ministry_and_nothing_else_changes() -> None:
    ruritania = EntityEntry(
        kind="country",
        aliases=(
            "Ruritania",
            "Ruritanian",
            "Ruritanians",
            "روريتانيا",
            "الروريتاني",
            "الروريتانية",
        ),
    )
    hand_made = EntityEntry(kind="organisation", aliases=("Ruritanian Foreign Ministry",))
    made = with_ministries({"Ruritania": ruritania, "Foreign Office of Ruritania": hand_made})
    assert made["Ruritania"] == ruritania
    office = made["Foreign Office of Ruritania"]
    assert office.aliases[0] == "Ruritanian Foreign Ministry"
    assert {"وزارة الخارجية الروريتانية", "الخارجية الروريتانية", "وزارة خارجية روريتانيا"} <= set(
        office.aliases
    )
    assert "Ruritanian Ministry of Foreign Affairs" not in made  # no second entity
    defence = made["Ruritanian Ministry of Defence"]
    assert defence.kind == "organisation"
    assert {
        "وزارة الدفاع الروريتانية",
        "وزارة الدفاع في روريتانيا",
        "Ruritania's Defense Ministry",
    } <= set(defence.aliases)
    # One alias, one entity: no made alias is held twice.
    held = [a for e in made.values() for a in e.aliases]
    assert len(held) == len(set(held))


def test_the_ministries_read_from_the_cache_are_those_made_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_gazetteer().entries
    assert load_gazetteer(cache=tmp_path).entries == fresh  # made, and kept in the folder

    def never(_entries: object) -> object:
        raise AssertionError("made again although the cache held them")

    monkeypatch.setattr(institutions, "_plan", never)
    assert load_gazetteer(cache=tmp_path).entries == fresh


@pytest.mark.parametrize(
    ("text", "ministry", "city"),
    [
        ("The Foreign Ministry in Moscow said on Monday", "Russian Foreign Ministry", "Moscow"),
        (
            "Pyongyang's Defence Ministry said",
            "North Korean Ministry of National Defence",
            "Pyongyang",
        ),
        ("وقالت وزارة الخارجية في موسكو إن", "Russian Foreign Ministry", "Moscow"),
    ],
)
def test_a_ministry_named_by_its_capital_is_the_ministry_and_the_capital(
    text: str, ministry: str, city: str
) -> None:
    names = taggers.names(text)
    assert {ministry, city} <= names
