"""Repair mojibake: UTF-8 text that was once decoded as Latin-1 or cp1252 ("Weâ€™d").

A page read with the wrong charset and saved again as UTF-8 is valid UTF-8, so decoding
cannot notice; its words are then garbage to every later stage (the cleaner's function
words, tagging, dedup). 42 of the 181 real text dumps of the aeb corpus are like this.
ftfy does the repair (a well-kept library: it knows the many ways encodings get mixed
up and only changes text when the result is less "bad"); its cheap `is_bad` check comes
first, so clean text costs one regex pass.

ftfy is imported only for a text that could hold mojibake: every pattern of its check
needs a character outside ASCII and the Arabic script (Latin-1 and Latin Extended
letters, Greek, Cyrillic, C1 controls, symbols, curly quotes: what the wrong decoder
makes of UTF-8's bytes). Text made of ASCII and Arabic alone is returned as it is, and a
process that reads only such text never pays ftfy's import (0.05 s of CPU).
tests/test_start_cost.py checks the claim against ftfy's own check.
"""

from __future__ import annotations

import re

# No pattern of ftfy.badness can match a text made of these characters alone.
_PLAIN = re.compile(r"[\x00-\x7f\u0600-\u06ff]*")


def repair(text: str) -> str:
    """The text with mojibake undone where ftfy is sure; otherwise the text unchanged."""
    if _PLAIN.fullmatch(text):
        return text
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not is_bad(text):
        return text
    return fix_encoding(text)
