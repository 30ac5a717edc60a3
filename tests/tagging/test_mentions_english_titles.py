"""English names after titles the cues once missed, and capitals after a title that are no
person (issue 17, ent17ak: the classes of entity error on the real train and dev splits).
The names here are made up, so no gazetteer entry links them."""

from __future__ import annotations

import taggers


def test_a_name_after_a_titles_capitalised_complement() -> None:
    # The complement and the name run together: the name is the run's last two words.
    assert taggers.unlinked("Secretary of State Mara Velden also met the envoy.") == ["Mara Velden"]
    text = (
        "Assistant Secretary of State for Export Finance and Financial Crime Lena Ostrova "
        "is going to Astana."
    )
    assert taggers.unlinked(text) == ["Lena Ostrova"]
    text = "He met Under Secretary of the Treasury for Financial Intelligence Brian Q. Talbot."
    assert taggers.unlinked(text) == ["Brian Q. Talbot"]
    # A Korean family name before the two given-name syllables stays with them.
    text = "The Director-General of the Foreign Ministry (FM) Pak Chol Su arrived."
    assert "Pak Chol Su" in taggers.unlinked(text)
    assert "Chol Su" not in taggers.unlinked(text)


def test_a_complement_that_is_a_body_gives_no_name() -> None:
    # The capitals after "for" or "of" are the body itself, with no name after them.
    assert taggers.unlinked("said Ana Lopes, a spokeswoman for Global Harbour, the agency.") == [
        "Ana Lopes"
    ]
    text = "Tom Wade, a coordinator of the End Fuel Poverty Coalition, said the rise was high."
    assert taggers.unlinked(text) == ["Tom Wade"]
    text = "Lee Un-hee, head of the Design Center for Acme’s Device eXperience division, said so."
    assert taggers.unlinked(text) == ["Lee Un-hee"]


def test_leader_a_hyphenated_title_and_dr_without_a_stop() -> None:
    assert taggers.unlinked("The country's leader Arno Velasquez was shown.") == ["Arno Velasquez"]
    text = "The briefing was given. Acting Under-Secretary-General for Aid Joyce Mbeki spoke."
    assert taggers.unlinked(text) == ["Joyce Mbeki"]
    text = "The crew was made of NASA astronaut Dr Karen Vossberg and a cosmonaut."
    assert taggers.unlinked(text) == ["Karen Vossberg"]


def test_capitals_ending_in_a_place_or_before_a_title_are_no_person() -> None:
    assert taggers.unlinked("Quebec, Nova Scotia, Prince Edward Island, and Ontario.") == []
    assert taggers.unlinked("The event is at the King Faris International Conference Center.") == []
    # The words before a title qualify it; the name after it is the person.
    assert taggers.unlinked("The unit shut down, said Matagorda County Judge Nate Burrows.") == [
        "Nate Burrows"
    ]
    text = "He thanked President Joe Biden and Georgia Democratic Sens. Jon Osswald for it."
    assert "Georgia Democratic Sens." not in taggers.unlinked(text)
    assert "Jon Osswald" in taggers.unlinked(text)


def test_a_shared_korean_syllable_makes_no_linked_person() -> None:
    # "Chol" is in the linked Kim Yong Chol's name; Sin Hong Chol is someone else.
    text = "Kim Yong Chol flew in. He was met by Vice Foreign Minister Sin Hong Chol."
    assert taggers.unlinked(text) == ["Sin Hong Chol"]
