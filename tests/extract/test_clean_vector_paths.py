"""Shortcuts of issue 16's fourth speed round give what the rules they skip would give.

The pinned output (test_clean_equivalence.py) holds the whole cleaner; these hold each
shortcut on the inputs that could break it, which the pinned pages may not contain.
"""

from __future__ import annotations

import random

import numpy as np

from monitor.extract import line_rules
from monitor.extract.clean import default_cleaner
from monitor.extract.line_model import LINE_FEATURES, SECOND_FEATURES, line_features
from monitor.extract.lines import measure_page
from monitor.extract.page_lines import Line
from monitor.extract.vocabulary import fold

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
    x1 = line_features(page.lines, page.arrays)
    p, z2 = model.probabilities(x1)
    fast, second = model.body_probabilities(x1)
    np.testing.assert_allclose(fast, p, rtol=0, atol=1e-12)
    rows = [0, 3, len(p) - 1]
    assert model.reasons_for(x1, second, rows) == model.reasons(z2[rows])


def test_the_reasons_of_chosen_rows_are_those_of_the_whole_matrix() -> None:
    """LineReasons.for_rows tells a pair, one feature and a lack apart by where argmin
    lands behind a column of zeros: on rows with two, one or no feature weighing against
    them (random matrices, many of each), it names what of() names."""
    model = default_cleaner()._model
    assert model is not None
    k1 = len(model.coef1)
    rng = np.random.default_rng(5)
    x2 = model.mean2 + model.scale2 * rng.normal(0, 1.5, (600, len(model.coef2)))
    x2[:, 0] = 1.0  # the bias, as line_features writes it
    # rows at the means but for zero, one or two columns (a lack, a single, a pair)
    x2[:200] = model.mean2
    x2[:200, 0] = 1.0
    for row in range(200):
        for col in rng.choice(len(model.coef2), row % 3, replace=False).tolist():
            x2[row, col] += model.scale2[col] * rng.choice([-1.0, 1.0])
    z2 = (x2 - model.mean2) / model.scale2
    want = model.reasons(z2)
    k = len(model.coef2)
    names = [what for _, what in LINE_FEATURES + SECOND_FEATURES]
    singles = {f"model: {name}" for name in names}
    lacks = {f"model: little {name}" for name in names}
    kinds = [2 - (w in singles) - 2 * (w in lacks) for w in want]  # 2 pair, 1 single, 0 lack
    assert {kinds.count(kind) > 20 for kind in range(3)} == {True} and k == len(names)
    x1, second = np.asfortranarray(x2[:, :k1]), x2[:, k1:].copy()
    rows = rng.permutation(600)[:450]
    assert model.reasons_for(x1, second, rows) == [want[i] for i in rows.tolist()]
    assert model.reasons_for(x1, second, np.arange(600)) == want


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


def test_the_sigmoid_of_the_negated_sum_is_the_sigmoid_to_the_bit() -> None:
    """body_probabilities computes -z with negated weights and _sigmoid_of_negated: the
    same numbers as _sigmoid(z) (negation is exact, the clip symmetric), so the line
    model's verdicts cannot move at the threshold."""
    from monitor.extract.line_model import _sigmoid, _sigmoid_of_negated

    rng = np.random.default_rng(16)
    z = np.concatenate((rng.normal(0, 8, 5000), [-40.0, -30.0, -0.0, 0.0, 30.0, 41.0]))
    assert _sigmoid_of_negated(-z).tobytes() == _sigmoid(z.copy()).tobytes()


def test_the_log1p_table_is_numpy_log1p_of_each_count() -> None:
    """line_features reads a page's size and distances from line_windows.LOG1P_TABLE: the numbers
    np.log1p gives for each of them, one at a time or as an array."""
    from monitor.extract.line_windows import LOG1P_LIST as _LOG1P_LIST
    from monitor.extract.line_windows import LOG1P_TABLE as _LOG1P_TABLE

    counts = np.arange(len(_LOG1P_TABLE))
    assert _LOG1P_TABLE.tobytes() == np.log1p(counts.astype(float)).tobytes()
    assert all(float(np.log1p(k)) == _LOG1P_LIST[k] for k in counts.tolist())
    for lo in (0, 1, 7, 300):  # a slice of it, as line_features writes the distances
        assert (_LOG1P_TABLE[lo:0:-1] == np.log1p(np.arange(lo, 0, -1))).all()


def test_leading_digits_and_bullets_as_the_regexes_find_them() -> None:
    """line_features looks a line's first code point up in tables (rows 11 and 13: a
    leading digit, re's \\d, or bullet), and asks the regexes on a page with a line
    starting above the BMP: the rows are what the regexes give, either way."""
    import re

    from monitor.extract.line_model import _BULLETS, LINE_FEATURES

    names = [name for name, _ in LINE_FEATURES]
    digit_row, bullet_row = names.index("digit"), names.index("bullet")
    rng = random.Random(11)
    # ASCII, Arabic-Indic and fullwidth digits, the bullets, letters, and above the BMP
    # a digit (U+1D7D9) and an emoji
    firsts = ["7", "٣", "７", *_BULLETS, "a", "ب", "«", "\U0001d7d9", "\U0001f600"]
    for above in (False, True):
        pool = firsts if above else firsts[:-2]
        raws = [f"{rng.choice(pool)} line {i} of the page" for i in range(40)]
        if above:
            raws[5] = "\U0001f600 a line starting above the BMP"
        lines, _ = measure_page("\n".join(raws), None, 80)
        x1 = line_features(lines)
        want_digit = [1.0 if re.match(r"\d", x.raw) else 0.0 for x in lines]
        want_bullet = [1.0 if x.raw[0] in _BULLETS else 0.0 for x in lines]
        assert x1[:, digit_row].tolist() == want_digit
        assert x1[:, bullet_row].tolist() == want_bullet


def test_a_kind_of_start_phrase_label_skips_never_matches_its_pattern() -> None:
    """label() tries only the patterns of the kinds the line's start phrase can be
    (vocabulary.start_kinds of any_start's match): every kind whose pattern matches a
    line must be among them, for lines made of every phrase (and bullets before it,
    and what may follow: a separator, a value, another word, a word character)."""
    from monitor.extract.vocabulary import ALL_KINDS, start_kinds

    v = default_cleaner()._v
    assert v.kinds_of, "every phrase starts with a letter or digit: kinds are known"
    patterns = {
        "starts": v.starts, "cutoff": v.cutoff, "tags": v.tags, "date": v.date_label,
        "source": v.source_label, "byline": v.byline_label, "caption": v.caption_label,
        "shows": v.caption_starts, "with": v.with_label,
    }  # fmt: skip
    assert set(patterns) == ALL_KINDS
    # (as folded lines: the phrases are folded, what surrounds them folds to itself)
    tails = ["", ": reuters", " - x", " anna smith", " also: more", "x", "s:", " :"]
    checked = 0
    for phrase in v.kinds_of:
        for head in ("", "• ", "« "):
            for tail in tails:
                line = head + phrase + tail
                found = v.any_start.match(line)
                kinds = start_kinds(v, found.group(1) if found else None)
                for kind, pattern in patterns.items():
                    if pattern.match(line):
                        assert kind in kinds, (line, kind, kinds)
                        checked += 1
    assert checked > len(v.kinds_of)  # (the lines do match: the test can fail)
