"""Plain-text cleaning: split a saved article into title, metadata, body and removed lines.

trafilatura returns nothing for plain text (NOTES.md), so this path is ours. This first
version only trims blank lines and takes a headline-like first line as the title; the
line classifier of the text-cleaning issue replaces its internals, not its contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.models import RemovedLine

_SENTENCE_END = (".", "!", "?", "؟", "。", ":", "؛")


@dataclass(frozen=True)
class CleanText:
    title: str | None
    published: str | None  # ISO date
    source: str | None
    dateline: str | None
    body: str  # body lines joined with "\n"
    removed: tuple[RemovedLine, ...]


def _looks_like_headline(line: str) -> bool:
    return 8 <= len(line) <= 200 and not line.endswith(_SENTENCE_END)


def clean_text(text: str) -> CleanText:
    """Clean decoded plain text. Never raises on odd input; an empty body is the caller's call."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    title = None
    if len(lines) > 1 and _looks_like_headline(lines[0][1]):
        title = lines[0][1]
        lines = lines[1:]
    return CleanText(
        title=title,
        published=None,
        source=None,
        dateline=None,
        body="\n".join(line for _, line in lines),
        removed=(),
    )
