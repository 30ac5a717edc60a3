"""Aliases that need more than their words (issue 17): context aliases and cased aliases.

سيول is Seoul in a Korea story and floods elsewhere; "US" is the United States and "us"
the pronoun. The gazetteer says which aliases need a context entity or their capitals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from taggers import names

from monitor.config import ConfigError
from monitor.tagging.entities import load_gazetteer


def test_a_context_alias_counts_beside_its_context() -> None:
    assert "Seoul" in names("قالت سيول إن كوريا الشمالية أطلقت صاروخا باليستيا")
    assert "UN Panel of Experts on North Korea" in names(
        "Russia vetoed the renewal of the panel of experts that monitors North Korea sanctions."
    )


def test_a_context_alias_alone_keeps_its_everyday_sense() -> None:
    assert "Seoul" not in names("اجتاحت سيول جارفة عدة قرى بعد أمطار غزيرة")
    assert "UN Panel of Experts on North Korea" not in names(
        "A panel of experts will judge the regional baking contest."
    )


def test_us_in_capitals_is_the_united_states_and_the_pronoun_is_not() -> None:
    assert "United States" in names("Pyongyang warned US troops near the border.")
    assert "United States" not in names("Let us know when the match starts.")
    assert "United States" not in names("JOIN US FOR THE SUMMER FESTIVAL")


def test_a_cased_alias_at_a_sentences_end_counts() -> None:
    # The full stop ends the sentence; before a letter it would make a longer token.
    assert "United States" in names("The meeting was requested by Norway and the US. It met.")
    assert "United States" not in names("The rules are on the portal US.gov for all.")


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ("", "'Seoul' has context_aliases but no `context`"),  # the entity is named
        ('context = ["Korea"]\n', "`context` names Korea"),  # an unknown entity
    ],
)
def test_a_context_alias_needs_a_context_of_known_entities(
    tmp_path: Path, context: str, message: str
) -> None:
    path = tmp_path / "gazetteer.toml"
    path.write_text(
        '["Seoul"]\nkind = "place"\naliases = ["Seoul"]\ncontext_aliases = ["سيول"]\n' + context,
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=message):
        load_gazetteer(path)


def test_countries_added_for_real_news_are_found_by_adjective() -> None:
    assert "Serbia" in names("The Serbian side said the talks would go on.")
    assert "Qatar" in names("وقال الجانب القطري إن المحادثات مستمرة")
    # A word that is also an everyday word is not an alias: مالي is "financial".
    assert "Mali" not in {*load_gazetteer().entries}
