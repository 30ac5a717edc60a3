"""English story terms are stemmed by PyStemmer, Snowball's C code (issue 19: the pure-Python
snowballstemmer was 3 ms of a text's 20 in a one-shot ingest), and its stems are the pure
Python Snowball's word for word: the story step's terms, and so every stored story, stay
what they were."""

from __future__ import annotations

import json
from pathlib import Path

from snowballstemmer.english_stemmer import EnglishStemmer

from monitor.term_forms import _ENGLISH, term_form
from monitor.text.normalize import words

DATA = Path(__file__).parent / "data"


def _english_words() -> list[str]:
    """The distinct ASCII words of the real English story and tagging items."""
    found: set[str] = set()
    for path in (DATA / "stories" / "real.jsonl", DATA / "tagging" / "real_en.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = " ".join(str(v) for v in record.values() if isinstance(v, str))
            found.update(w for w in words(text) if w.isascii() and w.isalpha())
    return sorted(found)


def test_stems_are_the_pure_python_snowballs() -> None:
    vocabulary = _english_words()
    assert len(vocabulary) > 3000  # a real vocabulary, not a handful of words
    vocabulary += ["a", "y", "yy", "skies", "dying", "news", "generously", "succeeded"]
    reference = EnglishStemmer()
    differ = [(w, _ENGLISH.stemWord(w), reference.stemWord(w)) for w in vocabulary]
    assert [d for d in differ if d[1] != d[2]] == []
    assert term_form("sanctioned") == term_form("sanctions") == "sanction"


def test_the_stemmer_is_snowballs_c_code() -> None:
    # The pure-Python one gives the same stems 20 times slower: pinned so that a venv
    # without PyStemmer (or a change back) is seen here, not as a slower ingest.
    assert type(_ENGLISH).__module__ == "Stemmer"
