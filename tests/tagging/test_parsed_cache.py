"""The taxonomy and gazetteer as parsed, kept in the vocabulary cache (datafile.py): the
same tables as parsed from the TOML, read back by later loads; a bad file still names
itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.configfile import ConfigError
from monitor.tagging import datafile
from monitor.tagging.compiled import VocabularyCache
from monitor.tagging.entities import load_gazetteer
from monitor.tagging.taxonomy import load_taxonomy


def test_cached_taxonomy_and_gazetteer_are_the_parsed_ones(tmp_path: Path) -> None:
    assert load_taxonomy(cache=tmp_path).topics == load_taxonomy().topics
    assert load_taxonomy(cache=tmp_path).topics == load_taxonomy().topics  # read back
    assert load_gazetteer(cache=tmp_path).entries == load_gazetteer().entries
    assert load_gazetteer(cache=tmp_path).entries == load_gazetteer().entries
    assert len(list(tmp_path.glob("toml-*.vocab"))) == 2


def test_a_later_load_reads_the_cache(tmp_path: Path) -> None:
    mine = tmp_path / "taxonomy.toml"
    mine.write_text('[one]\nterms = { "alpha" = 1.0 }\n', encoding="utf-8")
    cache = tmp_path / "cache"
    assert datafile.read(mine, "taxonomy.toml", "taxonomy", cache)[1] == {
        "one": {"terms": {"alpha": 1.0}}
    }
    (kept,) = cache.glob("toml-*.vocab")
    VocabularyCache(cache).save(kept.stem, {"two": {"terms": {"beta": 1.0}}})
    assert set(load_taxonomy(mine, cache=cache).topics) == {"two"}
    mine.write_text('[three]\nterms = { "gamma" = 1.0 }\n', encoding="utf-8")
    assert set(load_taxonomy(mine, cache=cache).topics) == {"three"}  # new text, new key


def test_invalid_toml_names_the_file_with_a_cache(tmp_path: Path) -> None:
    bad = tmp_path / "taxonomy.toml"
    bad.write_text("[one\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"taxonomy\.toml: invalid TOML"):
        load_taxonomy(bad, cache=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("toml-*"))  # nothing kept for a bad file
