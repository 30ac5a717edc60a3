"""Repair mojibake: UTF-8 text that was once decoded as Latin-1 or cp1252 ("Weâ€™d").

A page read with the wrong charset and saved again as UTF-8 is valid UTF-8, so decoding
cannot notice; its words are then garbage to every later stage (the cleaner's function
words, tagging, dedup). 42 of the 181 real text dumps of the aeb corpus are like this.
ftfy does the repair (a well-kept library: it knows the many ways encodings get mixed
up and only changes text when the result is less "bad"); its cheap `is_bad` check comes
first, so clean text costs one regex pass.
"""

from __future__ import annotations

from ftfy import fix_encoding
from ftfy.badness import is_bad


def repair(text: str) -> str:
    """The text with mojibake undone where ftfy is sure; otherwise the text unchanged."""
    if not is_bad(text):
        return text
    return fix_encoding(text)
