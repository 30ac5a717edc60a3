"""Search over a real store: Arabic clitic and diacritic forms, English plurals, filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.models import Article, EntityTag, Item, Match, TopicTag
from monitor.store.db import Store
from monitor.store.query import Filters, fts_query, snippet

FORMS = {
    # The same word in the forms a reader meets: article, preposition + article,
    # conjunction, tanwin, and with every mark written.
    "def": "أعلنت الوزارة أن العقوبات ستشمل شركات الشحن.",
    "prep": "وأشار إلى التزام الشركات بالعقوبات المفروضة منذ عامين.",
    "conj": "فرضت واشنطن قيوداً وعقوبات على المصارف.",
    "tanwin": "هدد المسؤول بفرض عقوباتٍ إضافية على المخالفين.",
    "marked": "وقالت إنّ العُقُوبَات لن تُرفَع قبل الاتفاق.",
}
OTHER = "تراجعت أسعار النفط في الأسواق العالمية بعد قرار المنتجين."


def article(
    body: str,
    *,
    title: str = "",
    topics: tuple[str, ...] = (),
    entities: tuple[str, ...] = (),
    language: str = "ar",
    published: str | None = None,
    source: str | None = None,
    origin: str = "/in/x.txt",
) -> Article:
    item = Item(origin=origin, raw=body.encode(), kind="text", seen_at=datetime.now(UTC))
    return Article(
        item=item,
        body=body,
        title=title or None,
        language=language,
        published=published,
        source=source,
        body_hash=f"h{hash(body)}",
        topics=tuple(TopicTag(t, 1.0, (Match(t, 1, (0,)),), "") for t in topics),
        entities=tuple(EntityTag(e, "country", (e,), 1) for e in entities),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "m.db")
    with s.db.atomic():
        for name, body in FORMS.items():
            s.save_article(article(body, origin=f"/in/{name}.txt"))
        s.save_article(article(OTHER, origin="/in/other.txt"))
    return s


def origins(results: list[dict]) -> set[str]:
    return {Path(r["origin"]).stem for r in results}


@pytest.mark.parametrize("query", ["عقوبات", "العقوبات", "عُقوبات", "عقـوبات"])
def test_every_clitic_and_diacritic_form_is_found(store: Store, query: str) -> None:
    assert origins(store.search(query)) == set(FORMS)


def test_a_name_is_found_behind_a_preposition_but_not_cut(tmp_path: Path) -> None:
    s = Store(tmp_path / "m.db")
    with s.db.atomic():
        s.save_article(article("أرسل الرئيس برقية لبوتين صباح اليوم.", origin="/in/a.txt"))
        s.save_article(article("وقال بوتين إن المحادثات مثمرة.", origin="/in/b.txt"))
        s.save_article(article("تغذي الوتين الدم إلى الجسم كله.", origin="/in/c.txt"))
    assert origins(s.search("بوتين")) == {"a", "b"}


def test_english_plurals_and_case_are_folded(tmp_path: Path) -> None:
    s = Store(tmp_path / "m.db")
    with s.db.atomic():
        s.save_article(
            article("New Sanctions were announced on Tuesday.", language="en", origin="/in/en.txt")
        )
        s.save_article(
            article("Nouvelles sanctions économiques.", language="fr", origin="/in/fr.txt")
        )
    assert origins(s.search("sanction")) == {"en", "fr"}
    assert origins(s.search("economiques")) == {"fr"}


def test_operators_phrases_and_prefixes(store: Store) -> None:
    assert origins(store.search("عقوبات OR النفط")) == set(FORMS) | {"other"}
    assert origins(store.search("عقوبات NOT واشنطن")) == set(FORMS) - {"conj"}
    assert origins(store.search('"شركات الشحن"')) == {"def"}
    assert origins(store.search("عقوب*")) == set(FORMS)
    assert store.search("") == [] and store.search("OR NOT") == []


def test_filters_narrow_the_results(tmp_path: Path) -> None:
    s = Store(tmp_path / "m.db")
    with s.db.atomic():
        s.save_article(
            article(
                "عقوبات على كوريا",
                topics=("sanctions",),
                entities=("North Korea",),
                published="2024-06-19",
                source="الجزيرة",
                origin="/in/1.txt",
            )
        )
        s.save_article(
            article(
                "عقوبات على إيران",
                topics=("sanctions",),
                entities=("Iran",),
                published="2023-01-02",
                source="عربي21",
                origin="/in/2.txt",
            )
        )
        dup = replace(article("عقوبات على كوريا", origin="/in/3.txt"), duplicate_of=1)
        s.save_article(dup)
    assert origins(s.search("عقوبات", Filters(entity=("North Korea",)))) == {"1"}
    assert origins(s.search("عقوبات", Filters(since="2024-01-01"))) == {"1"}
    assert origins(s.search("عقوبات", Filters(until="2023-12-31"))) == {"2"}
    assert origins(s.search("عقوبات", Filters(source="عربي"))) == {"2"}
    assert origins(s.search("عقوبات", Filters(topic=("sanctions",), language="ar"))) == {"1", "2"}
    assert origins(s.search("عقوبات", Filters(duplicates=True))) == {"1", "2", "3"}


def test_the_snippet_shows_the_articles_own_spelling_with_hits_marked() -> None:
    text = "وقالت إنّ العُقُوبَات لن تُرفَع قبل الاتفاق"
    assert snippet(text, "عقوبات") == "وقالت إنّ [العُقُوبَات] لن تُرفَع قبل الاتفاق"


def test_a_query_is_never_an_fts_syntax_error(store: Store) -> None:
    for hostile in ['"', "(", "a:b", "NEAR(", "*", "-x", "AND AND", "عقوبات)"]:
        store.search(hostile)  # must not raise
    assert fts_query("Sanction*") == '"sanction"*'
