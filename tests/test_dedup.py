"""Near-duplicates: every way a wire story gets republished is found, distinct reports are not.

The variants are built from the seeds by general transformations (another site's header
and footer, re-wrapping, marks and letter forms, encodings, truncation, an HTML page), run
through the real decode/extract steps and a real SQLite store.
"""

from __future__ import annotations

import html
import itertools
import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.dedup import NearDuplicates, compare, shingles
from monitor.models import Article, Item
from monitor.store.db import Store

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

HEADER = (
    "الرئيسية | أخبار | رياضة | اقتصاد | تواصل معنا\nاشترك في النشرة البريدية لتصلك آخر الأخبار\n"
)
FOOTER = "\nجميع الحقوق محفوظة © 2024 موقع الأخبار العربية\nتابعونا على فيسبوك وتويتر وإنستغرام\n"


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def add_boilerplate(text: str) -> bytes:
    return (HEADER + text + FOOTER).encode()


def drop_edges(text: str) -> bytes:
    """Another copy lost its first and last non-empty lines (a lead or a sign-off)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[1:-1]).encode()


def rewrap(text: str) -> bytes:
    paragraphs = [p for p in text.splitlines() if p.strip()]
    return "\n\n".join(textwrap.fill(p, 55) for p in paragraphs).encode()


def marks_and_alef(text: str) -> bytes:
    """Harakat added after every third Arabic letter, bare alef written with hamza, and
    ya written as alef maqsura at word ends: the spellings sites differ in."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if "\u0628" <= ch <= "\u064a" and i % 3 == 0:
            out.append("\u064e")
    text = "".join(out).replace("ا", "أ")
    return re.sub("ي\\b", "ى", text).encode()


def cp1256(text: str) -> bytes:
    return text.encode("cp1256", errors="replace")


def utf16(text: str) -> bytes:
    return text.encode("utf-16")


def first_60_percent(text: str) -> bytes:
    return text[: int(len(text) * 0.6)].encode()


def as_html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.splitlines() if p.strip())
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        "<title>خبر | موقع</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
        f"<article>{paragraphs}</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode()


VARIANTS: dict[str, Callable[[str], bytes]] = {
    "boilerplate added": add_boilerplate,
    "boilerplate removed": drop_edges,
    "re-wrapped": rewrap,
    "diacritics and alef forms": marks_and_alef,
    "cp1256": cp1256,
    "utf-16": utf16,
    "first 60%": first_60_percent,
    "html": as_html,
}


def item(raw: bytes, origin: str) -> Item:
    kind = "html" if origin.endswith(".html") else "text"
    return Item(origin=origin, raw=raw, kind=kind, seen_at=datetime.now(UTC))  # type: ignore[arg-type]


class Ingest:
    """decode -> extract -> dedup -> store, with the real steps and a real store."""

    def __init__(self, store: Store, near: NearDuplicates | None = None) -> None:
        self.store = store
        self.step = pipeline.dedup_step(
            store.find_by_body_hash, near or NearDuplicates(0.8, 0.9), store.near_candidates
        )

    def __call__(self, raw: bytes, origin: str) -> tuple[int, Article]:
        article = self.step(pipeline.prepare(item(raw, origin)))
        with self.store.db.atomic():
            return self.store.save_article(article), article


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "m.db")


@pytest.fixture
def originals(store: Store) -> dict[str, int]:
    ingest = Ingest(store)
    out = {}
    for seed in SEEDS:
        article_id, article = ingest(seed.read_bytes(), f"/in/{seed.name}")
        assert article.duplicate_of is None, f"{seed.name} taken for a copy"
        out[seed.name] = article_id
    return out


def test_no_two_seeds_are_duplicates(store: Store, originals: dict[str, int]) -> None:
    rows = store.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()
    assert rows[0] == len(SEEDS) == len(originals)
    assert store.db.execute("SELECT count(DISTINCT article_id) FROM lsh_bands").fetchone()[0] == 5


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_each_variant_is_found_as_a_copy_of_its_original(
    store: Store, originals: dict[str, int], seed: Path, variant: str
) -> None:
    raw = VARIANTS[variant](seed_text(seed))
    suffix = ".html" if variant == "html" else ".txt"
    article_id, article = Ingest(store)(raw, f"/mirror/{variant}/{seed.stem}{suffix}")
    assert article.duplicate_of == originals[seed.name], variant
    assert article.similarity is not None and 0 < article.similarity <= 1
    row = store.db.execute(
        "SELECT duplicate_of, similarity FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    assert row == (originals[seed.name], article.similarity)
    # A copy is not indexed itself: a copy of the copy still points to the original.
    assert not store.db.execute(
        "SELECT 1 FROM lsh_bands WHERE article_id = ?", [article_id]
    ).fetchone()


def test_an_exact_copy_is_found_by_its_hash_with_similarity_one(
    store: Store, originals: dict[str, int]
) -> None:
    seed = SEEDS[1]
    _, article = Ingest(store)(seed.read_bytes() + b"\n\n", "/elsewhere/copy.txt")
    assert (article.duplicate_of, article.similarity) == (originals[seed.name], 1.0)


def test_a_truncated_copy_seen_first_takes_the_full_text_as_its_copy(store: Store) -> None:
    """Containment works both ways: whichever came first is the original."""
    ingest = Ingest(store)
    text = seed_text(SEEDS[2])
    first_id, first = ingest(first_60_percent(text), "/in/short.txt")
    _, full = ingest(text.encode(), "/in/full.txt")
    assert first.duplicate_of is None
    assert full.duplicate_of == first_id


def test_distinct_reports_of_one_event_are_not_copies() -> None:
    """Same event, same actors, different words: far below both thresholds."""
    sets = {p.name: shingles(pipeline.prepare(item(p.read_bytes(), str(p))).body) for p in SEEDS}
    near = NearDuplicates(0.8, 0.9)
    for a, b in itertools.combinations(sets, 2):
        verdict = compare(sets[a], sets[b])
        assert not near.is_duplicate(verdict), (a, b, verdict)
        assert verdict.contained < 0.5


@pytest.mark.parametrize(("containment", "copy"), [(0.9, True), (0.999, False)])
def test_thresholds_come_from_the_config(store: Store, containment: float, copy: bool) -> None:
    """A truncated copy with a footer: a copy at the default containment (0.9), a new
    article when the configured threshold asks for more than it has."""
    text = seed_text(SEEDS[0])
    ingest = Ingest(store, NearDuplicates(jaccard=0.95, containment=containment))
    original_id, _ = ingest(text.encode(), "/in/original.txt")
    _, article = ingest((text[: int(len(text) * 0.6)] + FOOTER).encode(), "/in/copy.txt")
    assert (article.duplicate_of == original_id) is copy
    if copy:
        assert article.similarity is not None and 0.9 <= article.similarity < 0.999


def test_the_index_survives_a_restart(tmp_path: Path) -> None:
    """Bands are rows in the store's file: a new Store on it finds the copy, nothing rebuilt."""
    path = tmp_path / "m.db"
    first = Store(path)
    original_id, _ = Ingest(first)(SEEDS[3].read_bytes(), "/in/a.txt")
    first.close()
    second = Store(path)
    _, copy = Ingest(second)(first_60_percent(seed_text(SEEDS[3])), "/in/b.txt")
    assert copy.duplicate_of == original_id


def test_signatures_do_not_depend_on_the_process(tmp_path: Path) -> None:
    """crc32 and a fixed seed, never Python's salted hash(): the same keys in another process."""
    import subprocess
    import sys

    code = (
        "from monitor.dedup import NearDuplicates, shingles;"
        "print(NearDuplicates(0.8, 0.9).band_keys(shingles('a b c d e f g h'))[:3])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
