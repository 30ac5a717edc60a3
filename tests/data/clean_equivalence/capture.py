"""Capture what the plain-text cleaner gives, line by line, as the pinned expectation.

    .venv/bin/python tests/data/clean_equivalence/capture.py

First run on the implementation before the fast path (commit 399054c) and kept, so that
tests/extract/test_clean_equivalence.py fails if a speed-up changes any label, reason,
probability or metadata. Re-run only when a change of output is intended (and say so).
Re-run for issue 16's second speed round, which changed the line model's features (its
function words read in a line's folded head, no "repeats another line" column) and
retrained it: the expectation is now that version's output (docs/benchmarks.md).
Re-run for issue 16's third round, where the line model decides a page (20 lines or more,
not hard-wrapped) and only the structural hand rules run on it, retrained (docs/cleaning.md).
Re-run for issue 16's fifth round: on such a page the repeats rule keeps only repeats of the
headline and the "short line after the end" rule no longer runs, retrained (docs/cleaning.md);
and again when the model stopped reading the hand rules' labels and the page rules moved
after it, onto the lines it keeps (retrained; docs/cleaning.md); and when the model ran
before the structural rules, which then try no call to action or caption on the lines it
removes (those lines carry the model's reason now).
Re-run for issue 16's seventh round: the model's function-word share replaced by the share
of short lowercase words, counted over the page's code points, and retrained.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

from monitor.evaluation.aeb_pages import VENDORED, load_pages
from monitor.extract.clean import MODEL_MIN_LINES, clean_text, default_cleaner
from monitor.extract.line_model import line_features

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
OUT = HERE / "expected.json.gz"


# Lines no page here has, mixed into texts of the written set's lines (odd_documents):
# lone surrogates, characters above the BMP, a 5,000-character line, other scripts'
# digits, Unicode line breaks and furniture of every kind the rules know.
ODD_LINES = (
    "\ud800 a lone surrogate",
    "😀 an emoji and 2024 ٢٠٢٤",
    "x" * 5000,
    "a. b. c.",
    "  spaced   out  ",
    "\t tab\tline",
    "© 2024 All rights reserved",
    "Home | News | Sport",
    "(AFP)",
    "Read also: another story about the talks",
    "Tags: talks, ministry, capital",
    "1\u00a02\u00a03",
    "\x0b\x0c",
    "١٢٣٤",
    "²⁰²⁴ year",
    "Ёлка Москва",
    "ǘ accented é",
    "Photo: Reuters/John Smith",
    "3 hours ago",
    "By John Smith",
    "www.example.com @handle",
    "\u2028separated\u2029",
)


def odd_documents(count: int = 40) -> list[tuple[str, str]]:
    """Texts of 0 to 80 lines drawn (seeded) from the written set and ODD_LINES."""
    clean = REPO / "tests" / "data" / "clean"
    pool = [line for p in sorted(clean.glob("*.txt")) for line in p.read_text("utf-8").split("\n")]
    rng = random.Random(16)
    out = []
    for i in range(count):
        lines = [
            rng.choice(pool) if rng.random() < 0.7 else rng.choice(ODD_LINES)
            for _ in range(rng.randint(0, 80))
        ]
        out.append((f"odd/{i:02d}", rng.choice(["\n", "\n\n", "\r\n"]).join(lines)))
    return out


def documents() -> list[tuple[str, str]]:
    """(name, text): the vendored held-out aeb fold, the seeds, the written clean set,
    and texts with odd lines (odd_documents)."""
    docs = [(f"aeb/{p.key}", p.text) for p in load_pages(VENDORED)]
    docs += [
        (f"seeds/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted((REPO / "seeds").glob("*.txt"))
    ]
    clean = REPO / "tests" / "data" / "clean"
    docs += [
        (f"clean/{p.name}", p.read_text(encoding="utf-8")) for p in sorted(clean.glob("*.txt"))
    ]
    return docs + odd_documents()


def outcome(text: str) -> dict[str, object]:
    """Everything clean_text() decides for one text, and the model's P(body) per line."""
    cleaner = default_cleaner()
    cleaned = clean_text(text)
    page = cleaner.label_lines(text)
    probabilities = None
    if page is not None and page.shaped and len(page.lines) >= MODEL_MIN_LINES:
        model = cleaner._model  # the capture reads the model itself
        assert model is not None
        x1 = line_features(page.lines, page.arrays)  # as clean() computes them
        probabilities = model.probabilities(x1)[0].tolist()
    return {
        "title": cleaned.title,
        "published": cleaned.published,
        "source": cleaned.source,
        "dateline": cleaned.dateline,
        "body_sha256": hashlib.sha256(cleaned.body.encode("utf-8", "surrogatepass")).hexdigest(),
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
        json.dump(expected, f, sort_keys=True)  # ASCII: lone surrogates survive
    print(f"{out}: {len(expected)} documents")


if __name__ == "__main__":
    main()
