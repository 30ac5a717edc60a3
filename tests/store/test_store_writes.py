"""The store's per-article writes, done in fewer statements (issue 19), store what the
row-by-row writes stored: document frequencies, story keys, LSH bands, the search index."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from monitor.models import Article, Item, StoryLink
from monitor.store.db import Store
from monitor.text.clitics import index_text, index_words
from monitor.text.normalize import normalize, words

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _article(body: str, origin: str, link: StoryLink, bands: tuple[int, ...]) -> Article:
    item = Item(origin=origin, raw=body.encode(), kind="text", seen_at=datetime.now(UTC))
    return Article(
        item=item,
        body=body,
        words=tuple(words(body)),
        body_hash=f"h-{origin}",
        bands=bands,
        story_link=link,
    )


def test_frequencies_keys_and_bands_are_stored_as_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    first = StoryLink(
        "s1", True, 1.0, "label", None, "2026-01-02", keys=("قمة", "e:Putin"),
        vocabulary=("قمة", "e:Putin", "talks"),
    )  # fmt: skip
    later = StoryLink(
        "s1", False, 0.8, "label", "2026-01-05", "2026-01-06", keys=("قمة", "oil"),
        vocabulary=("قمة", "oil"),
    )  # fmt: skip
    extreme = (-(2**63), 2**63 - 1, 0, -1)  # signed 64-bit band keys (dedup.band_keys)
    with store.db.atomic():
        store.save_article(_article("القمة في موسكو", "/in/a.txt", first, extreme))
        store.save_article(_article("oil talks", "/in/b.txt", later, (5, 5)))
    df = dict(store.db.execute("SELECT term, df FROM term_df").fetchall())
    assert df == {"": 2, "قمة": 2, "e:Putin": 1, "talks": 1, "oil": 1}
    keys = store.db.execute("SELECT key, story, last FROM story_keys ORDER BY key").fetchall()
    # A key seen again moves to the story's latest day (the later article's date).
    assert keys == [("e:Putin", "s1", "2026-01-02"), ("oil", "s1", "2026-01-06"),
                    ("قمة", "s1", "2026-01-06")]  # fmt: skip
    bands = store.db.execute(
        "SELECT key, typeof(key), article_id FROM lsh_bands ORDER BY article_id, key"
    ).fetchall()
    assert bands == [(k, "integer", 1) for k in sorted(extreme)] + [(5, "integer", 2)]


def test_the_search_index_of_an_article_is_made_from_its_words() -> None:
    """save_article indexes the body's words split when it was made; revise.py deletes
    that entry with index_text() of the stored text: both must give the same string."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["وَبِالعُقُوبَاتِ، (الرئيس) U.S.-led talks_2026 ١٢٣ «كيم»", ""]
    for text in texts:
        assert index_words(words(text)) == index_text(text)


def test_a_stored_article_is_found_by_search_with_its_clitic_tails(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "m.db")
    link = StoryLink("s1", True, 1.0, "l", None, "2026-01-02", vocabulary=("x",))
    with store.db.atomic():
        store.save_article(_article("وبالعقوبات الجديدة على النفط", "/in/a.txt", link, (1, 2)))
    assert [r["id"] for r in store.search("العقوبات")] == [1]
    assert store.db.execute("SELECT count(*) FROM lsh_bands").fetchone()[0] == 2


def test_a_stored_text_keeps_its_folded_body_as_made_with_its_words(tmp_path: Path) -> None:
    """text_norm is the folded body extract_step made (in a worker, for a page): the
    same string the store folded itself before, for the UI's plain-text index."""
    from monitor.pipeline import decode_step, extract_step

    seed = sorted(SEEDS.glob("*.txt"))[0]
    raw = seed.read_bytes()
    item = Item(origin=str(seed), raw=raw, kind="text", seen_at=datetime.now(UTC))
    made = extract_step(decode_step(Article(item=item)))
    assert made.folded == normalize(made.body) and made.words == tuple(words(made.body))
    store = Store(tmp_path / "m.db")
    with store.db.atomic():
        article_id = store.save_article(made)
    stored = store.db.execute(
        "SELECT text, text_norm FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    assert stored == (made.body, normalize(made.body))


def test_a_story_profile_read_is_the_stored_one_after_every_write_and_undo(
    tmp_path: Path,
) -> None:
    """story_rows keeps parsed profiles (Store._profile): what it returns is always what
    the stories table holds now, after a write, and after a write that was rolled back."""
    store = Store(tmp_path / "m.db")
    first = StoryLink("s1", True, 1.0, "label", None, "2026-01-02", terms=(("talks", 0.5),))
    more = StoryLink("s1", False, 0.8, "label", None, "2026-01-03", terms=(("oil", 0.25),))

    def stored() -> dict[str, float]:
        (terms,) = store.db.execute("SELECT terms FROM stories WHERE id = 's1'").fetchone()
        return dict(json.loads(terms))

    with store.db.atomic():
        store.save_article(_article("talks", "/in/a.txt", first, ()))
    assert [r.profile for r in store.story_rows(["s1"])] == [stored()] == [{"talks": 0.5}]
    with store.db.atomic():
        store.save_article(_article("oil", "/in/b.txt", more, ()))
    assert [r.profile for r in store.story_rows(["s1"])] == [stored()]
    assert stored() == {"talks": 0.5, "oil": 0.25}
    try:
        with store.db.atomic():
            store.save_article(_article("more oil", "/in/c.txt", more, ()))
            assert store.story_rows(["s1"])[0].profile == {"talks": 0.5, "oil": 0.5}
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert [r.profile for r in store.story_rows(["s1"])] == [stored()]
    assert stored() == {"talks": 0.5, "oil": 0.25}
