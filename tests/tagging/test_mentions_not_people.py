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
