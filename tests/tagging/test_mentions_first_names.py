"""Names with no title or reporting verb around them, found by a listed first name or a
Korean name's shape (issue 17, seventh session: on the readable real splits a quarter of
the labelled people were missed, most of them named bare: "X was poisoned", "X met Y").
The names are made up, so no gazetteer entry links them."""

from __future__ import annotations

import taggers

from monitor.tagging.terms import Document


def people(text: str) -> list[str]:
    """The unlinked mentions of people (bodies such as "X Bank" are mentions of their own)."""
    tagger = taggers.entities()
    doc = Document(text)
    return sorted(m.name for m in tagger.unlinked(doc, tagger.tag(doc)) if m.kind == "person")


def test_a_listed_first_name_starts_a_name_without_a_cue() -> None:
    text = "Gennady Orlovsky visited the shipyard on Tuesday and left by train."
    assert people(text) == ["Gennady Orlovsky"]
    text = "The court heard that Oksana and Yelena Dravina had moved to Riga."
    assert "Yelena Dravina" in people(text)


def test_a_korean_name_by_its_shape() -> None:
    # A family name, then a hyphenated given name or two short syllables.
    assert people("Choe Sung-ho inspected the new rail line.") == ["Choe Sung-ho"]
    assert people("On Monday Jang Ryong Chol toured the farm.") == ["Jang Ryong Chol"]


def test_a_first_name_before_a_place_or_a_body_is_no_person() -> None:
    assert people("Elizabeth City Police closed the road.") == []
    assert people("Students at James Monroe University marched.") == []
    assert people("Dmitry Orlov Bank opened a branch.") == []
    # Nor is a Korean family name before a place's head.
    assert people("Boats went up the Han River on Sunday.") == []


def test_an_arab_first_name_starts_a_name_without_a_cue() -> None:
    # The Arabic side's like: a first name that is seldom another word, then a name word.
    assert people("وصل خالد برهوم إلى المطار صباح اليوم.") == ["خالد برهوم"]
    assert people("ورأى طارق زهرون في تقريره أن الميناء مغلق.") == ["طارق زهرون"]
    # A first name that is also a common word starts nothing by itself: عمر is "age".
    assert people("قال المهندس إن عمر المبنى تجاوز مئة عام.") == []


def test_an_arab_first_name_and_a_family_nisba() -> None:
    # One name word and a family nisba with a rare stem make a name, as after a title;
    # a nisba of a common stem is an adjective (محمد العراقي: "the Iraqi").
    assert people("ووصل خالد الزعبلاوي إلى العاصمة أمس.") == ["خالد الزعبلاوي"]
    assert people("ووصل خالد العراقي إلى العاصمة أمس.") == []
