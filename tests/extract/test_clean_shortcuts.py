"""The second speed round's shortcuts (issue 16) give what the slower code they replace gives.

Each shortcut keeps its result; the line model's features that did change (function words
read in a line's head, no "repeats another line" column) are covered by the retrained
model's floors (tests/evaluation/test_aeb_heldout.py) and the pinned outcome
(test_clean_equivalence.py). These aim each shortcut at the inputs where it could differ.
"""

from __future__ import annotations

import random
from itertools import accumulate

import numpy as np
import pytest

from monitor.extract.clean import Cleaner, clean_text
from monitor.extract.line_model import _densest_run
from monitor.extract.lines import _OTHER_LETTER
from monitor.extract.script_letters import BMP, code_points, letter_table, lookup
from monitor.extract.vocabulary import load_vocabulary
from monitor.models import RemovedLine
from monitor.store.columns import _fields
from monitor.text.normalize import normalize, normalize_lines


def test_folding_a_page_at_once_gives_each_line_as_folded_alone() -> None:
    """normalize_lines skips the per-line clean-up when the folded page has no space at
    a line's edge, no double space and nothing unprintable; any such line, wherever it
    is, must send the page the slow way."""
    rng = random.Random(16)
    pieces = ["word", "É", "ى", "\u064b", " ", "  ", "\t", "\u200b", "\u00a0", "İ", "ﬁ", "\x1f"]
    for _ in range(3000):
        lines = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))).strip() or "x"
            for _ in range(rng.randint(1, 6))
        ]
        assert normalize_lines(lines) == [normalize(line) for line in lines], lines


def _kadane(score: list[float]) -> tuple[int, int]:
    """The loop _densest_run replaced (itertools.accumulate), as it was."""
    runs = list(accumulate(score, lambda run, s: run + s if run > 0 else s))
    hi = runs.index(max(runs))
    lo = hi
    while lo > 0 and runs[lo - 1] > 0:
        lo -= 1
    return lo, hi


def test_the_densest_run_is_the_one_kadanes_loop_finds_ties_included() -> None:
    """Whole-number scores sum exactly either way, so ties (two runs of the same sum, a
    run that sums to zero before it) must break alike: the first best end, and the
    start after the last point where the sum fell to its lowest."""
    rng = np.random.default_rng(16)
    for _ in range(3000):
        score = rng.integers(-3, 4, rng.integers(1, 40)).astype(float)
        assert _densest_run(score) == _kadane(score.tolist()), score
    assert _densest_run(np.array([1.0, -1.0, 1.0])) == (0, 0)
    assert _densest_run(np.array([-1.0, 0.0, 2.0])) == (2, 2)  # a zero-sum start is left out


def test_the_table_lookup_clips_code_points_above_the_plane_to_its_last_entry() -> None:
    table = letter_table(_OTHER_LETTER["Arabic"])
    text = "".join(map(chr, range(0, BMP, 7))) + "\U0001f600\U00010000\U0010ffff"
    codes = code_points(text)
    np.testing.assert_array_equal(lookup(table, codes), table[np.minimum(codes, BMP)])


def test_removed_lines_are_built_as_removed_lines_and_stored_by_their_field_names() -> None:
    text = "Home\nNews\nSport\n" + "\n".join(
        f"Paragraph {i} of the story says that the council met on Monday and agreed on "
        "the budget for the coming year after a long debate."
        for i in range(25)
    )
    removed = clean_text(text).removed
    assert removed and all(type(r) is RemovedLine for r in removed)
    first = removed[0]
    assert (first.line, first.text, first.label) == (1, "Home", "boilerplate")
    assert _fields(first) == {"line": 1, "text": "Home", "label": "boilerplate", "why": first.why}


@pytest.mark.parametrize(
    ("sample", "script"),
    [
        ("في هذا المقال the of and عن الحكومة التي قالت إن", "Arabic"),
        ("the minister said that the talks would go on in the capital", "Latin"),
        ("le ministre a dit que les discussions vont continuer dans la capitale", "Latin"),
        ("министр сказал что переговоры продолжатся в столице", "Cyrillic"),
    ],
)
def test_the_language_guess_only_weighs_languages_of_the_texts_script(
    sample: str, script: str
) -> None:
    """The guess reads the function words of the languages written in the text's main
    script; every language it may answer is written in that script."""
    cleaner = Cleaner(load_vocabulary())
    language = cleaner._language(sample, script)
    assert language in cleaner._stop_by_script[script]
    everything = cleaner._language(sample)
    if everything in cleaner._stop_by_script[script]:  # the same answer when it could be
        assert language == everything
