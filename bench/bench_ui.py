"""The reading room's pages on a store of 100,000 articles: time per page, against 200 ms.

Fills a store made by the real schema (Store runs the migrations) with synthetic rows by
direct SQL, Arabic and English, grouped into stories of about five, with evidence,
entities, removed lines, copies, alerts and deliveries, then asks each page of the
reading room through Datasette's in-process client (the ASGI app `monitor ui` serves,
without the socket) and prints the median and the slowest of the runs. The store is
kept between runs (pass --rebuild to make it again).

    .venv/bin/python bench/bench_ui.py [--articles 100000] [--runs 15] [--store PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from monitor.store.db import Store
from monitor.text.clitics import index_text
from monitor.text.normalize import normalize
from monitor.ui.server import build

AR = (  # noqa: SIM905  # a line of words reads better than 34 quoted strings
    "الرئيس روسيا كوريا الشمالية بوتين كيم زيارة العقوبات الأسلحة صواريخ مجلس الأمن "
    "وزير الخارجية اجتماع قمة موسكو بيونغ يانغ الحرب أوكرانيا الصين واشنطن المحادثات "
    "الاتفاق الدفاع الجيش المناورات النووية الاقتصاد النفط الحدود اللاجئين الانتخابات"
).split()
EN = (  # noqa: SIM905
    "president russia north korea putin kim visit sanctions weapons missiles security "
    "council minister foreign meeting summit moscow pyongyang war ukraine china washington "
    "talks agreement defence army exercises nuclear economy oil border refugees elections"
).split()
TOPICS = ["sanctions", "arms_transfers", "diplomacy_summits", "ukraine_war", "nuclear_missile"]
ENTITIES = ["Russia", "North Korea", "Vladimir Putin", "Kim Jong Un", "China", "Ukraine"]
RARE = "Rare Entity"  # on one article in 10,000: the home page filter's slow case


def vocabulary(rng: random.Random, letters: str, words: list[str], size: int = 5000) -> list[str]:
    """`size` made-up words ranked for Zipf's law, the real words at ranks 100 to 550: each
    of those is in a few percent of the articles, as a topic word is in news (a word in
    every article would make every search rank the whole store)."""
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(size)]
    for k, word in enumerate(words):
        made[100 + 15 * k] = word
    return made


def zipf(size: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(size):
        total += 1 / (rank + 1)
        out.append(total)
    return out


def fill(path: Path, n: int, seed: int = 7) -> None:
    Store(path).close()  # the schema, by the real migrations
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("INSERT OR IGNORE INTO raw (sha256, size, content) VALUES ('x', 0, NULL)")
    stories, articles, search = [], [], []
    story_of_original: dict[int, str] = {}
    day0 = 1_700_000_000
    vocab_ar = vocabulary(rng, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", AR)
    vocab_en = vocabulary(rng, "abcdefghijklmnopqrstuvwxyz", EN)
    weights = zipf(len(vocab_ar))
    for i in range(1, n + 1):
        arabic = rng.random() < 0.7
        vocab = vocab_ar if arabic else vocab_en
        words = rng.choices(vocab, cum_weights=weights, k=98)
        text = "\n".join(" ".join(words[j : j + 15]) for j in range(8, 98, 15))
        title = " ".join(words[:8])
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000+00:00", time.gmtime(day0 + i * 30))
        story_no = (i - 1) // 5
        story = f"s{story_no:06d}"
        copy_of = i - 1 if i % 20 == 0 else None
        topics = rng.sample(TOPICS, 2)
        entities = rng.sample(ENTITIES, 3) + ([RARE] if i % 10_000 == 0 else [])
        evidence = [
            {
                "topic": t,
                "score": 5.0,
                "matches": [
                    {"term": words[8 + k], "count": 1, "positions": [8 + k]} for k in (3, 20, 41)
                ],
                "snippet": "",
            }
            for t in topics
        ]
        removed = [
            {"line": 1, "text": "Subscribe", "label": "boilerplate", "why": "call to action"}
        ]
        articles.append(
            (i, f"/inbox/{i}.txt", "x", "text", "utf-8", title, at[:10], f"source{i % 40}",
             "ar" if arabic else "en", text, f"h{i}", copy_of, 1.0 if copy_of else None, story,
             json.dumps(topics), json.dumps(entities, ensure_ascii=False),
             json.dumps(evidence, ensure_ascii=False), "[]", json.dumps(removed), at, at,
             normalize(title), normalize(text))
        )  # fmt: skip
        search.append((i, index_text(title), index_text(text)))
        if (i - 1) % 5 == 0:
            stories.append([story, title, at, at, at[:10], at[:10], 1])
            story_of_original[i] = story
        else:
            stories[-1][3] = at
            stories[-1][6] += 1
    conn.executemany(
        "INSERT INTO articles (id, origin, raw_sha256, kind, encoding, title, published, "
        "source, language, text, body_hash, duplicate_of, similarity, story, topics, "
        "entities, evidence, entity_mentions, removed, seen_at, ingested_at, title_norm, "
        f"text_norm) VALUES ({','.join('?' * 23)})",
        articles,
    )
    conn.executemany("INSERT INTO articles_search (rowid, title, body) VALUES (?, ?, ?)", search)
    conn.executemany(
        "INSERT INTO stories (id, label, first_seen, last_seen, date_lo, date_hi, articles) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        stories,
    )
    alerts, deliveries = [], []
    for k, i in enumerate(range(1, n + 1, max(1, n // 5000)), start=1):
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000+00:00", time.gmtime(day0 + i * 30))
        alerts.append((k, "bench", i, "article", f"k{k}", at, json.dumps({"topics": TOPICS[:2]})))
        deliveries.append((k, "log", "sent", 1, 0.0, None, at))
        failed = k % 50 == 0
        deliveries.append(
            (k, "ops", "pending" if failed else "sent", 2 if failed else 1,
             time.time() + 600 if failed else 0.0, "ConnectError" if failed else None,
             None if failed else at)
        )  # fmt: skip
    conn.executemany(
        "INSERT INTO alerts (id, rule, article_id, kind, key, at, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        alerts,
    )
    conn.executemany(
        "INSERT INTO deliveries (alert_id, channel, status, attempts, next_attempt, "
        "last_error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        deliveries,
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    Store(path).close()  # later migrations (indexes) on the filled store, as an upgrade would


def pages(n: int) -> list[tuple[str, str]]:
    q = urllib.parse.quote
    middle = f"s{(n // 2 - 1) // 5:06d}"
    return [
        ("home", "/"),
        ("home, older page", f"/?before={q('2023-12-01T00:00:00')}"),
        ("home, topic", "/?topic=sanctions"),
        ("home, entity", "/?entity=" + q("Kim Jong Un")),
        ("home, rare entity", "/?entity=" + q(RARE)),
        ("home, language en", "/?lang=en"),
        ("home, source", "/?source=source7"),
        ("home, date range", "/?since=2023-11-20&until=2023-11-21"),
        ("search, Arabic", "/?q=" + q("بالعقوبات")),
        ("search, English", "/?q=sanctions"),
        ("story", f"/story/{middle}"),
        ("article", f"/article/{n // 2}"),
        ("entity", "/entity?name=" + q("Vladimir Putin")),
        ("entity, rare", "/entity?name=" + q(RARE)),
        ("alerts", "/alerts"),
        ("alerts.json", "/alerts.json?after=0"),
    ]


async def measure(path: Path, n: int, runs: int) -> list[tuple[str, float, float, int]]:
    app = build(path)
    out = []
    for name, url in pages(n):
        response = await app.client.get(url)  # warm: connection, templates, page cache
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = await app.client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        out.append((name, statistics.median(times), max(times), len(response.text)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = args.store or Path(tempfile.gettempdir()) / f"bench_ui_{args.articles}.db"
    if args.rebuild or not path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        fill(path, args.articles)
        print(f"filled {path} with {args.articles} articles in {time.perf_counter() - start:.0f} s")
    results = asyncio.run(measure(path, args.articles, args.runs))
    print(f"\n{'page':22} {'median ms':>10} {'max ms':>8} {'bytes':>8}  (target < 200 ms)")
    for name, median, worst, size in results:
        flag = "" if worst < 200 else "  OVER"
        print(f"{name:22} {median:10.1f} {worst:8.1f} {size:8d}{flag}")


if __name__ == "__main__":
    main()
