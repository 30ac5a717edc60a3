"""Real-looking saved news pages, made from the seed articles, for benchmarks.

Each page has what a news site wraps an article in: a head full of meta tags and scripts,
navigation, a breadcrumb, share buttons, the article with a figure, a related-articles
list, a comment form and a footer. Article text varies per page (paragraph order and a
numbered closing line) so every page is a distinct article.
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


def page(index: int, rng: random.Random) -> bytes:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    lines = [
        line.strip() for line in seeds[index % len(seeds)].read_text(encoding="utf-8").splitlines()
    ]
    paragraphs = [line for line in lines if len(line) > 60]
    rng.shuffle(paragraphs)
    title = html.escape(paragraphs[0][:90])
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    body += f"<p>وأفاد المراسل في التحديث رقم {index} بأن المشاورات مستمرة حتى مساء اليوم.</p>"
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title} | أخبار العالم</title><meta property="og:site_name" content="موقع الأخبار">
<meta name="description" content="{title}"><link rel="stylesheet" href="/s.css">{_SCRIPT}</head>
<body><header><a href="/">الرئيسية</a><nav><ul>{_NAV}</ul></nav>
<form action="/search"><input name="q" placeholder="بحث"></form></header>
<div class="breadcrumb"><a href="/">الرئيسية</a> / <a href="/world">العالم</a></div>
<main><article><h1>{title}</h1><div class="meta">نشر في 11 سبتمبر 2023</div>
<div class="share"><a>فيسبوك</a><a>تويتر</a><a>واتساب</a></div>
<figure><img src="/a.jpg"><figcaption>صورة أرشيفية [رويترز]</figcaption></figure>
{body}</article>
<aside><h3>اقرأ أيضا</h3><ul>{_RELATED}</ul></aside>
<section class="comments"><h3>اترك تعليقاً</h3><form><textarea></textarea>
<button>إرسال</button></form></section></main>
<footer><p>جميع الحقوق محفوظة © 2024</p><ul>{_NAV}</ul></footer></body></html>""".encode()


def write_pages(folder: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        path = folder / f"page-{i:05d}.html"
        path.write_bytes(page(i, rng))
        out.append(path)
    return out
