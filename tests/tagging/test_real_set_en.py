"""The real English labelled set (issue 17) stays well-formed: its checker passes on it and
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


def test_real_en_set_passes_its_checker():
    checker = _checker()
    errors, records = checker.check(checker.REAL_EN, lang="en")
    assert errors == []
    assert len(records) >= 160


def test_checker_catches_bad_records(tmp_path):
    checker = _checker()
    lines = checker.REAL_EN.read_text(encoding="utf-8").splitlines()
    good = [json.loads(line) for line in lines[:4]]
    bad = [dict(r) for r in good]
    bad[1]["topics"] = ["sanctionz"]
    bad[2]["entities"] = [{"name": "Vladimir Putin", "kind": "person", "surface": "Poutine?"}]
    bad[3]["id"] = bad[0]["id"]
    bad[3]["publisher"] = bad[0]["publisher"]
    bad[3]["split"] = "test" if bad[0]["split"] == "train" else "train"
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in bad), encoding="utf-8")
    errors, _ = checker.check(path, lang="en")
    text = "\n".join(errors)
    assert "unknown topic ids ['sanctionz']" in text
    assert "'Poutine?'" in text
    assert "duplicate id" in text
    assert "is in both splits" in text
