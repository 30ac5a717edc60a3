"""Near-duplicate lookup, story assignment, start-up and memory at scale, with a baseline.

    .venv/bin/python bench/bench_dedup.py [--count 100000] [--queries 1000] [--keep DIR]
    .venv/bin/python bench/bench_dedup.py --count 5000 --keep DIR --joins 30 --runs 3

1. Fill a real store with `count` stored articles. Filler articles get uniformly random
   LSH band keys, which is what the bands of distinct documents are (the band key is a
   64-bit hash of the band's MinHash values); they also get stories (one per 3 articles)
   with Zipf-distributed term profiles and keys, and document frequencies. Then 2,000
   synthetic documents go through the real dedup and story steps and the real writer.
2. In a fresh process (what a restart is): open the store (start-up), then run
   `queries` near-duplicate variants (a third cut to 60%, a third with a few words
   changed, a third new documents) through the dedup step and the story step, timing
   each; the baseline is the exact-hash lookup on the same store in the same run.
   Peak resident memory (VmHWM) of that process is reported.
3. `--joins K`: the story review and merge lines alone (stories of K reports, built one join
   at a time on the kept store), in this process. The timed joins run inside
   functools.reduce, so `valgrind --tool=callgrind --collect-atstart=no
   --toggle-collect=functools_reduce` counts their instructions alone (PYTHONHASHSEED=0:
   the same count run after run).

Targets (issue 5): at one million articles, lookup p99 <= 10 ms, start-up <= 2 s,
RSS <= 500 MB, story assignment <= 20 ms per article.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from monitor import pipeline
from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.dedup import BANDS, NearDuplicates
from monitor.models import Article, EntityTag, Item, StoryLink
from monitor.store.db import Store
from monitor.stories import Stories
from monitor.story_merge import StoryMerge
from monitor.story_review import StoryReview

VOCAB = 40_000
DOC_WORDS = 350
REAL_DOCS = 2_000
NAMES = [f"Person {i}" for i in range(3_000)]


def vocabulary() -> list[str]:
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(VOCAB)]


def zipf_words(rng: np.random.Generator, vocab: list[str], n: int) -> list[str]:
    ranks = np.minimum(rng.zipf(1.2, n), VOCAB) - 1
    return [vocab[r] for r in ranks]


def article(text: str, title: str, i: int, rng: random.Random) -> Article:
    item = Item(
        origin=f"/bench/{i}.txt",
        raw=text.encode(),
        kind="text",
        seen_at=datetime.now(UTC),
    )
    people = rng.sample(NAMES, 3)
    entities = tuple(EntityTag(name=p, kind="person", mentions=(p,), count=2) for p in people)
    return Article(item=item, text=text, body=text, title=title, entities=entities)


def fill(path: Path, count: int) -> None:
    store = Store(path)
    db = store.db
    vocab = vocabulary()
    nprng = np.random.default_rng(1)
    started = time.perf_counter()
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    day = now[:10]
    with db.atomic():
        db.execute("INSERT INTO raw (sha256, size, content) VALUES ('filler', 0, NULL)")
    # Stories and filler article rows, in chunks (one transaction each).
    stories = max(1, count // 3)
    chunk = 50_000
    for start in range(0, count, chunk):
        ids = range(start + 1, min(count, start + chunk) + 1)
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO articles (id, origin, raw_sha256, kind, text, body_hash, story, "
                "seen_at, ingested_at) VALUES (?, ?, 'filler', 'text', 'filler', ?, ?, ?, ?)",
                [(i, f"/f/{i}", f"h{i}", f"s{i % stories}", now, now) for i in ids],
            )
            keys = nprng.integers(-(2**63), 2**63 - 1, size=(len(ids), BANDS), dtype=np.int64)
            rows = sorted(
                (int(k), i) for i, row in zip(ids, keys.tolist(), strict=True) for k in row
            )
            db.conn.executemany("INSERT INTO lsh_bands (key, article_id) VALUES (?, ?)", rows)
    for start in range(0, stories, chunk):
        sids = range(start, min(stories, start + chunk))
        with db.atomic():
            profiles, keyrows = [], []
            for s in sids:
                words = zipf_words(nprng, vocab, 60)
                profile = {w: round(float(nprng.random()), 4) for w in words}
                profiles.append((f"s{s}", f"story {s}", now, now, day, json.dumps(profile)))
                keyrows += [(w, f"s{s}", day) for w in list(profile)[:30]]
            db.conn.executemany(
                "INSERT INTO stories (id, label, first_seen, last_seen, undated_seen, terms, "
                "articles) VALUES (?, ?, ?, ?, ?, ?, 3)",
                profiles,
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO story_keys (key, story, last) VALUES (?, ?, ?)", keyrows
            )
    with db.atomic():
        df = np.bincount(np.minimum(nprng.zipf(1.2, count * 50), VOCAB) - 1, minlength=VOCAB)
        db.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE "
            "SET df = max(df, excluded.df)",
            [("", count), *((w, int(min(n, count))) for w, n in zip(vocab, df, strict=True))],
        )
    filled = time.perf_counter() - started
    # Real documents through the real steps and writer, so the measured lookups find them.
    steps = _steps(store)
    rng = random.Random(3)
    started = time.perf_counter()
    for i in range(REAL_DOCS):
        text = " ".join(zipf_words(nprng, vocab, DOC_WORDS))
        a = article(text, f"title {i}", i, rng)
        for step in steps:
            a = step(a)
        with db.atomic():
            store.save_article(a)
    real = time.perf_counter() - started
    store.close()
    size = path.stat().st_size / 1e6
    print(
        f"filled {count:,} articles in {filled:.0f} s, then {REAL_DOCS} real documents "
        f"through the steps and writer at {REAL_DOCS / real:.0f}/s; store {size:,.0f} MB"
    )


def _stories() -> Stories:
    return stories_from(StoriesConfig())  # the defaults a user runs with


def _steps(store: Store) -> list[pipeline.Step]:
    near = NearDuplicates(0.8, 0.9)
    story = pipeline.story_step(_stories(), store)
    return [
        pipeline.dedup_step(store.find_by_body_hash, near, store.near_candidates),
        lambda a: story([a])(a),  # each article a batch of its own, as in a stream
    ]


def review_costs(store: Store, sizes: tuple[int, ...] = (5, 30, 50), runs: int = 20) -> dict:
    """What the story review and merge cost the writer when an article joins a story of k
    members (monitor/story_review.py: it groups the latest `review_members`, 20 by default,
    again; monitor/story_merge.py: the same members matched against the other stories the
    article was scored against), in ms, the mean (a large story is reviewed on some joins
    only, story_review.due) and worst over the last ten joins of `runs` stories; as in a
    stream, each member before went through the same (the review keeps the members it
    weighed in memory). The members
    are real-sized documents (variants of one text, 30% of words changed, three names
    each), stored in one story in the real store; each run is rolled back, so the store
    stays as filled."""
    stories = _stories()
    review = StoryReview(stories)
    merge = StoryMerge(review)
    vocab = vocabulary()
    nprng = np.random.default_rng(13)
    rng = random.Random(17)
    conn = store.db.conn
    out = {}
    for k in sizes:
        times = []
        for run in range(runs):
            base = zipf_words(nprng, vocab, DOC_WORDS)
            conn.execute("SAVEPOINT bench_review")
            try:
                for j in range(k):
                    words = list(base)
                    for w in rng.sample(range(len(words)), len(words) * 3 // 10):
                        words[w] = vocab[rng.randrange(VOCAB)]
                    a = article(" ".join(words), f"r {k} {run} {j}", 20_000_000 + j, rng)
                    a = replace(a, body_hash=f"r{k}-{run}-{j}")
                    f = stories.plan([a], store).features[id(a.item)]  # the story step's
                    # the other stories its assignment scored (part of the assignment's cost)
                    _, near = stories._scored([f], store, exclude=f"bench-review-{k}")
                    link = StoryLink(
                        story=f"bench-review-{k}",
                        new=j == 0,
                        score=1.0,
                        label="r",
                        date=f.date,
                        seen=f.seen,
                        terms=tuple(f.cut.items()),
                        keys=f.keys,
                        vocabulary=f.vocabulary,
                    )
                    a = replace(a, story_link=link)
                    article_id = store.save_article(a)

                    def join(*_: object, at: tuple = (article_id, a, link, near, j)) -> None:
                        article_id, a, link, near, j = at
                        review.remember(store, article_id, a)  # as the writer does:
                        if not review.review(store, link.story) and j:  # no split: a merge?
                            merge.merge(store, link.story, near)

                    t0 = time.process_time()  # CPU: the machine is shared, wall time is noise
                    if j >= k - 10:  # the last ten joins, timed; the ones before warm it,
                        # as a stream does. Called inside functools.reduce, so callgrind
                        # can count them alone (--toggle-collect=functools_reduce, --joins).
                        functools.reduce(join, [None], None)
                        times.append((time.process_time() - t0) * 1000)
                    else:
                        join()
            finally:
                conn.execute("ROLLBACK TO bench_review")
                conn.execute("RELEASE bench_review")
        out[k] = (statistics.mean(times), max(times))
    return out


def measure(path: Path, queries: int) -> dict[str, float]:
    """In a fresh process: start-up, then timed lookups; returns the numbers."""
    started = time.perf_counter()
    store = Store(path)
    store.find_by_body_hash("warm-up")
    startup = time.perf_counter() - started
    texts = [
        r[0]
        for r in store.db.execute(
            "SELECT text FROM articles WHERE origin LIKE '/bench/%' ORDER BY random() LIMIT ?",
            [queries],
        )
    ]
    vocab = vocabulary()
    nprng = np.random.default_rng(11)
    rng = random.Random(5)
    dedup, story = _steps(store)
    exact, near_ms, story_ms, found = [], [], [], 0
    cpu = 0.0  # the copy check's and assignment's CPU time, for the review's comparison
    for i, text in enumerate(texts):
        words = text.split()
        if i % 3 == 0:
            words = words[: int(len(words) * 0.6)]
        elif i % 3 == 1:
            for j in rng.sample(range(len(words)), 5):
                words[j] = vocab[rng.randrange(VOCAB)]
        else:
            words = zipf_words(nprng, vocab, DOC_WORDS)
        a = article(" ".join(words), f"q {i}", 10_000_000 + i, rng)
        t0 = time.perf_counter()
        store.find_by_body_hash(f"absent-{i}")
        t1 = time.perf_counter()
        c1 = time.process_time()
        a = dedup(replace(a))
        t2 = time.perf_counter()
        story(a)
        t3 = time.perf_counter()
        cpu += time.process_time() - c1
        exact.append((t1 - t0) * 1000)
        near_ms.append((t2 - t1) * 1000)
        story_ms.append((t3 - t2) * 1000)
        found += (a.duplicate_of is not None) == (i % 3 != 2)
    rss = _hwm_mb()
    return {
        "startup_s": startup,
        "exact_p50_ms": statistics.median(exact),
        "exact_p99_ms": _p99(exact),
        "near_p50_ms": statistics.median(near_ms),
        "near_p99_ms": _p99(near_ms),
        "story_p50_ms": statistics.median(story_ms),
        "story_p99_ms": _p99(story_ms),
        "review_ms": review_costs(store),
        "step_cpu_ms": cpu * 1000 / len(texts),
        "correct": found / len(texts),
        "rss_mb": rss,
    }


def _hwm_mb() -> float:
    """Peak RSS of this process. Not ru_maxrss: Linux carries the parent's peak (the fill)
    across fork and exec into it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="stored articles")
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--keep", type=Path, help="folder for the store (kept; reused if filled)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--joins",
        type=int,
        help="the story review and merge lines alone, for stories of this many reports, in "
        "this process (for callgrind: --collect-atstart=no --toggle-collect=functools_reduce "
        "counts the last ten joins of each story)",
    )
    parser.add_argument("--runs", type=int, default=20, help="stories built with --joins")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="monitor-bench-dedup-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"dedup-{args.count}.db"
    if not path.exists():
        fill(path, args.count)
    if args.joins:
        store = Store(path)
        ((mean, worst),) = review_costs(store, (args.joins,), args.runs).values()
        store.close()
        print(
            f"story review + merge, joins {max(1, args.joins - 9)}-{args.joins}, "
            f"{args.runs} stories: mean/max CPU {mean:.2f} / {worst:.2f} ms"
        )
        return
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(path), "--queries", str(args.queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    m = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{args.count:,} stored articles, {args.queries} queries, fresh process:")
    print(f"  start-up (open store, migrations checked) : {m['startup_s'] * 1000:8.1f} ms")
    print(
        f"  exact-hash lookup (baseline)  p50/p99    : {m['exact_p50_ms']:8.3f} / "
        f"{m['exact_p99_ms']:.3f} ms"
    )
    print(
        f"  near-duplicate step (shingles, MinHash, bands, verify) p50/p99: "
        f"{m['near_p50_ms']:.2f} / {m['near_p99_ms']:.2f} ms"
    )
    print(
        f"  story assignment p50/p99                 : {m['story_p50_ms']:8.2f} / "
        f"{m['story_p99_ms']:.2f} ms"
    )
    step = m["step_cpu_ms"]
    print(f"  copy check and assignment, mean CPU       : {step:8.2f} ms")
    for size, (mean, worst) in m["review_ms"].items():
        k = int(size)
        print(
            f"  story review + merge, joins {max(1, k - 9)}-{k}, mean/max CPU: "
            f"{mean:6.2f} / {worst:.2f} ms ({(step + mean) / step:.2f}x the two alone)"
        )
    print(f"  verdicts right (copy found / new kept new): {m['correct']:.1%}")
    print(f"  peak RSS of that process                  : {m['rss_mb']:8.1f} MB")


if __name__ == "__main__":
    main()
