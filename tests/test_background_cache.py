"""The background word frequencies kept ready-made in the vocabulary cache (background.py):
the same table as parsed from the shipped file, read back from the cache by later loads."""

from __future__ import annotations

from pathlib import Path

from monitor import background
from monitor.tagging.compiled import VocabularyCache
from monitor.tagging.sorted_table import pack


def test_the_cached_table_is_the_parsed_table_and_is_read_back(tmp_path: Path) -> None:
    background._load.cache_clear()
    try:
        parsed = background._load(background.TABLE)
        cached = background._load(background.TABLE, tmp_path)
        # Sorted keys and values (sorted_table.py): the same words and frequencies.
        assert cached.as_dict() == parsed and len(parsed) > 100_000
        (kept,) = tmp_path.glob("background-*.vocab")
        # A later process reads the cache, not the table: what the cache holds is what it
        # gets (a table edited under the same key would be; the key is the table's bytes).
        VocabularyCache(tmp_path).save(kept.stem, pack({"موسكو": 6.0}))
        background._load.cache_clear()
        assert background.Background.shipped(1.0, tmp_path).zipf("موسكو") == 6.0
        # A damaged cache file costs a parse, never the table.
        kept.write_bytes(b"damaged")
        background._load.cache_clear()
        assert background._load(background.TABLE, tmp_path).as_dict() == parsed
    finally:
        background._load.cache_clear()
