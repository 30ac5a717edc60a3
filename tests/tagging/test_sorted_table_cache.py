"""A matcher read from the cache looks words up in sorted tables, then in dicts: same hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import background
from monitor.background import Background
from monitor.tagging import terms
from monitor.tagging.compiled import VocabularyCache
from monitor.tagging.sorted_table import SortedTable, is_packed, pack
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document, Matcher
from monitor.tagging.topics import TopicTagger

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))


def test_a_sorted_table_answers_as_its_dict() -> None:
    table = {"وبالعقوبات": (1,), "sanctions": (2, 3), "a": ((4, ()),), "z": (5,)}
    packed = pack(table)
    assert is_packed(packed) and not is_packed(table)
    sorted_table = SortedTable(packed)
    words = {"a", "b", "sanctions", "وبالعقوبات", "zz", ""}
    assert sorted_table.keys() & words == table.keys() & words
    for word in words:
        assert (word in sorted_table) == (word in table)
        assert sorted_table.get(word, ()) == table.get(word, ())
    assert sorted_table["z"] == (5,)
    assert sorted_table.as_dict() == table
    assert len(SortedTable(pack({}))) == 0 and not SortedTable(pack({}))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> VocabularyCache:
    """One folder for the module, the topics compiled into it once (a compile is 1-2 s)."""
    cache = VocabularyCache(tmp_path_factory.mktemp("vocab"))
    TopicTagger(load_taxonomy(), cache).warm_up()
    return cache


def test_cached_topic_matcher_finds_the_same_before_and_after_its_dicts(
    cache: VocabularyCache,
) -> None:
    term_list = TopicTagger(load_taxonomy(), cache).matcher.terms  # the shipped topics' terms
    fresh = Matcher(term_list, cache)
    fresh.load()  # dicts at once (test_compiled.py holds them to a fresh compile's)
    cached = Matcher(term_list, cache)
    docs = [Document(p.read_text(encoding="utf-8")) for p in SEEDS]
    assert docs and all(fresh.find(d) for d in docs)  # the seeds hold topic terms
    for doc in docs:
        assert cached.find(doc) == fresh.find(doc)
    # A one-file ingest looks words up without building the 350,000-key dicts ...
    assert isinstance(cached._single, SortedTable) and isinstance(cached._phrase, SortedTable)
    for _ in range(terms._DICTS_AFTER):  # ... a process that goes on tagging builds them
        cached.find(docs[0])
    assert isinstance(cached._single, dict) and isinstance(cached._phrase, dict)
    for doc in docs:
        assert cached.find(doc) == fresh.find(doc)
    assert isinstance(fresh._single, dict) and isinstance(fresh._phrase, dict)


def test_a_table_looked_up_enough_builds_its_dict_and_answers_the_same() -> None:
    table = {f"w{i}": i for i in range(100)}
    promoting = SortedTable(pack(table), promote_after=30)
    words = {f"w{i}" for i in range(0, 200, 7)}
    assert promoting.keys() & words == table.keys() & words  # 29 keys looked up
    assert promoting._dict is None
    assert promoting.get("w3") == 3 and promoting._dict is not None  # the 30th
    assert promoting.keys() & words == table.keys() & words
    assert [promoting.get(w, -1) for w in sorted(words)] == [
        table.get(w, -1) for w in sorted(words)
    ]
    assert "w5" in promoting and "x" not in promoting and promoting["w99"] == 99


def test_warm_up_builds_every_dict_before_the_first_article(
    cache: VocabularyCache, tmp_path: Path
) -> None:
    tagger = TopicTagger(load_taxonomy(), cache)
    tagger.warm_up()  # read from the cache, as a daemon's warm-up thread does
    assert isinstance(tagger.matcher._single, dict) and isinstance(tagger.matcher._phrase, dict)
    by_form = tagger._anchors._by_form
    assert isinstance(by_form, SortedTable) and by_form._dict is not None
    background._load.cache_clear()
    try:
        Background.shipped(1.0, tmp_path)  # parsed and stored
        table = Background.shipped(1.0, tmp_path)
        assert isinstance(table._zipf, SortedTable) and table._zipf._dict is None
        table.warm_up()
        assert table._zipf._dict is not None
    finally:
        background._load.cache_clear()
