"""Stories: reports of one event grouped, other events (even with the same actors) apart.

Articles go through the real dedup and story steps and the real writer into a real store.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.config import StoriesConfig
from monitor.dedup import NearDuplicates
from monitor.models import Article, EntityTag, Item
from monitor.store.db import Store
from monitor.stories import Stories
from monitor.term_forms import terms

NOW = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)

FLOOD_A = """Floodwaters swept through the river town of Belmora on Tuesday after three days of
torrential rain, forcing thousands of residents from their homes. Governor Ada Kline said
emergency crews had rescued 240 people from rooftops and that the Belmora dam was holding.
The national weather office warned that more rain was expected over the valley."""

FLOOD_B = """Rescue teams in Belmora pulled stranded families from rooftops as the river burst
its banks, Governor Ada Kline told reporters. The flooding, caused by days of torrential
rain across the valley, drove thousands from their homes; officials are watching the dam.
Shelters opened in schools, and the army sent boats and helicopters to the flooded town."""

FLOOD_C = """Belmora's flooded streets were still under water as the river crest passed the
town, Governor Ada Kline said, praising volunteers who ferried the elderly to shelters. The
valley saw record rain; engineers inspected the dam overnight and reported no damage."""

STEEL = """Governor Ada Kline opened a new steel plant in the port city of Varnholt on
Wednesday, promising 1,200 jobs and lower prices for builders. The plant, built by a
consortium of three firms, will process ore shipped from the northern mines. Union leaders
welcomed the investment but asked for guarantees on wages and safety at the furnaces."""


def entity(name: str, kind: str = "person") -> EntityTag:
    return EntityTag(name=name, kind=kind, mentions=(name,), count=2)


def article(
    body: str,
    origin: str,
    *,
    title: str | None = None,
    published: str | None = None,
    seen: datetime = NOW,
    entities: tuple[EntityTag, ...] = (),
    source: str | None = None,
) -> Article:
    item = Item(origin=origin, raw=body.encode(), kind="text", seen_at=seen)
    return Article(
        item=item,
        text=body,
        body=body,
        title=title,
        published=published,
        entities=entities,
        source=source,
    )


def plain(
    window_days: float = 3,
    similarity: float = 0.55,
    dated_similarity: float | None = None,
    **rules: float | bool,
) -> Stories:
    """The story step with these bars and the later rules off (names alone across
    languages, novelty, weekdays, days said, event concepts, language parts) unless `rules`
    turn one on: what the tests of time, words and names alone are about."""
    settings: dict[str, float | bool] = {
        "cross_language_similarity": 0,
        "novel_similarity": 1.0,  # at or above `similarity`: off
        "novelty": 0.0,
        "cross_novel_similarity": 0,
        "weekday_similarity": 0,
        "day_similarity": 0,
        "arrival_dates": False,
        "concept_share": 0,
        "concept_similarity": 0,
        "same_language": False,
        "same_language_known": False,
        "language_parts": False,
    }
    settings.update(rules)
    dated = similarity if dated_similarity is None else dated_similarity
    return Stories(
        StoriesConfig(
            window_days=window_days, similarity=similarity, dated_similarity=dated, **settings
        )
    )


class Ingest:
    """The real copy check and story step, and the real writer, as the service runs them:
    a batch is planned as a whole, then each article stored before the next runs."""

    def __init__(self, store: Store, window_days: float = 3) -> None:
        self.store = store
        defaults = StoriesConfig()  # the shipped bars: what a user gets
        self.steps = [
            pipeline.each(
                pipeline.dedup_step(
                    store.find_by_body_hash, NearDuplicates(0.8, 0.9), store.near_candidates
                )
            ),
            pipeline.story_step(
                plain(window_days, defaults.similarity, defaults.dated_threshold), store
            ),
        ]

    def __call__(self, a: Article) -> tuple[int, Article]:
        """One article, a batch of its own (a stream)."""
        return self.batch([a])[0]

    def batch(self, articles: list[Article]) -> list[tuple[int, Article]]:
        """Articles that arrive together."""
        steps = [make(articles) for make in self.steps]
        out = []
        for a in articles:
            for step in steps:
                a = step(a)
            with self.store.db.atomic():
                out.append((self.store.save_article(a), a))
        return out


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "m.db")


KLINE = entity("Ada Kline")
BELMORA = entity("Belmora", "place")
VARNHOLT = entity("Varnholt", "place")


def test_two_reports_of_one_event_share_a_story(store: Store) -> None:
    ingest = Ingest(store)
    _, first = ingest(
        article(
            FLOOD_A, "/in/a.txt", title="Floods in Belmora", entities=(KLINE, BELMORA), source="A"
        )
    )
    _, second = ingest(article(FLOOD_B, "/in/b.txt", entities=(KLINE, BELMORA), source="B"))
    assert first.story_link is not None and first.story_link.new
    assert second.story == first.story
    assert second.story_link is not None and not second.story_link.new
    row = store.story(first.story or "")
    assert row is not None
    assert (row["label"], row["articles"], row["copies"]) == ("Floods in Belmora", 2, 0)
    assert row["sources"] == ["A", "B"]


def test_another_event_with_the_same_actor_is_another_story(store: Store) -> None:
    ingest = Ingest(store)
    _, flood = ingest(article(FLOOD_A, "/in/a.txt", entities=(KLINE, BELMORA)))
    _, plant = ingest(article(STEEL, "/in/s.txt", entities=(KLINE, VARNHOLT)))
    assert plant.story != flood.story
    assert plant.story_link is not None and plant.story_link.new


def test_the_same_event_outside_the_window_is_another_story(store: Store) -> None:
    ingest = Ingest(store, window_days=3)
    _, first = ingest(article(FLOOD_A, "/in/a.txt", published="2024-06-01", entities=(KLINE,)))
    _, near = ingest(article(FLOOD_B, "/in/b.txt", published="2024-06-03", entities=(KLINE,)))
    _, late = ingest(article(FLOOD_C, "/in/c.txt", published="2024-06-12", entities=(KLINE,)))
    assert near.story == first.story
    assert late.duplicate_of is None
    assert late.story != first.story
    # The same report within the window does join: it was the date that kept it apart.
    other = Ingest(Store(store.path.with_name("other.db")), window_days=3)
    _, a = other(article(FLOOD_A, "/in/a.txt", published="2024-06-01", entities=(KLINE,)))
    _, timely = other(article(FLOOD_C, "/in/c.txt", published="2024-06-04", entities=(KLINE,)))
    assert timely.story == a.story


def test_an_undated_article_may_join_an_older_story_but_not_a_later_one(store: Store) -> None:
    """Without a published date, all we know is that it was out by the day we saw it."""
    ingest = Ingest(store)
    _, dated = ingest(article(FLOOD_A, "/in/a.txt", published="2023-09-11", entities=(KLINE,)))
    # Seen long after: it may well be an old report of that event.
    _, undated = ingest(article(FLOOD_B, "/in/b.txt", seen=NOW, entities=(KLINE,)))
    assert undated.story == dated.story

    other = Ingest(Store(store.path.with_name("other.db")))
    _, old_undated = other(article(FLOOD_A, "/in/a.txt", seen=NOW, entities=(KLINE,)))
    # Published a month after that article had been seen: another event.
    later = (NOW + timedelta(days=30)).date().isoformat()
    _, after = other(article(FLOOD_B, "/in/b.txt", published=later, entities=(KLINE,)))
    assert after.story != old_undated.story


def test_a_copy_joins_its_originals_story_as_a_copy(store: Store) -> None:
    ingest = Ingest(store)
    original_id, original = ingest(article(FLOOD_A, "/in/a.txt", entities=(KLINE,)))
    copy_id, copy = ingest(article(FLOOD_A[:200] + " Subscribe now!", "/in/copy.txt"))
    assert copy.duplicate_of == original_id
    assert copy.story == original.story
    row = store.story(original.story or "")
    assert row is not None and (row["articles"], row["copies"]) == (1, 1)
    assert [m["id"] for m in row["members"]] == [original_id, copy_id]


def test_stories_are_found_again_after_a_restart(store: Store) -> None:
    _, first = Ingest(store)(article(FLOOD_A, "/in/a.txt", entities=(KLINE,)))
    store.close()
    reopened = Store(store.path)
    _, second = Ingest(reopened)(article(FLOOD_B, "/in/b.txt", entities=(KLINE,)))
    assert second.story == first.story


def test_recent_stories_list_counts_and_sources(store: Store) -> None:
    ingest = Ingest(store)
    ingest(article(FLOOD_A, "/in/a.txt", entities=(KLINE,), source="A", seen=datetime.now(UTC)))
    ingest(article(STEEL, "/in/s.txt", entities=(VARNHOLT,), source="S", seen=datetime.now(UTC)))
    rows = store.stories(days=1)
    assert sorted(r["sources"][0] for r in rows) == ["A", "S"]
    assert all(r["articles"] == 1 for r in rows)
    assert store.stories(days=1, limit=1)[0]["id"] in {r["id"] for r in rows}


def test_terms_fold_the_arabic_article_and_drop_function_words() -> None:
    found = terms("فرضت الولايات المتحدة العقوبات على روسيا في عقوبات جديدة and the sanctions")
    assert found["عقوبات"] == 2  # العقوبات and عقوبات are one term
    assert "في" not in found and "the" not in found and "and" not in found
    assert found["روسيا"] == 1 and found["sanction"] == 1  # stemmed (term_forms.py)


def test_dates_in_the_window_lower_the_similarity_needed(store: Store) -> None:
    """Two reports of one event: with dates in the window they meet a lower bar (time is
    evidence of its own); the same pair undated must clear the full one."""

    def pair(db: str, published: tuple[str | None, str | None]) -> tuple[Article, Article]:
        ingest = Ingest(Store(store.path.with_name(db)))
        ingest.steps[-1] = pipeline.story_step(
            plain(3, similarity=0.99, dated_similarity=0.05), ingest.store
        )
        _, a = ingest(article(FLOOD_A, "/in/a.txt", published=published[0], entities=(KLINE,)))
        _, b = ingest(article(FLOOD_B, "/in/b.txt", published=published[1], entities=(KLINE,)))
        return a, b

    a, b = pair("dated.db", ("2024-06-01", "2024-06-02"))
    assert b.story == a.story
    a, b = pair("undated.db", (None, None))
    assert b.story != a.story
    # One date: no time evidence between them, whichever comes first.
    a, b = pair("half.db", ("2024-06-01", None))
    assert b.story != a.story
    a, b = pair("other-half.db", (None, "2024-06-01"))
    assert b.story != a.story


# Three reports in a chain: X and Y share much, Y and Z a little less, X and Z little.
CHAIN_X = """Talks on the Harlow canal treaty opened in Ostrava with delegates from Mirel and
Sandor reviewing tolls, dredging quotas, pilot licences and lock schedules for barges."""
CHAIN_Y = """Delegates from Mirel and Sandor in Ostrava reviewed tolls, dredging quotas and
lock schedules for barges, then turned to grain tariffs, rail freight and silo capacity."""
CHAIN_Z = """Grain tariffs, rail freight and silo capacity dominated talks in Ostrava between
Mirel and Sandor, where ministers also weighed harvest subsidies and fuel prices."""


def _grouping(results: list[tuple[int, Article]]) -> list[list[str]]:
    found: dict[str | None, set[str]] = {}
    for _, a in results:
        found.setdefault(a.story, set()).add(a.item.origin)
    return sorted(map(sorted, found.values()))


def test_a_batch_is_grouped_the_same_in_every_order(tmp_path: Path) -> None:
    """One article at a time, a chain groups by arrival order; a batch is grouped as a
    whole: the closest pair first, so the same stories in every order."""
    reports = [article(CHAIN_X, "x"), article(CHAIN_Y, "y"), article(CHAIN_Z, "z")]
    stories = plain(3, similarity=0.5)
    plan = stories.plan(reports, Store(tmp_path / "probe.db"))
    cut = {a.item.origin: plan.features[id(a.item)].cut for a in reports}

    def cos(a: str, b: str) -> float:
        return sum(w * cut[b].get(t, 0.0) for t, w in cut[a].items())

    xy, yz, xz = cos("x", "y"), cos("y", "z"), cos("x", "z")
    bar = (yz + (xy + xz) / 2) / 2  # between: Y-Z clears it, X and Y together with Z not
    assert xy > yz > bar > (xy + xz) / 2 > (yz + xz) / 2, (xy, yz, xz)

    def ingest(db: str, order: list[Article], batch: bool) -> list[list[str]]:
        ingest = Ingest(Store(tmp_path / db))
        ingest.steps[-1] = pipeline.story_step(plain(3, bar, bar), ingest.store)
        fresh = [replace(a, item=replace(a.item)) for a in order]  # new items, as on arrival
        return _grouping(ingest.batch(fresh) if batch else [ingest(a) for a in fresh])

    for k, order in enumerate(itertools.permutations(reports)):
        assert ingest(f"batch{k}.db", list(order), True) == [["x", "y"], ["z"]]
    y, z, x = reports[1], reports[2], reports[0]
    assert ingest("stream.db", [y, z, x], False) == [["x"], ["y", "z"]]  # why a batch helps


def test_a_batch_joins_a_stored_story_and_starts_its_own(store: Store) -> None:
    ingest = Ingest(store)
    _, first = ingest(article(FLOOD_A, "/in/a.txt", entities=(KLINE, BELMORA)))
    later = ingest.batch(
        [
            article(FLOOD_B, "/in/b.txt", entities=(KLINE, BELMORA)),
            article(STEEL, "/in/s.txt", entities=(KLINE, VARNHOLT)),
            article(FLOOD_C, "/in/c.txt", entities=(KLINE, BELMORA)),
        ]
    )
    b, s, c = (a for _, a in later)
    assert b.story == c.story == first.story
    assert s.story != first.story and s.story_link is not None and s.story_link.new
    assert b.story_link is not None and not b.story_link.new


def test_a_copy_in_the_same_batch_joins_its_original(store: Store) -> None:
    (original_id, original), (_, copy) = Ingest(store).batch(
        [
            article(FLOOD_A, "/in/a.txt", entities=(KLINE,)),
            article(FLOOD_A[:200] + " Subscribe now!", "/in/copy.txt"),
        ]
    )
    assert copy.duplicate_of == original_id
    assert copy.story == original.story


def test_a_copy_that_arrives_first_does_not_pull_its_group_into_an_old_story(
    store: Store,
) -> None:
    """A republished copy of last year's report joins last year's story; this year's
    report beside it in the batch does not follow it there, whichever comes first."""
    last_year, now = NOW - timedelta(days=365), NOW
    copy = article(FLOOD_A, "/copy.txt", published="2024-06-19", seen=now, entities=(KLINE,))
    new = article(FLOOD_B, "/new.txt", published="2024-06-19", seen=now, entities=(KLINE,))
    for k, batch in enumerate(([copy, new], [new, copy])):
        ingest = Ingest(Store(store.path.with_name(f"{k}.db")))
        _, old = ingest(
            article(FLOOD_A, "/old.txt", published="2023-06-19", seen=last_year, entities=(KLINE,))
        )
        out = {a.item.origin: a for _, a in ingest.batch([replace(a) for a in batch])}
        assert out["/copy.txt"].duplicate_of is not None and out["/new.txt"].duplicate_of is None
        assert out["/copy.txt"].story == old.story
        assert out["/new.txt"].story != old.story


def test_a_copy_in_a_batch_does_not_lift_its_group_into_its_originals_story(
    tmp_path: Path,
) -> None:
    """A report that alone starts a story of its own does the same beside a copy of a
    stored article it resembles: the copy is no member of its group."""

    def text(words: list[str]) -> str:
        return " ".join(words).capitalize() + "."

    strike = ["harbour", "cranes", "dockers", "strike", "wages", "container", "backlog"]
    strike += ["shipping", "union", "pickets", "lorries", "queues"]
    ferry = ["ferry", "terminal", "ramp", "collapsed", "passengers", "injured"]
    ferry += ["ambulances", "hospital", "inquiry"]
    tariffs = ["port", "authority", "tariffs", "berths", "exporters", "grain", "quotas"]
    tariffs += ["customs", "delays"]
    day = "2024-06-19"
    joined = {}
    for k, mode in enumerate(("alone", "copy first", "copy last")):
        ingest = Ingest(Store(tmp_path / f"{k}.db"))
        stored = [
            ingest(article(text(strike + w), f"/o{j}", published=day))
            for j, w in enumerate([ferry, tariffs])
        ]
        assert stored[0][1].story == stored[1][1].story  # the setting: one stored story
        # Two days on: in the window of the stored story, but not on its day (the same-day
        # bar would let it join on less).
        n = article(text([*strike[:3], *ferry[:2], "tuesday"]), "/n", published="2024-06-21")
        copy = article(text(strike + ferry), "/copy", published=day)
        batch = {"alone": [n], "copy first": [copy, n], "copy last": [n, copy]}[mode]
        out = {a.item.origin: a for _, a in ingest.batch(batch)}
        joined[mode] = out["/n"].story == stored[0][1].story
    assert joined == {"alone": False, "copy first": False, "copy last": False}


def test_which_group_joins_a_stored_story_does_not_depend_on_order(tmp_path: Path) -> None:
    """Two groups of one batch that each clear a stored story both join it, in either
    order: each group meets the stories as they were before the batch."""
    rescue = [
        "rescue",
        "crews",
        "boats",
        "rooftops",
        "families",
        "stranded",
        "shelters",
        "schools",
        "army",
    ]
    dam = [
        "dam",
        "engineers",
        "inspected",
        "cracks",
        "spillway",
        "reservoir",
        "pressure",
        "gauges",
        "overnight",
    ]

    def text(words: list[str]) -> str:
        return " ".join(words).capitalize() + "."

    joined = set()
    for k, order in enumerate(("rescue", "dam")):
        ingest = Ingest(Store(tmp_path / f"{k}.db"))
        stored = [
            ingest(article(text(w), f"/x{n}")) for n, w in enumerate([rescue + dam, rescue, dam])
        ]
        assert len({a.story for _, a in stored}) == 1  # the setting: one stored story
        y_rescue = article(text([*rescue, "volunteers"]), "/y-rescue")
        y_dam = article(text([*dam, "contractors"]), "/y-dam")
        out = ingest.batch([y_rescue, y_dam] if order == "rescue" else [y_dam, y_rescue])
        joined.add(frozenset(a.item.origin for _, a in out if a.story == stored[0][1].story))
    assert joined == {frozenset({"/y-rescue", "/y-dam"})}


def test_the_time_rule_holds_inside_a_batch(tmp_path: Path) -> None:
    """An undated report was out by the day it was first seen: a group with a report
    dated more than the window after that day is another event, in a batch as against a
    story, even when the group's first date is within the window."""
    seen = datetime(2024, 6, 2, 12, tzinfo=UTC)
    stories = plain(3, similarity=0.05, dated_similarity=0.05)  # words alone would merge
    undated = article(FLOOD_A, "u", seen=seen, entities=(KLINE,))
    near = article(FLOOD_B, "near", published="2024-06-05", seen=NOW, entities=(KLINE,))
    plan = stories.plan([undated, near], Store(tmp_path / "a.db"))
    assert plan.group[id(undated.item)] == plan.group[id(near.item)]  # in the window
    late = article(  # nearly near's words: the two merge first
        FLOOD_B + " Rescue work went on.",
        "late",
        published="2024-06-07",
        seen=NOW,
        entities=(KLINE,),
    )
    plan = stories.plan([undated, near, late], Store(tmp_path / "b.db"))
    group = {a.item.origin: plan.group[id(a.item)] for a in (undated, near, late)}
    assert group["near"] == group["late"] != group["u"]


def test_a_large_group_in_a_batch_is_placed(store: Store) -> None:
    """Sixty dated reports of one event, each with words of its own, arrive together:
    one group, with more keys than one query can hold if every key were used."""
    shared = " ".join(f"common{k}" for k in range(40))
    reports = [
        article(
            f"{shared}. {shared}. {shared}. " + " ".join(f"own{i}x{k}" for k in range(16)),
            f"/r{i}.txt",
            published="2024-06-19",
        )
        for i in range(60)
    ]
    out = Ingest(store).batch(reports)
    assert len({a.story for _, a in out}) == 1
    assert sum(a.duplicate_of is None for _, a in out) == 60
