"""Shortcuts of issue 16's fourth speed round give what the rules they skip would give.

The pinned output (test_clean_equivalence.py) holds the whole cleaner; these hold each
shortcut on the inputs that could break it, which the pinned pages may not contain.
"""

from __future__ import annotations

import random
import tomllib

import numpy as np

from monitor.extract import line_rules
from monitor.extract.clean import default_cleaner
from monitor.extract.line_model import line_features
from monitor.extract.lines import Line, measure_page
from monitor.extract.vocabulary import DATA, fold

CREDITS = [
    "Foto: dpa",
    "Photo: Reuters",
    "REUTERS/Kim Hong-Ji",
    "AFP PHOTO/Anna Smith",
    "[Name/Agency via AP]",
    "(AP Photo/John Doe)",
    "صورة: رويترز",
]


def test_a_line_ending_like_a_sentence_has_no_credit_at_its_end() -> None:
    """_credit_at_end returns False at once for a line ending in . ! ?: none of its three
    forms (an agency slash, a caption label's value, a bracket) can end so."""
    cleaner = default_cleaner()  # (built once a test process; its vocabulary and rules)
    v, rules = cleaner._v, cleaner._line_rules
    rng = random.Random(4)
    for credit in CREDITS:
        line = Line(2, f"Crowds gather outside the court. {credit}", "", 8, False, False, False)
        assert rules._credit_at_end(line, "Latin"), credit  # the credit is found ...
        for end in ".!?":
            for _ in range(5):
                raw = f"Crowds gather. {credit}{rng.choice(['', ' ', 'x'])}{end}"
                # ... and none of the forms the rule tries matches once a stop ends it
                tail = raw[-60:]
                assert not line_rules._AGENCY_SLASH_END.search(tail)
                assert not v.caption_tail.search(fold(tail))
                assert not line_rules._BRACKET_END.search(raw)


def test_the_folded_weights_give_the_standardised_probabilities() -> None:
    cleaner = default_cleaner()
    model = cleaner._model
    assert model is not None
    text = "\n".join(
        [f"Menu item {i}" for i in range(12)]
        + ["A long paragraph of the article, with words, commas and a full stop. " * 3] * 10
        + ["Share", "Tweet", "© 2024 Example News"]
    )
    page = cleaner.label_lines(text)
    assert page is not None
    x1 = line_features(page.lines, page.stop, page.arrays)
    p, z2 = model.probabilities(x1)
    fast, second = model.body_probabilities(x1)
    np.testing.assert_allclose(fast, p, rtol=0, atol=1e-12)
    rows = [0, 3, len(p) - 1]
    assert model.reasons_for(x1, second, rows) == model.reasons(z2[rows])


def test_sentence_ends_and_line_numbers_as_measured_line_by_line() -> None:
    closers = "\"'”’»)]"
    rng = random.Random(7)
    pieces = ["word", " ", ".", "!", "?", "؟", "…", "。", "!", *closers, "\U0001f600", "\t"]
    for _ in range(200):
        raws = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(1, 10))
        ]
        lines, _ = measure_page("\n".join(raws), None, 80)
        kept = [(no, r.strip()) for no, r in enumerate(raws, 1) if r.strip()]
        assert [x.no for x in lines] == [no for no, _ in kept]
        want = [r.rstrip(closers)[-1:] in frozenset(".!?؟…。!") for _, r in kept]
        assert [x.sentence for x in lines] == want


def test_a_phrase_at_the_start_as_the_whole_pattern_finds_it() -> None:
    """Vocabulary.phrase_at_start tries only the phrases of a line's first character
    (issue 16's sixth round): on lines starting with every phrase of the vocabulary
    files, after a bullet, a quote, an underscore or a digit, cut short or run into a
    word, and on lines of nothing, a bullet or a letter no phrase starts with, it says
    what any_start.match says."""
    v = default_cleaner()._v
    phrases = sorted(
        {
            phrase
            for path in DATA.glob("*.toml")
            for table in tomllib.loads(path.read_text(encoding="utf-8")).values()
            if isinstance(table, dict)
            for values in table.values()
            if isinstance(values, list)
            for phrase in values
            if isinstance(phrase, str)
        }
    )
    assert len(phrases) > 300  # (tags, read also, furniture, months, ... in six languages)
    lines = ["", "_", "_tags: a", "•", "• share", "«read also»", "2024 budget", "x", "zzz"]
    for phrase in phrases:
        for prefix in ("", "• ", "_", "« ", "1 "):
            for suffix in ("", ": more", "s", " and more"):
                lines.append(f"{prefix}{phrase}{suffix}")
        lines.append(phrase[: len(phrase) // 2])
    folds = [fold(line) for line in lines]
    found = v.phrase_at_start(folds)
    assert found == [v.any_start.match(f) is not None for f in folds]
    assert sum(found) > len(phrases)  # (many lines do start with a phrase)
