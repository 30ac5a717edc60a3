"""Finding articles: full-text queries, filters, and snippets from the articles' own text.

`monitor search`, `monitor export` and the alert rules' `query` share this module, so
a query means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from monitor.text.clitics import has_cuts, index_text, query_forms, tails
from monitor.text.normalize import normalize

# Normalised name words a query must not cut (text/clitics.py); None: the shipped gazetteer's.
Names = Collection[str] | None

_OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'"[^"]*"|\S+')


@dataclass(frozen=True)
class Filters:
    """Restrictions users combine with a query (or use alone, for export)."""

    topic: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    story: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    source: str | None = None  # part of the source name or the origin
    language: str | None = None
    duplicates: bool = False  # include copies of articles already stored

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        clauses, args = [], []
        for topic in self.topic:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each({alias}.topics) WHERE value = ?)")
            args.append(topic)
        for entity in self.entity:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each({alias}.entities) WHERE value = ?)")
            args.append(entity)
        if self.story:
            clauses.append(f"{alias}.story = ?")
            args.append(self.story)
        day = f"coalesce({alias}.published, substr({alias}.ingested_at, 1, 10))"
        if self.since:
            clauses.append(f"{day} >= ?")
            args.append(self.since)
        if self.until:
            clauses.append(f"{day} <= ?")
            args.append(self.until)
        if self.source:
            clauses.append(f"(lower({alias}.source) LIKE ? OR lower({alias}.origin) LIKE ?)")
            args += [f"%{self.source.casefold()}%"] * 2
        if self.language:
            clauses.append(f"{alias}.language = ?")
            args.append(self.language)
        if not self.duplicates:
            clauses.append(f"{alias}.duplicate_of IS NULL")
        return (" AND ".join(clauses) or "1"), args


def _protected(query: str, names: Names) -> Collection[str]:
    """The name words to protect; the shipped gazetteer is read only when a query word
    could be cut at all (most English and many Arabic queries never need it)."""
    if names is not None:
        return names
    if not any(has_cuts(w) for w in re.findall(r"\w+", normalize(query))):
        return ()
    from monitor.tagging.names import shipped_name_words

    return shipped_name_words()


def fts_query(query: str, names: Names = None) -> str:
    """A user's query in FTS5 syntax over the search index (see text/clitics.py).

    Words are normalised as the index was and searched as typed or as the tails their
    proclitics leave (بالعقوبات: also العقوبات and عقوبات), names never cut. "Quoted
    phrases" are searched as typed (a proclitic before the phrase allowed). AND/OR/NOT
    and a trailing * (prefix) keep their meaning. Anything else that FTS5 would read as
    syntax is quoted away, so no query is a syntax error.
    """
    names = _protected(query, names)
    parts: list[str] = []
    for token in _TOKEN.findall(query):
        if token in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(token)
            continue
        if token.startswith('"'):
            # As the index spells it: each word followed by its tails (بيونغ يانغ is
            # indexed "بيونغ يونغ يانغ"), else no phrase of a word with tails could match.
            indexed = index_text(token)
            if indexed:
                parts.append(f'"{indexed}"')
            continue
        prefix = token.endswith("*")
        for word in re.findall(r"\w+", normalize(token)):
            forms = [f'"{f}"' + ("*" if prefix else "") for f in query_forms(word, names)]
            parts.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return " ".join(parts)


def query_words(query: str, names: Names = None) -> set[str]:
    """The normalised words (and the tails searched for them) a snippet should highlight."""
    names = _protected(query, names)
    out: set[str] = set()
    for token in _TOKEN.findall(query):
        if token in _OPERATORS:
            continue
        for word in re.findall(r"\w+", normalize(token.rstrip("*"))):
            out.update(query_forms(word, names))
    return out


def snippet(
    text: str,
    query: str,
    *,
    width: int = 30,
    mark: tuple[str, str] = ("[", "]"),
    names: Names = None,
) -> str:
    """A window of the article's own words around the first hit, hits marked.

    Built from the stored text rather than the index, so the reader sees the article's
    spelling (marks, hamza, clitics and all) in logical order, not the folded index form.
    """
    wanted = query_words(query, names)
    prefixes = {w.rstrip("*") for w in wanted}
    tokens = text.split()
    hits = [i for i, tok in enumerate(tokens) if _hit(tok, wanted, prefixes, query)]
    if not tokens:
        return ""
    first = hits[0] if hits else 0
    start = max(0, first - width // 3)
    window = tokens[start : start + width]
    shown = [
        f"{mark[0]}{tok}{mark[1]}" if start + i in hits else tok for i, tok in enumerate(window)
    ]
    lead = "… " if start > 0 else ""
    tail = " …" if start + width < len(tokens) else ""
    return lead + " ".join(shown) + tail


def _hit(token: str, wanted: set[str], prefixes: set[str], query: str) -> bool:
    for word in re.findall(r"\w+", normalize(token)):
        for tail in tails(word):
            if tail in wanted:
                return True
            if "*" in query and any(tail.startswith(p) for p in prefixes if len(p) >= 2):
                return True
        if word.isascii() and any(_same_stem(word, w) for w in wanted):
            return True  # the index is porter-stemmed: "sanction" matched "Sanctions"
    return False


def _same_stem(word: str, wanted: str) -> bool:
    return len(wanted) >= 4 and word.startswith(wanted[:-1]) and len(word) - len(wanted) <= 3
