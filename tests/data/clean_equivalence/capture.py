"""Capture what the plain-text cleaner gives, line by line, as the pinned expectation.

    .venv/bin/python tests/data/clean_equivalence/capture.py

Run once on the implementation before the fast path (commit 399054c) and kept, so that
tests/extract/test_clean_equivalence.py fails if a speed-up changes any label, reason,
probability or metadata. Re-run only when a change of output is intended (and say so).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

from monitor.evaluation.aeb_pages import VENDORED, load_pages
from monitor.extract.clean import MODEL_MIN_LINES, clean_text, default_cleaner
from monitor.extract.line_model import line_features

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
OUT = HERE / "expected.json.gz"


def documents() -> list[tuple[str, str]]:
    """(name, text): the vendored held-out aeb fold, the seeds, the written clean set."""
    docs = [(f"aeb/{p.key}", p.text) for p in load_pages(VENDORED)]
    docs += [
        (f"seeds/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted((REPO / "seeds").glob("*.txt"))
    ]
    clean = REPO / "tests" / "data" / "clean"
    docs += [
        (f"clean/{p.name}", p.read_text(encoding="utf-8")) for p in sorted(clean.glob("*.txt"))
    ]
    return docs


def outcome(text: str) -> dict[str, object]:
    """Everything clean_text() decides for one text, and the model's P(body) per line."""
    cleaner = default_cleaner()
    cleaned = clean_text(text)
    page = cleaner.label_lines(text)
    probabilities = None
    if page is not None and page.shaped and len(page.lines) >= MODEL_MIN_LINES:
        model = cleaner._model  # the capture reads the model itself
        assert model is not None
        probabilities = model.probabilities(line_features(page.lines, page.stop))[0].tolist()
    return {
        "title": cleaned.title,
        "published": cleaned.published,
        "source": cleaned.source,
        "dateline": cleaned.dateline,
        "body_sha256": hashlib.sha256(cleaned.body.encode()).hexdigest(),
        "removed": [[r.line, r.label, r.why] for r in cleaned.removed],
        "p": probabilities,
    }


def main() -> None:
    """With a corpus folder and an output file as arguments (a check while developing,
    not kept): every aeb dump of that folder instead."""
    docs, out = documents(), OUT
    if len(sys.argv) == 3:
        docs = [(f"aeb/{p.key}", p.text) for p in load_pages(Path(sys.argv[1]))]
        out = Path(sys.argv[2])
    expected = {name: outcome(text) for name, text in docs}
    with gzip.open(out, "wt", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, sort_keys=True)
    print(f"{out}: {len(expected)} documents")


if __name__ == "__main__":
    main()
