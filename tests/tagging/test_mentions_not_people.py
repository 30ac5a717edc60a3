"""Capitalised words after a title that are no person (issue 17, unlinked precision on the
real train split): a warship named for an admiral, and a league after "Premier"."""

from __future__ import annotations

import taggers


def test_a_ship_named_for_an_admiral_is_no_person() -> None:
    text = "Russian destroyer Admiral Tributs and corvette Gromky established a formation."
    assert taggers.unlinked(text) == []
    assert taggers.unlinked("Admiral Tony Radakin said the fleet was ready.") == ["Tony Radakin"]


def test_a_league_after_premier_is_no_person() -> None:
    assert taggers.unlinked("Premier League chairmen are expected to agree a deduction.") == []
    assert taggers.unlinked("Premier Doug Ford met the delegation.") == ["Doug Ford"]


def test_a_body_a_title_leads_with_or_a_company_suffix_is_no_person() -> None:
    # "Chief Cabinet Secretary X": the cabinet is no name, the name after the title is.
    assert taggers.unlinked("Chief Cabinet Secretary Hiro Tanabe affirmed the measures.") == [
        "Hiro Tanabe"
    ]
    assert taggers.unlinked("The General Staff of the army reported new strikes.") == []
    assert taggers.unlinked("Economy Minister, Vice Chancellor Robert Habeck, said so.") == [
        "Robert Habeck"
    ]
    assert taggers.unlinked("Acme Communications Inc. said the satellite was up.") == []


def test_a_headline_in_title_case_names_nobody() -> None:
    assert taggers.unlinked("Drone Strike Hit Crimean Oil Depot, Senior Official Says") == []
    assert taggers.unlinked("Ukrainian President Reports Capture of Two Soldiers in Kursk") == []
    # A sentence with a full stop is read as before.
    assert taggers.unlinked("The strike was confirmed by Governor Vasily Anokhin.") == [
        "Vasily Anokhin"
    ]


def test_a_place_before_a_comma_and_a_new_subject_is_no_person() -> None:
    text = "They met in Phnom Penh, Japanese Prime Minister Hiroshi Takeda said."
    assert taggers.unlinked(text) == ["Hiroshi Takeda"]
    # A list of people, each with a role before the name, keeps its names.
    text = "Flying were media entrepreneur Danna Karagussova, electrical engineer Clint Kelly."
    assert "Danna Karagussova" in taggers.unlinked(text)


def test_a_name_set_off_after_a_titles_complement() -> None:
    text = "Iran's ambassador to the agency, Reza Najafi, condemned the resolution."
    assert taggers.unlinked(text) == ["Reza Najafi"]
    assert taggers.unlinked("said Army Maj. Charlie Dietz, a Pentagon spokesman.") == [
        "Charlie Dietz"
    ]
