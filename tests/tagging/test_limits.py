"""Taxonomy and gazetteer limits and term syntax: clear errors naming file, topic, term."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.tagging import limits
from monitor.tagging.entities import load_gazetteer
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Matcher, Term


def taxonomy(tmp_path: Path, terms: dict[str, float], topic: str = "arms") -> Path:
    body = ", ".join(f'"{t}" = {w}' for t, w in terms.items())
    path = tmp_path / "topics.toml"
    path.write_text(f"[{topic}]\nthreshold = 2\nterms = {{ {body} }}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("[", "looks like a regular expression"),
        (".*", "looks like a regular expression"),
        ("missile|rocket", "looks like a regular expression"),
        ("(sanctions)", "looks like a regular expression"),
        ("sanc*tions", "looks like a regular expression"),
        ("...", "has no letter or digit"),
        ("ـــ", "has no letter or digit"),  # tatweel only: nothing after normalisation
        ("x" * 101, "over the limit of 100"),
        ("one two three four five six seven eight nine", "9 words, over the limit of 8"),
    ],
)
def test_a_bad_term_is_named_with_its_file_and_topic(tmp_path: Path, term: str, says: str) -> None:
    path = taxonomy(tmp_path, {"missile": 2, term: 1})
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: topic 'arms': term ")
    assert says in message and repr(term[:57] if len(term) > 60 else term)[:20] in message


@pytest.mark.parametrize("term", ["sanction*", "=UN", "U.S.", "كوريا الشمالية", "G7", "F-16"])
def test_good_terms_load(tmp_path: Path, term: str) -> None:
    assert "arms" in load_taxonomy(taxonomy(tmp_path, {term: 2})).topics


def test_too_many_terms_in_a_topic(tmp_path: Path) -> None:
    terms = {f"word{i}": 1.0 for i in range(limits.MAX_TERMS_PER_TOPIC + 1)}
    with pytest.raises(ConfigError, match=r"topic 'arms' has 1001 terms, over the limit of 1000"):
        load_taxonomy(taxonomy(tmp_path, terms))


def test_too_many_terms_in_all(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    with path.open("w", encoding="utf-8") as fh:
        for t in range(6):
            body = ", ".join(f'"t{t}w{i}" = 1' for i in range(900))
            fh.write(f"[topic{t}]\nterms = {{ {body} }}\n")
    with pytest.raises(ConfigError, match=r"5400 terms in all, over the limit of 5000"):
        load_taxonomy(path)


def test_config_overrides_are_checked_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\+ config \[topics\]: topic 'sanctions': term '\['"):
        load_taxonomy(None, overrides={"sanctions": {"terms": {"[": 2}}})


def test_gazetteer_names_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "names.toml"
    path.write_text('["Nobody"]\nkind = "person"\naliases = ["Nobody", "?"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entity 'Nobody': term '\?' looks like"):
        load_gazetteer(path)


def test_shipped_files_are_within_the_limits() -> None:
    load_taxonomy()
    load_gazetteer()


def test_phrases_sharing_a_first_word_share_memory() -> None:
    """60 phrases on one Arabic first word: before, each phrase rebuilt (and kept) the
    union of every following word so far, about 120 MB here; now about 10 MB."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمن"
    terms = [
        Term(f"وزير {letters[i % 24]}{letters[(i // 24) % 24]}{letters[i % 7]}رك", "t")
        for i in range(60)
    ]
    tracemalloc.start()
    try:
        matcher = Matcher(terms)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(matcher.terms) == 60
    assert peak < 40 * 1024 * 1024
