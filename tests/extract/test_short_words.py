"""The line model's short-word count (line_arrays.py), counted with shifted masks over the
page's code points, must equal its per-line definition: the words (str.split) of at most
SHORT_WORD characters that do not start with a capital A-Z/А-Я or a digit."""

from __future__ import annotations

import re

from monitor.evaluation.aeb_pages import VENDORED, load_pages
from monitor.extract.line_arrays import SHORT_WORD, line_arrays
from monitor.extract.lines import main_script, measure_page

_NOT_SHORT_START = re.compile(r"[A-ZА-Я]|\d")


def _per_line(raw: str) -> int:
    return sum(1 for w in raw.split() if len(w) <= SHORT_WORD and not _NOT_SHORT_START.match(w))


def _counts(text: str) -> tuple[list[int], list[int]]:
    lines, columns = measure_page(text, main_script(text), 80)
    arrays = line_arrays(lines, columns)
    return arrays.short_words.tolist(), [_per_line(x.raw) for x in lines]


def test_short_words_match_their_definition_on_edge_cases() -> None:
    text = "\n".join(
        [
            "The cat sat on a mat, in the sun today",
            "في من على الاقتصاد و 12 ab",
            "Home  |  World  |  US",
            "a",
            "abcd abcde éé ÉTÉ Été été",
            "word\tlast",
        ]
    )
    got, expected = _counts(text)
    assert got == expected
    assert got[0] == 8  # cat sat on a "mat," in the sun: not "The", not "today"


def test_short_words_match_their_definition_on_real_pages() -> None:
    for page in load_pages(VENDORED)[:8]:
        got, expected = _counts(page.text)
        assert got == expected, page.key
