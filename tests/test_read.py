"""Reading what the monitor collected: search, show, stats and filtered export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from running import cli


@pytest.fixture
def ingested(seeded: Path) -> Path:
    """The seeds ingested by the real `monitor ingest`, a private copy (conftest.seeded)."""
    return seeded


def test_search_json_is_ranked_with_marked_snippets_in_the_articles_spelling(
    ingested: Path,
) -> None:
    results = [
        json.loads(line)
        for line in cli(ingested, "search", "--json", "بيونغ يانغ").stdout.splitlines()
    ]
    assert results
    assert [r["rank"] for r in results] == sorted(r["rank"] for r in results)  # best first
    for r in results:
        assert "[" in r["snippet"] and "]" in r["snippet"]
        assert {"id", "title", "origin", "topics", "published", "source"} <= set(r)


def test_search_with_the_article_or_a_preposition_finds_the_same(ingested: Path) -> None:
    def ids(query: str) -> set[int]:
        return {
            json.loads(line)["id"]
            for line in cli(ingested, "search", "--json", query).stdout.splitlines()
        }

    bare = ids("عقوبات")
    assert bare and ids("العقوبات") >= bare  # the article-less form is searched too
    assert ids("بالعقوبات") >= ids("وبالعقوبات")  # a typed clitic narrows, never errs


def test_search_filters_by_language(ingested: Path) -> None:
    assert cli(ingested, "search", "--json", "--lang", "en", "بيونغ").stdout == ""
    assert cli(ingested, "search", "--json", "--lang", "ar", "بيونغ").stdout


def test_show_prints_metadata_body_and_tags(ingested: Path) -> None:
    exported = [json.loads(line) for line in cli(ingested, "export").stdout.splitlines()]
    target = next(r for r in exported if r["title"])
    out = cli(ingested, "show", str(target["id"])).stdout
    assert target["title"] in out and target["origin"] in out
    assert target["text"].splitlines()[0] in out
    for topic in target["topics"]:
        assert f"topic {topic}" in out
    record = json.loads(cli(ingested, "show", "--json", str(target["id"])).stdout)
    assert record["id"] == target["id"] and "removed" in record and "copies" in record
    missing = cli(ingested, "show", "99999", check=False)
    assert missing.returncode == 1 and "no article #99999" in missing.stderr


def test_show_counts_a_storys_articles_in_words_that_agree(ingested: Path, tmp_path: Path) -> None:
    """A story of one article says so: "(1 article)", never "(1 articles)"."""
    lone = tmp_path / "lone.txt"
    lone.write_text(
        "Iceland opens a new geothermal plant\n"
        "Reykjavik officials opened a geothermal power plant on Monday, the utility said.\n",
        encoding="utf-8",
    )
    cli(ingested, "ingest", str(lone))
    exported = [json.loads(line) for line in cli(ingested, "export").stdout.splitlines()]
    one = next(r for r in exported if r["origin"].endswith("lone.txt"))
    record = json.loads(cli(ingested, "show", "--json", str(one["id"])).stdout)
    out = cli(ingested, "show", str(one["id"])).stdout
    assert record["story_label"] and record["story_size"] == 1  # a story of its own
    assert "(1 article)" in out and "(1 articles)" not in out
    grouped = next(r for r in exported if r["origin"].endswith(".txt") and r["id"] != one["id"])
    shown = cli(ingested, "show", str(grouped["id"])).stdout
    size = json.loads(cli(ingested, "show", "--json", str(grouped["id"])).stdout)["story_size"]
    assert size > 1 and f"({size} articles)" in shown


def test_stats_has_every_section_and_adds_up(ingested: Path) -> None:
    numbers = json.loads(cli(ingested, "stats", "--json").stdout)
    assert sum(numbers["per_language"].values()) == 5
    assert sum(numbers["per_day"].values()) == 5
    text = cli(ingested, "stats").stdout
    for section in (
        "articles per day",
        "per topic",
        "per source",
        "per language",
        "alert deliveries",
    ):
        assert section in text
    assert "█" in text


def test_export_takes_the_same_filters(ingested: Path) -> None:
    everything = cli(ingested, "export").stdout.splitlines()
    topic = json.loads(everything[0])["topics"][0]
    filtered = [
        json.loads(line) for line in cli(ingested, "export", "--topic", topic).stdout.splitlines()
    ]
    assert filtered and all(topic in r["topics"] for r in filtered)
    assert cli(ingested, "export", "--since", "2999-01-01").stdout == ""
    assert len(cli(ingested, "export", "--lang", "ar").stdout.splitlines()) == 5
