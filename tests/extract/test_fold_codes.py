"""The table fold of a page's line heads (fold_codes.py) gives what normalize_lines gives."""

from __future__ import annotations

import random
import unicodedata

import numpy as np

from monitor.extract import fold_codes
from monitor.extract.script_letters import code_points
from monitor.text import normalize


def _stable(codes: range) -> list[str]:
    """The characters of `codes` a page's lines can hold: NFKC leaves them as they are."""
    return [c for c in map(chr, codes) if c != "\n" and unicodedata.is_normalized("NFKC", c)]


def test_the_table_folds_every_code_point_as_normalize_does() -> None:
    chars = _stable(range(fold_codes.BMP))
    joined = "\n".join(chars)
    assert unicodedata.is_normalized("NFKC", joined)  # so _fold folds it char by char
    table = fold_codes.fold_table()
    wrong = []
    for char, folded in zip(chars, normalize._fold(joined).split("\n"), strict=True):
        want = ord(folded) if len(folded) == 1 else fold_codes._DELETE if not folded else None
        got = int(table[ord(char)])
        if got != (fold_codes._EXPAND if want is None else want):
            wrong.append(hex(ord(char)))
    assert not wrong, wrong[:20]


def test_no_code_point_from_top_on_folds() -> None:
    codes = np.arange(fold_codes.TOP, 0x110000, dtype="<u4")
    above = codes.tobytes().decode("utf-32-le")  # (a million chr() calls cost 0.15 s)
    assert above.casefold() == above
    assert not normalize._DROPPED.search(above)
    assert not normalize._ACCENTED.search(above)


def _heads(lines: list[str], cut: list[bool], head_chars: int) -> list[str]:
    """What lines.measure_page folded before the table: the cut heads, right-stripped."""
    heads = [x[:head_chars].rstrip() if c else x for x, c in zip(lines, cut, strict=True)]
    return normalize.normalize_lines(heads)


def test_heads_fold_as_normalize_lines_folds_them() -> None:
    pieces = [
        "Word", "ÉCOLE", "é", "  ", " ", "\t", "\u00a0", "\u200b", "\u064e", "أخبار", "ى",
        "ة", "Ёлка", "\U0001f600", "\ud800", "\u3000", "x\u0301", "\u1680", "ǅ", "·", "\x1c",
    ]  # fmt: skip
    rng = random.Random(16)
    for _ in range(150):
        lines = []
        for _ in range(rng.randint(1, 12)):
            line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))).strip()
            line = unicodedata.normalize("NFKC", line).strip()
            if line:
                lines.append(line)
        if not lines:
            continue
        joined = "\n".join(lines)
        codes = code_points(joined)
        chars = np.array([len(x) for x in lines], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(chars[:-1] + 1))).astype(np.int64)
        cut = np.array([rng.random() < 0.5 for _ in lines])
        head = rng.randint(3, 40)
        got = fold_codes.fold_joined(codes, starts, chars, cut, head)
        assert got is not None
        assert got.split("\n") == _heads(lines, cut.tolist(), head), lines


def test_a_character_that_folds_to_two_leaves_the_page_to_the_string_fold() -> None:
    one = np.array([0])
    for text in ("Straße", "\U00010400 Deseret"):  # (Deseret has case: it folds)
        codes = code_points(text)
        got = fold_codes.fold_joined(codes, one, np.array([len(text)]), np.array([False]), 80)
        assert got is None
