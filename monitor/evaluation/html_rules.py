"""Which of the cleaner's hand rules pay after trafilatura, measured on real pages.

    .venv/bin/python -m monitor.evaluation.html_rules ../shared/corpora/aeb

trafilatura's text of the 181 aeb pages goes through the hand rules (no model); then each
rule (a removal reason, line numbers folded away) is applied alone, and its effect on the
corpus's metric is printed beside the text kept whole. A rule belongs in
monitor/extract/html.py's AFTER_TRAFILATURA when it gains more precision than it costs
recall (F1 up); the last lines score the rules in that list and all rules together.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

from monitor.evaluation.aeb import score
from monitor.evaluation.loaders import read_json


def _kind(label: str, why: str) -> str:
    if label == "title":
        return "title"
    return f"{label}: " + re.sub(r"'[^']*'", "'X'", re.sub(r"\d+", "N", why))[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the aeb folder (ground-truth.json, html/)")
    args = parser.parse_args()
    import trafilatura

    from monitor.extract.clean import Cleaner
    from monitor.extract.html import _OPTIONS, AFTER_TRAFILATURA, page_metadata
    from monitor.extract.vocabulary import load_vocabulary

    gold = read_json(args.corpus / "ground-truth.json")
    truth = {key: row["articleBody"] for key, row in gold.items()}
    rules = Cleaner(load_vocabulary(), model=None)
    pages = {}
    for key in sorted(gold):
        raw = gzip.decompress((args.corpus / "html" / f"{key}.html.gz").read_bytes())
        tree = trafilatura.load_html(raw)
        url = gold[key].get("url")
        doc = trafilatura.bare_extraction(tree, url=url, **_OPTIONS)
        text = (doc.text if doc else "") or ""
        pages[key] = rules.label_lines(text, page_metadata(tree, url).title)

    def run(removed: object) -> tuple[float, float, float]:
        bodies = {
            key: "\n".join(
                x.text or x.raw
                for x in page.lines
                if not (x.label and removed(x))  # type: ignore[operator]
            )
            if page
            else ""
            for key, page in pages.items()
        }
        return score(bodies, truth)

    base = run(lambda x: False)
    kinds = Counter(_kind(x.label, x.why) for p in pages.values() if p for x in p.lines if x.label)
    print(f"trafilatura's text kept whole: P {base[0]:.4f} R {base[1]:.4f} F1 {base[2]:.4f}")
    print("| rule alone | lines | dP | dR | dF1 |\n| --- | ---: | ---: | ---: | ---: |")
    rows = []
    for kind, n in kinds.items():
        p, r, f = run(lambda x, kind=kind: _kind(x.label, x.why) == kind)
        rows.append((f - base[2], p - base[0], r - base[1], n, kind))
    for df, dp, dr, n, kind in sorted(rows, reverse=True):
        print(f"| {kind} | {n} | {dp:+.4f} | {dr:+.4f} | {df:+.4f} |")
    chosen = run(lambda x: x.label == "title" or any(r in x.why for r in AFTER_TRAFILATURA))
    every = run(lambda x: True)
    print(f"\nAFTER_TRAFILATURA: P {chosen[0]:.4f} R {chosen[1]:.4f} F1 {chosen[2]:.4f}")
    print(f"every rule:        P {every[0]:.4f} R {every[1]:.4f} F1 {every[2]:.4f}")


if __name__ == "__main__":
    main()
