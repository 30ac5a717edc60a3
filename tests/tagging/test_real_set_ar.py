"""The real Arabic labelled set (issue 17) stays well-formed: its checker passes on it and
still catches the mistakes it exists for, so a hand edit cannot silently corrupt test figures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[1] / "data" / "tagging" / "check_real.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_real", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_ar_set_passes_its_checker():
    checker = _checker()
    errors, records = checker.check(checker.REAL_AR, lang="ar")
    assert errors == []
    assert len(records) >= 160
    assert {r["split"] for r in records} == {"train", "test"}


def test_checker_catches_bad_records(tmp_path):
    checker = _checker()
    lines = checker.REAL_AR.read_text(encoding="utf-8").splitlines()
    good = [json.loads(line) for line in lines[:6]]
    bad = [dict(r) for r in good]
    bad[1]["topics"] = ["sanctionz"]
    bad[2]["entities"] = [{"name": "Vladimir Putin", "kind": "person", "surface": "بوتينة"}]
    bad[3]["id"] = bad[0]["id"]
    bad[4]["entities"] = [{"name": "Kremlin", "kind": "place", "surface": bad[4]["text"][:4]}]
    bad[5]["text"] = "x" * 1501
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bad), "utf-8")
    errors, _ = checker.check(path, lang="ar")
    text = "\n".join(errors)
    assert "unknown topic ids ['sanctionz']" in text
    assert "'بوتينة'" in text
    assert "duplicate id" in text
    assert "'Kremlin' is a gazetteer org, not place" in text
    assert "1501 characters" in text
    assert "no Arabic letters" in text
    assert "offbeat, need at least" in text  # the first six records are all positive
