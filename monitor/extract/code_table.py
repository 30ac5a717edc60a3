"""One lookup a code point for everything the text path asks of a page's characters.

Measuring a page asked four tables of its code points, each with its own numpy `take`
over the whole page: the fold of each character (fold_codes.py), whether the folded
character is white space (the same), the classes the line model counts (line_arrays.py:
a space, a comma, a capital, a digit, a menu separator, a caption credit's mark) and
whether it is a letter of another script than the article's (script_letters.py). A
`take` over a page's ~8,000 code points costs some twenty instructions a code point, more
than the masks that read its result, so the four tables are packed into one of 32-bit
entries, looked up once a page (`code_info`), and each reader masks out its bits.

Bits of an entry (the tables themselves are built as before, from the same regexes and
string methods, and only packed here):

- 0-20: the folded code point, or fold_codes' markers (_DELETE, _EXPAND, _ABOVE: all
  below 2**21);
- 21-23: a letter of a script other than Arabic, Latin, Cyrillic (OTHER_LETTER);
- 24: the folded character is white space (not the newline: the lines' separator);
- 25-30: the line model's classes (CLASS_SHIFT, then SPACE ... TAIL below);
- 31: NFKC could change the character, alone or with its neighbours (NFKC_ASK): it
  changes it alone, or it is a combining mark, or the second of a pair NFKC composes
  (a text of characters without this bit is NFKC-normalised: Unicode's "quick check"
  says yes for each, in any order). A line holding one is asked
  `unicodedata.is_normalized`, as every line of a text was before.

Index BMP stands for every code point above the plane (`take` in "clip" mode), as in each
table before.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

from monitor.extract.script_letters import BMP, letter_table, lookup

# A letter of any script but the named one: a line without one cannot be foreign.
OTHER_LETTER = {
    "Arabic": re.compile(r"[^\W\d_\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "Latin": re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]"),
    "Cyrillic": re.compile(r"[^\W\d_\u0400-\u04ff]"),
}
FOLD_MASK = (1 << 21) - 1
OTHER_BIT = {script: 1 << (21 + k) for k, script in enumerate(OTHER_LETTER)}
FOLDED_SPACE = 1 << 24
CLASS_SHIFT = 25
NFKC_ASK = 1 << 31
_CLASS_SHIFT = np.array(CLASS_SHIFT, np.uint32)  # (0-d: a Python int operand costs more)

# The classes of characters the line model counts (line_arrays.py), one bit each.
SPACE = 1  # str.isspace(), which str.split() and re's \s use (none above the BMP)
COMMA = 2  # , ، ; ؛
CAPITAL = 4  # A-Z, А-Я: what re's [A-ZА-Я] matches
DIGIT = 8  # re's \d; set above the BMP, where it is not looked up: such a line is kept
MENU = 16  # | • · » >: menu separators (line_rules._menu)
TAIL = 32  # / : ：: what a caption's credit may hold (line_rules._credit_at_end)


def _classes() -> np.ndarray:
    every = "".join(map(chr, range(BMP)))
    table = np.zeros(BMP + 1, dtype=np.uint8)
    table[[m.start() for m in re.finditer(r"\s", every)]] |= SPACE
    table[[m.start() for m in re.finditer(r"\d", every)]] |= DIGIT
    table[BMP] |= DIGIT
    for bit, chars in ((COMMA, ",،;؛"), (MENU, "|•·»>"), (TAIL, "/:：")):
        table[[ord(c) for c in chars]] |= bit
    table[ord("A") : ord("Z") + 1] |= CAPITAL
    table[0x410:0x430] |= CAPITAL
    return table


# The table as built (build_code_table) with the Unicode data it was built from, shipped in
# the package: loading it costs about a millisecond where building it costs some 60 ms of
# every cleaning process's start (the folds, three scripts' letters, the classes, NFKC's
# characters); a one-file `monitor ingest` pays that start. The name carries the Unicode
# version, so a Python with other Unicode data builds its own; tests check the shipped
# copy equals a build (regenerate: `python -m monitor.extract.code_table`).
SHIPPED = Path(__file__).resolve().parent / "data" / f"code_table-{unicodedata.unidata_version}.npy"


@cache
def code_table() -> np.ndarray:
    """The packed entry of each BMP code point, and at index BMP: the shipped copy, or
    built once a process, on first use (the read commands import no cleaner)."""
    try:
        table = np.load(SHIPPED, allow_pickle=False)
    except (OSError, ValueError):  # absent (another Unicode version) or damaged
        return build_code_table()
    if table.shape != (BMP + 1,) or table.dtype != np.uint32:
        return build_code_table()
    return table


def build_code_table() -> np.ndarray:
    """The packed table, built from the tables it packs (some 60 ms)."""
    from monitor.extract import fold_codes  # (which reads the packed table: built later)

    folds = fold_codes.fold_table()
    table = folds.astype(np.uint32)
    spaces = fold_codes.spaces_table()
    # (a fold above the spaces' table is no space, as spaces_table's last entry says)
    table[spaces.take(folds, mode="clip")] |= FOLDED_SPACE
    for script, pattern in OTHER_LETTER.items():
        table[letter_table(pattern)] |= OTHER_BIT[script]
    table |= _classes().astype(np.uint32) << CLASS_SHIFT
    table[_nfkc_ask()] |= np.uint32(NFKC_ASK)
    return table


def _nfkc_ask() -> np.ndarray:
    """True for each BMP code point NFKC could change (NFKC_ASK), and at index BMP
    (a code point above the plane is always asked). Some 15 ms, once."""
    every = list(map(chr, range(BMP)))
    ask = np.zeros(BMP + 1, dtype=bool)
    ask[BMP] = True
    ask[[i for i, c in enumerate(every) if not unicodedata.is_normalized("NFKC", c)]] = True
    ask[[i for i, c in enumerate(every) if unicodedata.combining(c)]] = True
    # the second of a canonical pair (composition joins it to the character before);
    # the pairs of code points above the plane too, which may end in one below it
    for decomposition in map(unicodedata.decomposition, map(chr, range(0x20000))):
        if decomposition and decomposition[0] != "<":
            for second in decomposition.split()[1:]:
                if int(second, 16) < BMP:
                    ask[int(second, 16)] = True
    # Hangul: vowel and final jamo compose with the syllable before (no decomposition
    # lists them: Hangul is composed by arithmetic)
    ask[0x1161:0x1176] = True
    ask[0x11A8:0x11C3] = True
    return ask


def code_info(codes: np.ndarray) -> np.ndarray:
    """The packed entry (above) of each code point of `codes`: one `take` a page."""
    return lookup(code_table(), codes)


def classes(info: np.ndarray) -> np.ndarray:
    """The line model's classes (SPACE ... TAIL bits) of each entry of `info`."""
    return (info >> _CLASS_SHIFT).astype(np.uint8)


if __name__ == "__main__":
    # Regenerate the shipped copy (after a change to how the table is built).
    np.save(SHIPPED, build_code_table(), allow_pickle=False)
    print(f"wrote {SHIPPED}")
