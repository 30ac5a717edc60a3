"""Drop-to-alert latency when every drop joins a story, so the story review runs on each.

    .venv/bin/python bench/bench_review.py [--drops 100] [--off]

bench_ingest.latency drops articles that share no event (each starts a story of its own, or
joins one of two or three), so the story review (monitor/story_review.py, which runs for
stories of four or more reports) never runs there. Here each drop is one of the seeds with
a fifth of its words swapped for other words of the seeds: no copy (its shingles differ),
but a report of the seed's event, so the drops grow the seeds' stories and every one after
the first few is reviewed. The same real daemon and timing as bench_ingest.latency (from
the rename into the inbox to the alert line); `--off` runs it with `[stories] review =
false` for the comparison.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import bench_ingest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=100)
    parser.add_argument("--off", action="store_true", help="[stories] review = false")
    args = parser.parse_args()
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    vocabulary = sorted({w for t in texts for w in t.split()})

    def related(index: int, rng: random.Random) -> str:
        words = texts[index % len(texts)].split()
        for k in rng.sample(range(len(words)), len(words) // 5):
            words[k] = rng.choice(vocabulary)
        return f"تقرير رقم {index}\n" + " ".join(words)

    workspace = bench_ingest.workspace

    def configured(extra: str = "") -> Path:
        if args.off:
            extra = extra.replace("[stories]\n", "[stories]\nreview = false\n")
        return workspace(extra)

    # bench_ingest.latency's own drops and workspace, replaced for this run only.
    bench_ingest.synthetic_article = related
    bench_ingest.workspace = configured
    bench_ingest.latency(args.drops)


if __name__ == "__main__":
    main()
