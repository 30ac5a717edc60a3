"""Saved HTML pages -> CleanText, through trafilatura.

trafilatura finds the main content and the page metadata far better than anything we would
write (F1 0.92 on its 990-page benchmark); it leaves calls to action and credits behind, so
its text then goes through the cleaner's hand rules, of which only those that pay on real
pages stay (AFTER_TRAFILATURA; the learned line model is for plain text, not for
trafilatura's already-cut text). Its title, date and site
name win over the cleaner's guesses when present. Line numbers in `removed` are those of
trafilatura's text (one paragraph a line), as the page has no lines of its own to cite.

The page is parsed once. Metadata comes from trafilatura's own functions, called one by one
for the three fields we keep (title, date, site name), instead of `with_metadata=True`:
that also runs its author, category, tag and licence searches, XPath scans of the whole
page that cost more than the text extraction itself on a typical news page (bench/
bench_ingest.py measures both) and feed nothing we store. `page_metadata` reproduces
trafilatura's precedence for those fields; tests/extract/test_html.py compares it with
`trafilatura.extract_metadata` so an upgrade that changes either is caught.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import structlog
import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as tmeta

from monitor.extract.clean import CleanText, clean_text
from monitor.models import Rejected

log = structlog.get_logger("monitor.extract")

# NOTES.md: extensive date search invents dates; deduplicate is a process-global cache that
# drops paragraphs of wire copy it has seen before; comments are not the article.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
_OPTIONS = {
    "with_metadata": False,  # page_metadata() below, for the fields we keep
    "include_comments": False,
    "deduplicate": False,
    # No fallback extractors (readability, jusText) behind trafilatura's own: on the aeb
    # corpus F1 0.9481 -> 0.9485 for 22% less CPU a page (issue 19; docs/benchmarks.md).
    "fast": True,
}
# The hand rules that still pay after trafilatura, each measured alone on the 181 real
# pages of the aeb corpus (`python -m monitor.evaluation.html_rules`, docs/evaluation.md):
# every one kept gains more precision than it costs recall. Dropped, for costing recall:
# headline lists after the article, navigation bars, short lines after the end, repeated
# lines, headline-like lines between paragraphs, short bracketed credits, date and agency
# lines (the date comes from the page's metadata anyway), other-script lines at the edges.
# The title line (the <h1> trafilatura keeps) always goes: it is stored as the title.
AFTER_TRAFILATURA = (
    "call to action or site furniture",
    "site furniture (copyright",
    "site navigation or button",
    "heading: what follows is another",  # a "read also" cut-off ...
    "after the '",  # ... and what follows it
    "link to another article (",
    "repeats the headline",
    "photo caption",
    "a list of words without one function word",
    "tag list (",
    "source credit",
)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    date: str | None
    sitename: str | None


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Title, publication date and site name as `trafilatura.extract_metadata` finds them
    (meta tags, then JSON-LD, then the page), in its order of precedence and with its
    final clean-up (entities decoded, control and zero-width characters and extra spaces
    removed), without its author, category, tag and licence searches. Does not modify
    the tree."""
    meta = tmeta.examine_meta(tree)
    with suppress(Exception):  # trafilatura guards this call too: its JSON-LD parser has bugs
        meta = tmeta.extract_meta_json(tree, meta)
    meta.title = meta.title or tmeta.extract_title(tree)
    meta.url = meta.url or tmeta.extract_url(tree, url)
    meta.date = find_date(tree, url=meta.url, **DATE_PARAMS)
    meta.sitename = meta.sitename or tmeta.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        match = tmeta.META_URL.match(meta.url)
        meta.sitename = match[1] if match else None
    meta.clean_and_trim()
    return PageMetadata(
        title=meta.title or None, date=meta.date or None, sitename=meta.sitename or None
    )


def _page_metadata_or_none(tree: HtmlElement, url: str | None) -> PageMetadata:
    """Metadata must never cost the article: inside bare_extraction, trafilatura turned
    such errors into "no metadata", and so do we (the cleaner then looks for them)."""
    try:
        return page_metadata(tree, url)
    except (TypeError, ValueError, AttributeError) as exc:
        log.warning("page metadata unreadable; using the text's own", error=str(exc))
        return PageMetadata(None, None, None)


def extract_html(raw: bytes | str, url: str | None = None) -> CleanText:
    """Extract the article from a page: its bytes (trafilatura detects the encoding) or
    the text the pipeline decoded already."""
    tree = trafilatura.load_html(raw)
    if tree is None:
        raise Rejected("not a readable HTML page (the parser found no document tree)")
    meta = _page_metadata_or_none(tree, url)
    doc = trafilatura.bare_extraction(tree, url=url, **_OPTIONS)  # works on a copy
    if doc is None or not (doc.text or "").strip():
        raise Rejected(
            "no article text found in this HTML page (trafilatura found no main content)"
        )
    title = (meta.title or "").strip() or None
    # trafilatura keeps the <h1> as the first line of the text: given the page's title,
    # the cleaner takes that line as the title line and drops later repeats of it.
    # A date or source line is metadata only when the page's own metadata lacks it: the
    # line's value is then the one stored (removing such lines when the page has them
    # cost recall on aeb, whose bodies often keep the date line).
    only = AFTER_TRAFILATURA
    if meta.date is None:
        only += ("publication date",)
    if meta.sitename is None:
        only += ("agency or source credit",)
    cleaned = clean_text(doc.text, title=title, only=only)
    return CleanText(
        title=cleaned.title,
        published=meta.date or cleaned.published,
        source=meta.sitename or cleaned.source,
        dateline=cleaned.dateline,
        body=cleaned.body,
        removed_columns=cleaned.removed_columns,
    )
