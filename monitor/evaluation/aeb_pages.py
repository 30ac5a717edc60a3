"""The aeb corpus's pages as the cleaner's training and evaluation read them, and its folds.

Two layouts hold the same pages: the corpus folder (../shared/corpora/aeb: text/<key>.txt,
html/<key>.html.gz, ground-truth.json), and the held-out fold vendored for the test suite
(tests/data/aeb/heldout.jsonl.gz: one JSON object a line with key, url, text, body), since
a clean clone has no copy of the corpus.

Folds are fixed once, by the page's key (a SHA-256 of its URL in the corpus): fold =
int(key[:8], 16) % 5. A page's fold never changes when pages are added, and no site is
named anywhere. The shipped model (monitor/extract/data/line_model.json) is trained on
folds 0-3; fold 4 is the held-out fold the test suite scores it on.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from monitor.evaluation.loaders import DATA, LabelsError, read_json
from monitor.text.decode import decode
from monitor.text.mojibake import repair

FOLDS = 5
HELDOUT_FOLD = 4  # never trained on by the shipped model
VENDORED = DATA / "aeb" / "heldout.jsonl.gz"


@dataclass(frozen=True)
class Page:
    key: str
    url: str | None
    text: str  # the naive text dump, decoded
    body: str  # the hand-made article body (the ground truth)

    @property
    def fold(self) -> int:
        return fold_of(self.key)


def fold_of(key: str) -> int:
    try:
        return int(key[:8], 16) % FOLDS
    except ValueError as exc:
        raise LabelsError(
            f"aeb page key {key!r} is not hexadecimal: cannot place it in a fold"
        ) from exc


def load_pages(where: Path) -> list[Page]:
    """Every page of the corpus folder or of a vendored .jsonl.gz, sorted by key."""
    if where.is_file():
        with gzip.open(where, "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        return sorted(
            # the dumps as the corpus holds them: repaired as decode() repairs a file
            (Page(r["key"], r.get("url"), repair(r["text"]), r["body"]) for r in rows),
            key=lambda p: p.key,
        )
    gold = read_json(where / "ground-truth.json")
    pages = []
    for key in sorted(gold):
        path = where / "text" / f"{key}.txt"
        try:
            text = decode(path.read_bytes())[0]
        except OSError as exc:
            raise LabelsError(f"{path}: cannot read the text dump ({exc})") from exc
        pages.append(Page(key, gold[key].get("url"), text, gold[key]["articleBody"]))
    return pages
