"""The cleaner on real pages nobody here wrote: the article-extraction-benchmark corpus.

Our own labelled set (tests/data/clean) scores 0.996 and says little: its text was written
for a test. This scores the body that `monitor` keeps from 181 real pages against their
hand-made bodies, with the corpus's published metric (4-token shingles with counts,
precision and recall averaged over pages; the corpus README), for both paths: the naive
text dumps through the plain-text cleaner, and the saved HTML through trafilatura and the
same cleaner. Baselines in the same run: the text dump kept whole, and trafilatura alone
on the HTML.

    .venv/bin/python -m monitor.evaluation.aeb ../shared/corpora/aeb

The corpus is not in this repository (CI has no copy): the command takes its folder.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from monitor.evaluation.loaders import read_json
from monitor.evaluation.metrics import f1

_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def page_score(true: str, predicted: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page, or None where the corpus's metric leaves it out."""
    t, p = shingles(true), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def score(pages: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    ps, rs = [], []
    for key, body in truth.items():
        precision, recall = page_score(body, pages.get(key, ""))
        if precision is not None:
            ps.append(precision)
        if recall is not None:
            rs.append(recall)
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, f1(p, r)


def _run(keys: list[str], read: Callable[[str], str]) -> dict[str, str]:
    out = {}
    for key in keys:
        try:
            out[key] = read(key)
        except Exception:  # a page we cannot read scores as an empty body
            out[key] = ""
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", type=Path, help="the aeb folder (ground-truth.json, html/, text/)"
    )
    args = parser.parse_args()
    from trafilatura import extract

    from monitor.extract.clean import clean_text
    from monitor.extract.html import extract_html
    from monitor.text.decode import decode

    gold = read_json(args.corpus / "ground-truth.json")
    truth = {key: row["articleBody"] for key, row in gold.items()}
    keys = sorted(truth)

    def dump(key: str) -> str:
        return decode((args.corpus / "text" / f"{key}.txt").read_bytes())[0]

    def page(key: str) -> bytes:
        return gzip.decompress((args.corpus / "html" / f"{key}.html.gz").read_bytes())

    rows = [
        ("the text dump kept whole (baseline)", _run(keys, dump)),
        (
            "monitor: text dump -> plain-text cleaner",
            _run(keys, lambda k: clean_text(dump(k)).body),
        ),
        ("trafilatura 2.3 extract (baseline)", _run(keys, lambda k: extract(page(k)) or "")),
        (
            "monitor: HTML -> trafilatura + cleaner",
            _run(keys, lambda k: extract_html(page(k), url=gold[k].get("url")).body),
        ),
    ]
    print(f"{len(keys)} pages; body shingles, the corpus's metric")
    print("| what | P | R | F1 |\n| --- | ---: | ---: | ---: |")
    for name, pages in rows:
        p, r, f = score(pages, truth)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")


if __name__ == "__main__":
    main()
