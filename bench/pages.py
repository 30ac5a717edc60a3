"""Real-looking saved news pages, made from the seed articles, for benchmarks.

Each page has what a news site wraps an article in: a head full of meta tags, JSON-LD and
scripts, a mega-menu, a breadcrumb, share buttons, the article with a figure, teaser
widgets ("most read", "more from this section") with images and summaries, a
related-articles list, a newsletter box, a cookie banner, a comment form and a footer of
links. Article text varies per page (paragraph order and a numbered closing line) so
every page is a distinct article; half of the pages name an author in a meta tag. Pages
come out at about 60 KB (the article is a few KB of it), which is what trafilatura's
time depends on.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_NAV = "".join(f'<li><a href="/section/{i}">قسم {i}</a></li>' for i in range(1, 25))
_RELATED = "".join(
    f'<li><a href="/news/{i}">عنوان خبر ذي صلة رقم {i} عن الأحداث في المنطقة</a></li>'
    for i in range(12)
)
_SCRIPT = "<script>" + "var x = {};".join(f"window.cfg{i} = {i};" for i in range(200)) + "</script>"
_SECTIONS = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "صحة", "منوعات", "رأي"]
_MEGA_MENU = "".join(
    f'<li class="menu-item"><a href="/{i}">{name}</a><ul class="sub-menu">'
    + "".join(f'<li><a href="/{i}/{j}">{name} - ملف {j}</a></li>' for j in range(25))
    + "</ul></li>"
    for i, name in enumerate(_SECTIONS)
)
_ADS = "".join(
    f'<div class="ad-slot" id="ad-{i}" data-size="300x250"><script>'
    f"googletag.cmd.push(function(){{googletag.display('ad-{i}');}});</script></div>"
    for i in range(8)
)
_FOOTER = "".join(
    f'<div class="footer-col"><h4>{name}</h4><ul>'
    + "".join(f'<li><a href="/{name}/{j}">{name} {j}</a></li>' for j in range(12))
    + "</ul></div>"
    for name in _SECTIONS
)


def _teasers(rng: random.Random, label: str, count: int) -> str:
    cards = "".join(
        f'<div class="card"><a href="/news/{rng.randrange(10**6)}"><img src="/img/{j}.jpg" '
        f'alt="صورة" loading="lazy"><h4>{label}: عنوان خبر رقم {j} عن تطورات اليوم في المنطقة</h4>'
        f'</a><p class="summary">ملخص قصير للخبر رقم {j} يعرض أبرز ما جاء فيه من تفاصيل.</p>'
        f"<time>منذ {rng.randrange(1, 59)} دقيقة</time></div>"
        for j in range(count)
    )
    return f'<section class="widget"><h3>{label}</h3><div class="cards">{cards}</div></section>'


def page(index: int, rng: random.Random) -> bytes:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    lines = [
        line.strip() for line in seeds[index % len(seeds)].read_text(encoding="utf-8").splitlines()
    ]
    paragraphs = [line for line in lines if len(line) > 60]
    rng.shuffle(paragraphs)
    title = html.escape(paragraphs[0][:90])
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    # Half the pages name their author in a meta tag, as many sites do and many do not;
    # without one, trafilatura searches the whole page for a byline.
    author = '<meta name="author" content="فريق التحرير">' if index % 2 else ""
    body += f"<p>وأفاد المراسل في التحديث رقم {index} بأن المشاورات مستمرة حتى مساء اليوم.</p>"
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title} | أخبار العالم</title><meta property="og:site_name" content="موقع الأخبار">
<meta name="description" content="{title}">{author}
<link rel="stylesheet" href="/s.css">{_SCRIPT}</head>
<body><header><a href="/">الرئيسية</a><nav><ul>{_NAV}</ul></nav>
<form action="/search"><input name="q" placeholder="بحث"></form></header>
<div class="breadcrumb"><a href="/">الرئيسية</a> / <a href="/world">العالم</a></div>
<div class="cookie-banner">نستخدم ملفات تعريف الارتباط لتحسين تجربتك. <button>موافق</button></div>
<div class="mega-menu"><ul>{_MEGA_MENU}</ul></div>{_ADS}
<main><article><h1>{title}</h1><div class="meta">نشر في 11 سبتمبر 2023</div>
<div class="share"><a>فيسبوك</a><a>تويتر</a><a>واتساب</a></div>
<figure><img src="/a.jpg"><figcaption>صورة أرشيفية [رويترز]</figcaption></figure>
{body}</article>
<aside><h3>اقرأ أيضا</h3><ul>{_RELATED}</ul></aside>
{_teasers(rng, "الأكثر قراءة", 20)}{_teasers(rng, "المزيد من القسم", 30)}
<div class="newsletter"><h3>اشترك في النشرة البريدية</h3><form><input type="email">
<button>اشترك</button></form></div>
<section class="comments"><h3>اترك تعليقاً</h3><form><textarea></textarea>
<button>إرسال</button></form></section></main>
<footer>{_FOOTER}<p>جميع الحقوق محفوظة © 2024</p><ul>{_NAV}</ul></footer>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{title}","datePublished":"2023-09-11T10:00:00+03:00"}}</script>{_SCRIPT}</body></html>""".encode()


def write_pages(folder: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        path = folder / f"page-{i:05d}.html"
        path.write_bytes(page(i, rng))
        out.append(path)
    return out


def synthetic_article(index: int, rng: random.Random, words: int = 600) -> str:
    """A seed-sized article no other one copies: paragraphs of words drawn from the seeds'
    vocabulary (so shingles differ and no copy is found), with one sentence on the beat so
    the default rule alerts on it."""
    vocabulary = sorted(
        {w for p in sorted((REPO / "seeds").glob("*.txt")) for w in p.read_text("utf-8").split()}
    )
    drawn = [rng.choice(vocabulary) for _ in range(words)]
    paragraphs = [" ".join(drawn[i : i + 40]) + "." for i in range(0, words, 40)]
    lead = f"وقالت الوزارة في البيان رقم {index} إن صفقة أسلحة جديدة ستؤدي إلى فرض عقوبات."
    return "\n".join([f"عنوان التقرير رقم {index} عن صفقة الأسلحة", lead, *paragraphs]) + "\n"
