"""Tagging speed: topics (rules, learned decision and beat gate, as the daemon runs them)
plus entities with the default taxonomy and gazetteer, one core.

    .venv/bin/python bench/bench_tagging.py [--seconds S]
    valgrind --tool=callgrind .venv/bin/python bench/bench_tagging.py --passes 10  (and 0)

With --passes, the seeds are tagged once to warm up, then N times, and nothing is timed:
under callgrind, (instructions at 10 - instructions at 0) / 50 is a document's count,
which the load of a shared machine does not move as it moves docs/s.

Input: the seed articles' cleaned title and body (what the tag step sees), so a document
is seed-sized. Reported: documents per second for tokenising (Document) alone, the
baseline any tagger pays, then for Document + topics + entities; and the one-off cost
of compiling the taxonomy and gazetteer (paid at start-up and on SIGHUP).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.extract.clean import clean_text  # noqa: E402
from monitor.tagging.entities import EntityTagger, load_gazetteer  # noqa: E402
from monitor.tagging.shipped import shipped_topics  # noqa: E402
from monitor.tagging.taxonomy import load_taxonomy  # noqa: E402
from monitor.tagging.terms import Document  # noqa: E402


def rate(work: list[str], fn, seconds: float) -> float:  # type: ignore[no-untyped-def]
    """Documents per second of this process's CPU time: on a shared two-core machine,
    wall time also counts what the other processes did."""
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for text in work:
            fn(text)
        done += len(work)
    return done / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--passes", type=int, help="tag the seeds N times, untimed (valgrind)")
    args = parser.parse_args()

    start = time.perf_counter()
    topics = shipped_topics(load_taxonomy())
    entities = EntityTagger(load_gazetteer())
    compile_s = time.perf_counter() - start

    texts = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        texts.append(f"{cleaned.title or ''}\n{cleaned.body}")
    words = sum(len(Document(t).tokens) for t in texts) / len(texts)

    def tag(text: str) -> None:
        doc = Document(text)
        topics.tag(doc)
        entities.unlinked(doc, entities.tag(doc))

    if args.passes is not None:
        for _ in range(args.passes + 1):  # the first pass warms up (vocabularies, caches)
            for text in texts:
                tag(text)
        return
    base = rate(texts, Document, args.seconds)
    full = rate(texts, tag, args.seconds)
    print(f"documents: {len(texts)} seeds, {words:.0f} words on average (cleaned title + body)")
    print(f"compile taxonomy + gazetteer: {compile_s * 1000:.0f} ms")
    print(f"Document alone (tokenise, baseline): {base:,.0f} docs/s")
    print(f"Document + topics + entities:        {full:,.0f} docs/s (target >= 1,000)")


if __name__ == "__main__":
    main()
