"""The packed code-point table (code_table.py) holds, bit for bit, the tables it packs:
the fold, whether the fold is white space, the line model's classes and the letters of
another script. Each reader masks its bits out of one lookup a page, so an entry that
disagreed with its table would change a fold, a count or a foreign line."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from monitor.extract import code_table, fold_codes
from monitor.extract.script_letters import BMP, letter_table

_BITS = (
    (code_table.SPACE, r"\s"),
    (code_table.DIGIT, r"\d"),
    (code_table.COMMA, r"[,،;؛]"),
    (code_table.CAPITAL, r"[A-ZА-Я]"),
    (code_table.MENU, r"[|•·»>]"),
    (code_table.TAIL, r"[/:：]"),
)


def test_each_entry_holds_the_fold_of_its_code_point() -> None:
    table = code_table.code_table()
    np.testing.assert_array_equal(table & code_table.FOLD_MASK, fold_codes.fold_table())


def test_the_space_bit_says_whether_the_fold_is_white_space_but_a_newline() -> None:
    table = code_table.code_table()
    folds = fold_codes.fold_table()
    got = (table & code_table.FOLDED_SPACE) != 0
    want = np.array(
        [f < 0x110000 and f != 10 and chr(f).isspace() for f in folds.tolist()], dtype=bool
    )
    np.testing.assert_array_equal(got, want)


def test_the_class_bits_are_the_regexes_they_stand_for() -> None:
    classes = code_table.classes(code_table.code_table())
    for bit, pattern in _BITS:
        want = np.array([bool(re.match(pattern, chr(c))) for c in range(BMP)] + [bit == 8])
        np.testing.assert_array_equal((classes & bit) != 0, want, err_msg=pattern)


def test_the_other_script_bits_are_the_letter_tables() -> None:
    table = code_table.code_table()
    for script, pattern in code_table.OTHER_LETTER.items():
        got = (table & code_table.OTHER_BIT[script]) != 0
        np.testing.assert_array_equal(got, letter_table(pattern), err_msg=script)


def test_a_text_without_an_nfkc_bit_is_nfkc_normalised() -> None:
    """measure_page asks unicodedata only of the lines holding a character with the bit:
    any text of the others, in any order, must be normalised already (pairs and
    triples drawn from the scripts of the pages, and Hangul, which composes by
    arithmetic)."""
    import random
    import unicodedata

    table = code_table.code_table()
    quiet = [c for c in range(BMP) if table[c] < code_table.NFKC_ASK]
    assert table[BMP] >= code_table.NFKC_ASK  # above the plane: always asked
    near = [c for c in quiet if c < 0x800 or 0x1100 <= c < 0x1200 or 0xAC00 <= c < 0xD7A4]
    rng = random.Random(16)
    for pool in (quiet, near):
        for _ in range(20000):
            text = "".join(chr(rng.choice(pool)) for _ in range(rng.randint(2, 3)))
            assert unicodedata.is_normalized("NFKC", text), ascii(text)
    for syllable in ("\uac00", "\uac01"):  # a syllable, then a vowel or final jamo
        for jamo in ("\u1161", "\u11a8"):
            text = syllable + jamo
            assert (
                unicodedata.is_normalized("NFKC", text) or table[ord(jamo)] >= code_table.NFKC_ASK
            )


def test_the_shipped_copy_is_the_table_as_built() -> None:
    """The package ships the table for its Python's Unicode data (a process loads it in a
    millisecond instead of building it); a change to how it is built, or to the tables it
    packs, without `python -m monitor.extract.code_table` fails here."""
    if not code_table.SHIPPED.exists():
        pytest.skip(f"no shipped table for Unicode {unicodedata.unidata_version}")
    shipped = np.load(code_table.SHIPPED, allow_pickle=False)
    np.testing.assert_array_equal(shipped, code_table.build_code_table())
    assert code_table.code_table().dtype == np.uint32


def test_a_damaged_shipped_copy_is_built_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "code_table.npy"
    damaged.write_bytes(b"\x93NUMPY not a table")
    monkeypatch.setattr(code_table, "SHIPPED", damaged)
    code_table.code_table.cache_clear()
    try:
        np.testing.assert_array_equal(code_table.code_table(), code_table.build_code_table())
    finally:
        code_table.code_table.cache_clear()
