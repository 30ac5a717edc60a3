"""The labelled set of real article excerpts stays valid, and its checker catches bad rows.

The checker is a stdlib script next to the data (tests/data/stories/check_real_stories.py)
so it runs without the project installed; here it is loaded in-process, which is cheap.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

STORIES = Path(__file__).parent / "data" / "stories"


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_real_stories", STORIES / "check_real_stories.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    return load_checker()


def test_real_set_is_valid_and_large_enough(checker: ModuleType) -> None:
    errors, summary = checker.validate(
        STORIES / "real.jsonl", min_articles=150, min_events=40, min_ar_share=0.35, min_mixed=15
    )
    assert errors == []
    assert summary["splits"]["test"]["events"] >= 15
    assert summary["splits"]["dev"]["events"] >= 20


def row(**changes: str) -> dict[str, str]:
    base = {
        "id": "r-001",
        "event": "some-event-2024-01",
        "lang": "en",
        "title": "A title",
        "published": "2024-01-02",
        "date_from": "page",
        "source": "Outlet A",
        "url": "https://example.org/a",
        "split": "dev",
        "body": "North Korea fired a missile on Tuesday, the South Korean military said.",
    }
    base.update(changes)
    return base


def problems(checker: ModuleType, tmp_path: Path, rows: list[dict[str, str]]) -> list[str]:
    path = tmp_path / "real.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    errors, _ = checker.validate(path, min_articles=1, min_events=1, min_ar_share=0.0, min_mixed=0)
    return errors


def test_a_clean_pair_passes(checker: ModuleType, tmp_path: Path) -> None:
    rows = [
        row(),
        row(
            id="r-002",
            source="Outlet B",
            url="https://example.org/b",
            body="Seoul said the North launched a ballistic missile into the sea.",
        ),
    ]
    assert problems(checker, tmp_path, rows) == []


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ({"id": "r-001"}, "id 'r-001' used 2 times"),
        ({"url": "https://example.org/a"}, "used 2 times"),
        ({"split": "test"}, "in more than one split"),
        ({"source": "Outlet A"}, "2 articles from 'Outlet A'"),
        ({"body": "x. " * 600}, "max 1500"),
        ({"published": "2024-02-20"}, "spans"),
        ({"published": "", "date_from": "page"}, "no published date"),
        ({"lang": "ar"}, "of letters are Arabic"),
        ({"event": "Not A Slug"}, "not a lower-case slug"),
    ],
)
def test_checker_names_each_problem(
    checker: ModuleType, tmp_path: Path, second: dict[str, str], expected: str
) -> None:
    good = {
        "id": "r-002",
        "source": "Outlet B",
        "url": "https://example.org/b",
        "body": "Seoul said the North launched a ballistic missile into the sea.",
    }
    errors = problems(checker, tmp_path, [row(), row(**{**good, **second})])
    assert any(expected in e for e in errors), errors


def test_missing_field_and_totals_are_reported(checker: ModuleType, tmp_path: Path) -> None:
    bad = row()
    del bad["url"]
    path = tmp_path / "real.jsonl"
    path.write_text(json.dumps(bad) + "\n\n")
    errors, _ = checker.validate(
        path, min_articles=150, min_events=40, min_ar_share=0.35, min_mixed=15
    )
    text = "\n".join(errors)
    for expected in (
        "missing fields ['url']",
        "blank line",
        "want at least 150",
        "want at least 40",
        "Arabic share",
        "events with ar+en",
    ):
        assert expected in text


def test_fresh_batch_is_valid_and_apart_from_the_real_set(checker: ModuleType) -> None:
    """fresh.jsonl (issue 18's unseen batch) keeps its own split and shares no event."""
    errors, summary = checker.validate(
        STORIES / "fresh.jsonl", min_articles=40, min_events=10, min_ar_share=0.3, min_mixed=8
    )
    assert errors == []
    assert summary["splits"]["fresh"]["articles"] == summary["articles"]


def test_checker_keeps_fresh_events_out_of_the_real_set(
    checker: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "real.jsonl").write_text(json.dumps(row()) + "\n")
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text(json.dumps(row(id="f-001", split="fresh")) + "\n")
    errors, _ = checker.validate(fresh, min_articles=1, min_events=1, min_ar_share=0.0, min_mixed=0)
    assert any("also in real.jsonl" in e for e in errors), errors
    inside = tmp_path / "real.jsonl"
    inside.write_text(json.dumps(row(split="fresh")) + "\n")
    errors, _ = checker.validate(
        inside, min_articles=1, min_events=1, min_ar_share=0.0, min_mixed=0
    )
    assert any("`fresh` inside real.jsonl" in e for e in errors), errors
