"""Saved HTML pages: trafilatura finds the article, the same cleaner trims what it leaves."""

from __future__ import annotations

from monitor.extract.html import extract_html

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Talks on disputed shipments resume in Geneva | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-03-03T09:30:00Z">
<script>window.dataLayer = [];</script></head><body>
<header><a href="/">Home</a><nav><a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a></nav></header>
<main><article>
<h1>Talks on disputed shipments resume in Geneva</h1>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<p>GENEVA (Reuters) - Negotiators from both countries met in Geneva on Monday to resume talks on
the disputed shipments, officials said, after a pause of several months in which both sides
traded accusations.</p>
<p>The delegations agreed to meet again next week, according to a joint statement released after
the meeting ended late in the evening, and said technical teams would work in between.</p>
<figure><img src="/a.jpg" alt="Delegates"><figcaption>Delegates arrive at the Palais des Nations
(AP Photo/Martial Trezzini)</figcaption></figure>
<p>Read more: Why the Geneva talks matter for the region's grain exports</p>
<p>Diplomats familiar with the talks said the main sticking point remained the inspection of cargo
at sea, which one side regards as a matter of sovereignty and the other as a guarantee.</p>
<p>Analysts cautioned that similar rounds had collapsed before, most recently in the autumn, when a
dispute over the wording of a final communique ended the meeting a day early.</p>
<p>Sign up for our morning briefing and get the day's top stories in your inbox.</p>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/1">Grain prices fall to a six-month low</a></li>
<li><a href="/2">Insurers raise premiums for the strait</a></li></ul></aside></main>
<footer><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"""


def test_html_page_metadata_from_trafilatura_and_body_from_the_cleaner() -> None:
    cleaned = extract_html(PAGE.encode())
    assert cleaned.title == "Talks on disputed shipments resume in Geneva"
    assert cleaned.published == "2024-03-03"
    assert cleaned.source == "Example News"
    assert cleaned.dateline == "GENEVA (Reuters)"
    body = cleaned.body
    for kept in (
        "Negotiators from both countries",
        "agreed to meet again",
        "sticking point",
        "Analysts cautioned",
    ):
        assert kept in body
    for cut in (
        "Sign up",
        "Read more",
        "Home",
        "All rights reserved",
        "Related articles",
        "Grain prices fall",
    ):
        assert cut not in body
    assert cleaned.title not in body
    removed = {r.text for r in cleaned.removed}
    assert "Read more: Why the Geneva talks matter for the region's grain exports" in removed
    assert all(r.why for r in cleaned.removed)


def test_arabic_page_with_the_cleaners_own_metadata_when_the_page_has_none() -> None:
    page = """<html lang="ar" dir="rtl"><head><meta charset="utf-8"></head><body><article>
<p>نشر في ٣ شباط ٢٠٢٤</p>
<p>بحث وزير الخارجية مع نظيره التركي خلال اتصال هاتفي، اليوم الأحد، سبل إعادة فتح المعابر
الحدودية أمام حركة البضائع والمسافرين بعد إغلاق دام عدة أشهر.</p>
<p>وقالت الوزارة في بيان إن الجانبين اتفقا على تشكيل لجنة فنية مشتركة تجتمع خلال الأسبوع المقبل
لوضع ترتيبات العبور وضمان سلامة الشاحنات.</p>
<p>وأضاف البيان أن الوزيرين ناقشا أيضا التطورات الإقليمية وأهمية التنسيق بين البلدين في مواجهة
التحديات الاقتصادية التي تواجه المنطقة.</p>
<p>المصدر: الجزيرة</p>
<p>تابعونا على فيسبوك وتويتر</p>
</article></body></html>"""
    cleaned = extract_html(page.encode())
    assert cleaned.published == "2024-02-03"
    assert cleaned.source == "الجزيرة"
    assert "تابعونا" not in cleaned.body and "المصدر" not in cleaned.body
    assert cleaned.body.count("\n") == 2


# Pages whose metadata sits in different places: meta tags, OpenGraph, JSON-LD, only the
# <title>, only the URL, an author tag (which must change nothing we keep).
_HEADS = {
    "opengraph": '<meta property="og:title" content="Sanctions widened">'
    '<meta property="og:site_name" content="wire service">'
    '<meta property="article:published_time" content="2024-05-02T08:00:00Z">',
    "json-ld": '<script type="application/ld+json">{"@context":"https://schema.org",'
    '"@type":"NewsArticle","headline":"عقوبات جديدة على شركات الشحن",'
    '"datePublished":"2023-11-20T10:00:00+03:00","publisher":{"@type":"Organization",'
    '"name":"عربي اليوم"}}</script>',
    "title only": "<title>Talks resume - Daily Courier</title>",
    "twitter and author": '<meta name="twitter:site" content="@courier">'
    '<meta name="author" content="Jane Roe"><meta name="date" content="2022-01-09">',
    "nothing": "",
    # What sites really write: entities inside JSON-LD, double escaping, invisible marks.
    "escaped json-ld": '<script type="application/ld+json">{"@context":"https://schema.org",'
    '"@type":"NewsArticle",'
    '"headline":"ميلر: &quot;سنراقب نتائج الاجتماع&quot;","datePublished":"2023-09-12"}'
    "</script>",
    "double escaped": '<meta property="og:title" content="Tom &amp;amp; Jerry talks">'
    '<meta property="og:site_name" content="news\u200b site">',
    "invisible marks": "<title>Talks\u200b resume\xa0in  Geneva\u200f</title>",
}


def test_page_metadata_matches_trafilatura_extract_metadata() -> None:
    """We call trafilatura's metadata functions one by one (monitor/extract/html.py); the
    fields we keep must stay what its own extract_metadata returns, across upgrades."""
    import trafilatura

    from monitor.extract.html import DATE_PARAMS, page_metadata

    body = (
        "<body><h1>Headline in the page</h1><article>"
        + "<p>Officials said the shipments continued through the port this week.</p>" * 5
        + "</article></body>"
    )
    pages = [PAGE] + [f"<html><head>{head}</head>{body}</html>" for head in _HEADS.values()]
    for page in pages:
        for url in (None, "https://www.example-news.com/2024/05/02/story.html"):
            ours = page_metadata(trafilatura.load_html(page.encode()), url)
            theirs = trafilatura.extract_metadata(page.encode(), url, dict(DATE_PARAMS))
            assert (ours.title, ours.date, ours.sitename) == (
                theirs.title,
                theirs.date,
                theirs.sitename,
            ), (page[:80], url)
    assert any(
        page_metadata(trafilatura.load_html(p.encode())).sitename for p in pages
    )  # the comparison is not between two empty results


def test_an_escaped_headline_is_stored_decoded_and_kept_out_of_the_body() -> None:
    """A JSON-LD headline written with &quot; must match the page's <h1>, or the cleaner
    keeps the headline as the body's first line (and the body hash changes)."""
    page = (
        '<html><head><script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"NewsArticle",'
        '"headline":"Miller: &quot;we will watch the talks&quot;"}</script></head><body>'
        '<article><h1>Miller: "we will watch the talks"</h1>'
        + "<p>Officials said the shipments continued through the port this week.</p>" * 4
        + "</article></body></html>"
    )
    cleaned = extract_html(page.encode())
    assert cleaned.title == 'Miller: "we will watch the talks"'
    assert "we will watch" not in cleaned.body


def test_page_metadata_leaves_the_tree_for_extraction() -> None:
    import trafilatura

    from monitor.extract.html import page_metadata

    tree = trafilatura.load_html(PAGE.encode())
    before = len(tree.xpath("//*"))
    page_metadata(tree)
    assert len(tree.xpath("//*")) == before


def test_a_metadata_bug_costs_the_metadata_not_the_article(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """trafilatura's metadata functions have had bugs on odd pages; inside bare_extraction
    they meant "no metadata", and they must not cost the article here either."""
    import trafilatura.metadata

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("simulated parser bug")

    monkeypatch.setattr(trafilatura.metadata, "examine_meta", broken)
    cleaned = extract_html(PAGE.encode())
    assert "Negotiators from both countries" in cleaned.body
    assert cleaned.title == "Talks on disputed shipments resume in Geneva"  # the cleaner's
