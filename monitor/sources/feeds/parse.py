"""Reading a feed document and its entries, once fetched: no network, no store.

What is checked before feedparser sees the bytes (entity declarations are refused, an
HTML page is recognised and the feeds it links to named), the headers feedparser is
given, an entry's identity, the small HTML page made from an entry's text for the
pipeline, and the entries' dates and order. poll.py runs feedparser itself, because what
it finds decides the feed's next state (success, warning or failure).

Entry identity: id, else link, else a hash of the entry's text; never its date or position,
so a feed that re-orders or re-dates its entries does not make them new again.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only in annotations: reading a document needs no HTTP client
    from monitor.sources.fetch import FetchResult

# Ids longer than this are stored as their hash: some feeds put whole URLs with tracking
# parameters, or worse, in <guid>.
MAX_KEY_CHARS = 512
# An entity declaration anywhere, in the encodings feedparser would convert from. See
# _declares_entities for why such bodies are refused outright.
_ENTITY_DECL = tuple(
    "<!ENTITY".encode(enc) for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
)
_ENTITY_DECL_8BIT = re.compile(rb"<!ENTITY", re.I)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_FEED_LINK = re.compile(rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.I)


def _declares_entities(body: bytes) -> bool:
    """Whether the document declares entities. Such documents are refused, not parsed.

    feedparser's defence (sanitizer.replace_doctype) strips <!ENTITY lines with a regex that
    only matches declarations at the start of a line: a DOCTYPE written on one line goes
    through to expat whole. What then stops a billion-laughs bomb is expat's amplification
    limit, present only since libexpat 2.4 (2021) and so a property of whatever Python and
    system library the daemon runs on. Real feeds do not declare entities, so refusing them
    costs nothing and does not depend on either. We look in the UTF-16/32 and EBCDIC
    spellings too, because feedparser converts those to UTF-8 before parsing.
    """
    if _ENTITY_DECL_8BIT.search(body):
        return True
    return any(pattern in body for pattern in _ENTITY_DECL)


def _parser_headers(response: FetchResult) -> dict[str, str]:
    """Only what feedparser should know: the type (charset) and the base URL for relative
    links. Content-Encoding is left out: the body is already decoded."""
    headers = {"content-location": response.url}
    for name in ("content-type", "content-language"):
        if name in response.headers:
            headers[name] = response.headers[name]
    return headers


def _not_a_feed(body: bytes, version: str, problem: object) -> str:
    if not version and _HTML_START.match(body[:4096]):
        found = [
            html.unescape(m.group(1).decode("utf-8", "replace"))
            for tag in _FEED_LINK.findall(body[:200_000])
            if (m := _HREF.search(tag))
        ]
        hint = f"; the page links to feeds at: {', '.join(found[:3])}" if found else ""
        return f"the URL serves an HTML page, not an RSS or Atom feed{hint}"
    if problem is not None:
        return f"not a readable feed: {problem}"
    return "not an RSS or Atom feed (feedparser recognised no feed format)"


# -- entries -----------------------------------------------------------------------------


def entry_key(entry: Mapping[str, Any]) -> str:
    """An entry's identity: its id, else its link, else a hash of its title and text."""
    ident = _clean(entry.get("id"))
    if ident:
        return _bounded("id:", ident)
    link = _clean(entry.get("link"))
    if link:
        return _bounded("link:", link)
    parts = [_clean(entry.get("title")), _clean(entry.get("summary"))]
    parts += [_clean(c.get("value")) for c in entry.get("content") or []]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def _bounded(prefix: str, value: str) -> str:
    if len(value) <= MAX_KEY_CHARS:
        return prefix + value
    return f"{prefix}sha256:{hashlib.sha256(value.encode('utf-8')).hexdigest()}"


def _entry_document(entry: Mapping[str, Any], title: str | None) -> bytes:
    """The entry's richest text (full content over summary) as a small UTF-8 HTML page, so
    the pipeline's HTML extractor reads it like any page. feedparser has already sanitised
    it (no scripts, no event handlers)."""
    candidates = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or "text/html"))
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    value, ctype = max(candidates, key=lambda c: len(c[0].strip()))
    if ctype == "text/plain":
        value = "".join(
            f"<p>{html.escape(p.strip())}</p>" for p in value.split("\n\n") if p.strip()
        )
    head = f"<title>{html.escape(title)}</title>" if title else ""
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head>'
        f"<body><article>{value}</article></body></html>"
    )
    return page.encode("utf-8")


def _oldest_first(entries: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Ingest in publication order, so alerts and stories read in order: by date when every
    entry has one, else the document's order reversed (feeds list newest first)."""
    dates = [e.get("published_parsed") or e.get("updated_parsed") for _, e in entries]
    if all(dates):
        order = sorted(range(len(entries)), key=lambda i: tuple(dates[i])[:6])
        return [entries[i] for i in order]
    return entries[::-1]


def _published(entry: Mapping[str, Any]) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    except AttributeError:
        return None


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
