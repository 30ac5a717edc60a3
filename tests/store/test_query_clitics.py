"""A query word written with its proclitics finds what the bare word finds; names are
never cut. Against a real store built from seeds/ by `monitor ingest`.

Users type words as they read them: بالعقوبات, والصواريخ, للأسلحة. The index already holds
each word's proclitic tails (text/clitics.py); the query side now searches the tails of
the typed word too, except inside a name (لبوتين is ل + بوتين, but بوتين is not ب + وتين).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import copy_of
from running import cli

from monitor.models import Article, Item
from monitor.store.db import Store
from monitor.store.query import Filters, fts_query

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (typed with proclitics, the bare word): conjunction, preposition, article, and chains.
CLITIC_FORMS = [
    ("بالعقوبات", "عقوبات"),  # ب + ال: the issue's example, 0 of 5 before
    ("وبالعقوبات", "عقوبات"),  # و + ب + ال
    ("والعقوبات", "عقوبات"),  # و + ال
    ("وعقوبات", "عقوبات"),  # و alone
    ("للعقوبات", "عقوبات"),  # ل + ال written لل
    ("والصواريخ", "صواريخ"),
    ("فللصواريخ", "صواريخ"),  # ف + ل + ال
    ("بصواريخ", "صواريخ"),
    ("للأسلحة", "أسلحة"),
    ("وبالأسلحة", "أسلحة"),
    ("كالأسلحة", "أسلحة"),  # ك + ال
]


@pytest.fixture(scope="module")
def seeds_store(seeds_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested by the real `monitor ingest` (a copy of conftest's shared one)."""
    return copy_of(seeds_store_template, tmp_path_factory.mktemp("seeds")) / "monitor.db"


def ids(db: Path, query: str) -> set[int]:
    store = Store(db, readonly=True)
    try:
        return {r["id"] for r in store.search(query, Filters(duplicates=True), limit=100)}
    finally:
        store.close()


@pytest.mark.parametrize(("typed", "bare"), CLITIC_FORMS)
def test_a_clitic_form_finds_what_the_bare_word_finds(
    seeds_store: Path, typed: str, bare: str
) -> None:
    found = ids(seeds_store, bare)
    assert found  # the seeds use the word
    assert ids(seeds_store, typed) == found


def test_the_issues_example_finds_all_five_seeds(seeds_store: Path) -> None:
    assert len(ids(seeds_store, "عقوبات")) == 5
    assert len(ids(seeds_store, "بالعقوبات")) == 5


def test_the_cli_search_finds_clitic_forms_with_highlighted_snippets(seeds_store: Path) -> None:
    result = cli(seeds_store.parent / "config.toml", "search", "للأسلحة")
    hits = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert len(hits) == len(ids(seeds_store, "أسلحة"))
    assert "[" in result.stdout  # the article's own word is marked in its snippet


def test_prefix_queries_keep_working_with_clitics(seeds_store: Path) -> None:
    assert ids(seeds_store, "بالعقوب*") == ids(seeds_store, "عقوب*") != set()
    assert ids(seeds_store, "وصاروخ*") >= ids(seeds_store, "صاروخ*")


def test_quoted_phrases_find_the_phrase_as_typed(seeds_store: Path) -> None:
    # Every seed writes بيونغ يانغ; the index holds بيونغ's tail يونغ between the two
    # words, which a phrase query must spell too (it found 1 of 5 before).
    assert ids(seeds_store, '"بيونغ يانغ"') == ids(seeds_store, "بيونغ يانغ") == {1, 2, 3, 4, 5}
    assert ids(seeds_store, '"يانغ بيونغ"') == set()  # still a phrase: order counts
    assert ids(seeds_store, '"كيم جونغ أون"') == ids(seeds_store, "كيم جونغ أون") != set()


def test_operators_still_combine_clitic_forms(seeds_store: Path) -> None:
    assert ids(seeds_store, "بالعقوبات OR بالصواريخ") == ids(seeds_store, "عقوبات OR صواريخ")
    assert ids(seeds_store, "بالعقوبات NOT بالعقوبات") == set()


@pytest.fixture
def names_store(tmp_path: Path) -> Path:
    """A Putin story, and a medical one whose word وتين (the aorta) is what بوتين would
    leave if its first letter were cut as the preposition ب."""
    db = tmp_path / "m.db"
    store = Store(db)
    texts = {
        "putin": "التقى الرئيس الروسي فلاديمير بوتين بنظيره في موسكو أمس.",
        "aorta": "أجرى الجراحون عملية لإصلاح تمزق في الوتين لدى المريض.",
        "kim": "وصل كيم إلى المحطة صباحاً.",
    }
    with store.db.atomic():
        for name, text in texts.items():
            item = Item(
                origin=f"/in/{name}.txt", raw=text.encode(), kind="text", seen_at=datetime.now(UTC)
            )
            store.save_article(Article(item=item, body=text, language="ar", body_hash=name))
    store.close()
    return db


def test_a_name_is_never_cut(names_store: Path) -> None:
    putin = ids(names_store, "بوتين")
    assert len(putin) == 1
    assert ids(names_store, "لبوتين") == putin  # ل + بوتين: the clitic goes...
    assert ids(names_store, "وبوتين") == putin
    assert ids(names_store, "فلبوتين") == putin  # ...and never a letter of the name
    assert ids(names_store, "وكيم") == ids(names_store, "كيم") != set()  # a 3-letter name
    assert '"وتين"' not in fts_query("لبوتين") and '"وتين"' not in fts_query("بوتين")


def test_a_cut_without_the_article_leaves_at_least_four_letters() -> None:
    # وزير is not و + زير (a word of its own): three letters left are not searched...
    assert fts_query("وزير") == '"وزير"'
    # ...four are (و + عقوبات), and after the article three are enough (لل + أمم).
    assert '"عقوبات"' in fts_query("وعقوبات")
    assert '"امم"' in fts_query("للأمم")
