"""The line model's per-line counts (line_arrays.py), made by masks over the page's code
points, must equal the per-line expressions they replace: words (str.split), inner
punctuation ([,،;؛]|\\.\\s), capitalised words, short words, digits (\\d), a caption mark near the end,
a closing colon. Edge cases the aeb dumps lack: a line wider than the int16 sums allow,
a full stop ending a line (before the newline, a space, it is not inner punctuation)."""

from __future__ import annotations

import re

from monitor.extract.line_arrays import SHORT_WORD, TAIL_CHARS, line_arrays
from monitor.extract.lines import main_script, measure_page

_INNER = re.compile(r"[,،;؛]|\.\s")
_CAPITAL = re.compile(r"[A-ZА-Я]")
_DIGIT = re.compile(r"\d")


def _short(word: str) -> bool:
    """A word of SHORT_WORD characters or fewer not starting with a capital or digit."""
    return len(word) <= SHORT_WORD and not _CAPITAL.match(word) and not _DIGIT.match(word)


def _check(text: str) -> None:
    lines, columns = measure_page(text, main_script(text), 80)
    at = line_arrays(lines, columns)
    raws = [x.raw for x in lines]
    assert at.tokens.tolist() == [len(r.split()) for r in raws]
    assert at.inner_punct.tolist() == [len(_INNER.findall(r)) for r in raws]
    assert at.capitals.tolist() == [sum(bool(_CAPITAL.match(w)) for w in r.split()) for r in raws]
    assert at.digits.tolist() == [len(_DIGIT.findall(r)) for r in raws]
    assert at.short_words.tolist() == [sum(map(_short, r.split())) for r in raws]
    assert at.tail_mark.tolist() == [any(c in "/:：" for c in r[-TAIL_CHARS:]) for r in raws]
    assert at.colon.tolist() == [r.endswith(":") for r in raws]
    for counts in (at.tokens, at.inner_punct, at.capitals, at.short_words, at.digits):
        assert counts.dtype.name == "int32"


def test_counts_match_their_definitions_at_line_ends() -> None:
    _check(
        "\n".join(
            [
                "Ends with a stop.",
                "Inner. Stops. Here, and; there، and؛ more.",
                ".",
                "A. B.",
                "Colon at the end:",
                "Photo: Reuters/Jane Doe",
                "12 ٣٤ numbers 5.6 and Été Над word",
                "Last line ends with a stop.",
            ]
        )
    )


def test_counts_of_a_line_too_wide_for_int16_sums() -> None:
    wide = "a. b, " * 6000  # 36,000 characters: 12,000 words, 12,000 inner marks
    _check("\n".join(["Title line", wide.strip(), "After it. Done.", "x " * 40000]))
