"""The real labelled sets (issue 17), Arabic and English, stay well-formed: their one checker
passes on them and still catches the mistakes it exists for, so a hand edit cannot silently
corrupt test figures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from monitor.evaluation import real_news

CHECKER = Path(__file__).resolve().parents[1] / "data" / "tagging" / "check_real.py"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_real", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_edited(checker: ModuleType, lang: str, edit, count: int, tmp_path: Path) -> str:
    """The checker's errors, one per line, on the set's first `count` records after `edit`."""
    path = checker.REAL_AR if lang == "ar" else checker.REAL_EN
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = [json.loads(line) for line in lines[:count]]
    edit(bad)
    edited = tmp_path / "bad.jsonl"
    edited.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bad), "utf-8")
    errors, _ = checker.check(edited, lang=lang)
    return "\n".join(errors)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_real_set_passes_its_checker(checker: ModuleType, lang: str) -> None:
    errors, records = checker.check(checker.REAL_AR if lang == "ar" else checker.REAL_EN, lang=lang)
    assert errors == []
    assert len(records) >= 160
    splits = {r["split"] for r in records}
    # "fresh" ... "fresh9": new collections scored once, kept out of
    # training (check_real.py).
    assert {"train", "test"} <= splits <= set(checker.SPLITS)
    assert checker.SPLITS == real_news.SPLITS  # the scorer knows every split the data uses


def test_checker_catches_bad_arabic_records(checker: ModuleType, tmp_path: Path) -> None:
    def edit(bad: list[dict]) -> None:
        bad[1]["topics"] = ["sanctionz"]
        bad[2]["entities"] = [{"name": "Vladimir Putin", "kind": "person", "surface": "بوتينة"}]
        bad[3]["id"] = bad[0]["id"]
        bad[4]["entities"] = [{"name": "Kremlin", "kind": "place", "surface": bad[4]["text"][:4]}]
        bad[5]["text"] = "x" * 1501

    text = _check_edited(checker, "ar", edit, 6, tmp_path)
    assert "unknown topic ids ['sanctionz']" in text
    assert "'بوتينة'" in text
    assert "duplicate id" in text
    assert "'Kremlin' is a gazetteer org, not place" in text
    assert "1501 characters" in text
    assert "no Arabic letters" in text
    assert "offbeat, need at least" in text  # the first six records are all positive


def test_checker_catches_bad_english_records(checker: ModuleType, tmp_path: Path) -> None:
    def edit(bad: list[dict]) -> None:
        bad[1]["topics"] = ["sanctionz"]
        bad[2]["entities"] = [{"name": "Vladimir Putin", "kind": "person", "surface": "Poutine?"}]
        bad[3]["id"] = bad[0]["id"]
        bad[3]["publisher"] = bad[0]["publisher"]
        bad[3]["split"] = "test" if bad[0]["split"] == "train" else "train"

    text = _check_edited(checker, "en", edit, 4, tmp_path)
    assert "unknown topic ids ['sanctionz']" in text
    assert "'Poutine?'" in text
    assert "duplicate id" in text
    assert "is in both splits" in text
