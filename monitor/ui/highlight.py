"""An article's text as HTML paragraphs, every matched term of every topic marked.

Tagging stores each match as word numbers over "title, newline, body", counted as
`tagging.terms.Document` counts them: the \\w+ runs of each normalised line. To put the
marks back in the text as written (marks, hamza and clitics kept), each white-space word
of each line is normalised on its own and counted the same way, so a word knows which
positions it holds. A phrase is stored by its first position: it marks as many words as
the phrase has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from monitor.text.normalize import normalize

_WORD = re.compile(r"\w+")
_NEAR = re.compile(r"\s+NEAR/\d+\s+")


@dataclass
class Hit:
    """Why one word is marked: the topics and rules (terms) whose match covers it."""

    reasons: list[tuple[str, str]] = field(default_factory=list)  # (topic, term)
    refs: list[str] = field(default_factory=list)  # ids of the evidence list's items


def evidence_items(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per topic and term, with an id the marks point at (aria-describedby)."""
    items = []
    for t, tag in enumerate(evidence):
        for m, match in enumerate(tag.get("matches") or []):
            if not isinstance(match, dict):
                continue
            items.append(
                {
                    "id": f"ev-{t}-{m}",
                    "topic": str(tag.get("topic", "?")),
                    "score": tag.get("score"),
                    "term": str(match.get("term", "")),
                    "count": match.get("count", 0),
                    "positions": [p for p in match.get("positions") or [] if isinstance(p, int)],
                }
            )
    return items


def _span(term: str) -> int:
    """How many words a match covers from its stored position: a phrase's words; for
    "a NEAR/n b" the stored position is a's, so a's words."""
    first = _NEAR.split(term)[0]
    return max(1, len(_WORD.findall(normalize(first))))


def hits_by_position(items: list[dict[str, Any]]) -> dict[int, Hit]:
    hits: dict[int, Hit] = {}
    for item in items:
        span = _span(item["term"])
        for start in item["positions"]:
            for pos in range(start, start + span):
                hit = hits.setdefault(pos, Hit())
                if item["id"] not in hit.refs:
                    hit.refs.append(item["id"])
                    hit.reasons.append((item["topic"], item["term"]))
    return hits


def _token_count(word: str) -> int:
    return len(_WORD.findall(normalize(word)))


def paragraphs(title: str | None, text: str, hits: dict[int, Hit]) -> tuple[str, list[str]]:
    """The title and each line of the body as HTML (escaped), matched words in <mark>;
    the title's words are counted first, as tagging counted them."""
    position = 0

    def line_html(line: str) -> str:
        nonlocal position
        html = []
        for word in line.split():
            n = _token_count(word)
            covered = [hits[p] for p in range(position, position + n) if p in hits]
            position += n
            html.append(_mark(word, covered) if covered else escape(word))
        return " ".join(html)

    heading = " ".join(line_html(line) for line in (title or "").splitlines())
    return heading, [html for line in text.splitlines() if (html := line_html(line))]


def _mark(word: str, covered: list[Hit]) -> str:
    reasons: list[tuple[str, str]] = []
    refs: list[str] = []
    for hit in covered:
        for reason, ref in zip(hit.reasons, hit.refs, strict=True):
            if ref not in refs:
                refs.append(ref)
                reasons.append(reason)
    title = "; ".join(f"topic {topic}, rule: {term}" for topic, term in reasons)
    topics = " ".join(sorted({topic for topic, _ in reasons}))
    return (
        f'<mark tabindex="0" title="{escape(title)}" aria-describedby="{" ".join(refs)}" '
        f'data-topics="{escape(topics)}">{escape(word)}</mark>'
    )
