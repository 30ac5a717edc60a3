"""Aliases that need more than their words (issue 17): context aliases and cased aliases.

سيول is Seoul in a Korea story and floods elsewhere; "US" is the United States and "us"
the pronoun. The gazetteer says which aliases need a context entity or their capitals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import taggers

from monitor.config import ConfigError
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.terms import Document


def names(text: str, tagger: EntityTagger | None = None) -> set[str]:
    return {e.name for e in (tagger or taggers.entities()).tag(Document(text))}


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


def test_a_context_alias_without_context_is_refused_naming_the_entity(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.toml"
    path.write_text(
        '["Seoul"]\nkind = "place"\naliases = ["Seoul"]\ncontext_aliases = ["سيول"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="'Seoul' has context_aliases but no `context`"):
        load_gazetteer(path)


def test_a_context_naming_an_unknown_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.toml"
    path.write_text(
        '["Seoul"]\nkind = "place"\naliases = ["Seoul"]\n'
        'context_aliases = ["سيول"]\ncontext = ["Korea"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="`context` names Korea"):
        load_gazetteer(path)


def test_countries_added_for_real_news_are_found_by_adjective() -> None:
    assert "Serbia" in names("The Serbian side said the talks would go on.")
    assert "Qatar" in names("وقال الجانب القطري إن المحادثات مستمرة")
    # A word that is also an everyday word is not an alias: مالي is "financial".
    assert "Mali" not in {*load_gazetteer().entries}
