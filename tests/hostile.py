"""What a terminal would obey in untrusted text: the tests' own oracle, written apart from
monitor/ops/terminal.py so a mistake there cannot hide in both."""

from __future__ import annotations


def dangerous(text: str) -> list[str]:
    """C0 controls but newline and tab, DEL and C1, bidi embeddings, overrides, isolates."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
    ]  # fmt: skip
