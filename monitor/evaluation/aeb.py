"""The cleaner on real pages nobody here wrote: the article-extraction-benchmark corpus.

Our own labelled set (tests/data/clean) scores 0.996 and says little: its text was written
for a test. This scores the body that `monitor` keeps from 181 real pages against their
hand-made bodies, with the corpus's published metric (4-token shingles with counts,
precision and recall averaged over pages; the corpus README), for both paths: the naive
text dumps through the plain-text cleaner, and the saved HTML through trafilatura and the
cleaner's rules that pay there. The text cleaner's model was learned from these pages, so
it is scored by 5-fold cross-validation (train_cleaner.py: every page scored by a model
that never saw it), and the shipped model on the fold it was not trained on. Baselines in
the same run: the text dump kept whole, jusText on the dump, and trafilatura alone on the
HTML (text only, and with metadata).

    .venv/bin/python -m monitor.evaluation.aeb ../shared/corpora/aeb

The corpus is not in this repository (CI has no copy): the command takes its folder.
"""

from __future__ import annotations

import argparse
import gzip
import html
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


def justext_on_dump(text: str) -> str:
    """jusText as the corpus README ran it: each line of the dump a paragraph, the
    English stoplist (jusText wants HTML, so the lines become escaped <p> elements)."""
    import justext

    page = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    if not page:
        return ""
    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", type=Path, help="the aeb folder (ground-truth.json, html/, text/)"
    )
    args = parser.parse_args()
    from trafilatura import bare_extraction, extract

    from monitor.evaluation.aeb_pages import HELDOUT_FOLD, fold_of, load_pages
    from monitor.evaluation.train_cleaner import cross_validate, prepare
    from monitor.extract.clean import clean_text
    from monitor.extract.html import DATE_PARAMS, extract_html

    pages = load_pages(args.corpus)
    gold = read_json(args.corpus / "ground-truth.json")
    truth = {p.key: p.body for p in pages}
    dumps = {p.key: p.text for p in pages}
    keys = sorted(truth)
    heldout = [k for k in keys if fold_of(k) == HELDOUT_FOLD]

    def page(key: str) -> bytes:
        return gzip.decompress((args.corpus / "html" / f"{key}.html.gz").read_bytes())

    def with_metadata(key: str) -> str:
        doc = bare_extraction(
            page(key), url=gold[key].get("url"), with_metadata=True,
            include_comments=False, deduplicate=False, date_extraction_params=DATE_PARAMS,
        )  # fmt: skip
        return (doc.text if doc else "") or ""

    print(f"{len(keys)} pages; body shingles, the corpus's metric")
    print("\nText dumps, the learned cleaner by 5-fold cross-validation (aeb_pages.py):\n")
    cross_validate(prepare(pages))
    rows = [
        ("text dump kept whole (baseline)", keys, _run(keys, dumps.__getitem__)),
        ("jusText on the dump (baseline)", keys, _run(keys, lambda k: justext_on_dump(dumps[k]))),
        (
            f"monitor text cleaner as shipped, held-out fold {HELDOUT_FOLD} only",
            heldout,
            _run(heldout, lambda k: clean_text(dumps[k]).body),
        ),
        (
            "trafilatura extract, text only (baseline)",
            keys,
            _run(keys, lambda k: extract(page(k)) or ""),
        ),
        ("trafilatura bare_extraction with metadata (baseline)", keys, _run(keys, with_metadata)),
        (
            "monitor: HTML -> trafilatura + the rules that pay",
            keys,
            _run(keys, lambda k: extract_html(page(k), url=gold[k].get("url")).body),
        ),
    ]
    print("\n| what | pages | P | R | F1 |\n| --- | ---: | ---: | ---: | ---: |")
    for name, subset, bodies in rows:
        p, r, f = score(bodies, {k: truth[k] for k in subset})
        print(f"| {name} | {len(subset)} | {p:.3f} | {r:.3f} | {f:.3f} |")


if __name__ == "__main__":
    main()
