"""The fast plain-text cleaner decides exactly what the implementation before it did.

tests/data/clean_equivalence/expected.json.gz was captured (capture.py there) from the
cleaner as it stood before the speed-up (commit 399054c), again after issue 16's second
speed round, which changed the model's features and retrained it on purpose, and after
the third, which leaves the boilerplate-only hand rules to the model on the pages it
decides (retrained too): for
the vendored held-out aeb fold (28 real pages), the seeds, the written clean set and 40
texts mixing its lines with odd ones (lone surrogates, emoji, a 5,000-character line, ...),
every removed line with its label and reason, the body, the metadata, and the line model's
P(body) per line. A speed-up that keeps the model file must keep all of it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from monitor.extract.clean import MODEL_MIN_LINES, clean_text, default_cleaner
from monitor.extract.line_model import line_features

HERE = Path(__file__).resolve().parent.parent / "data" / "clean_equivalence"
sys.path.insert(0, str(HERE))
from capture import documents  # noqa: E402

with gzip.open(HERE / "expected.json.gz", "rt", encoding="utf-8") as _f:
    EXPECTED: dict[str, dict] = json.load(_f)


@cache
def _documents() -> dict[str, str]:
    # (read on first use, not at import: every pytest worker imports this module to
    # collect it, and reading the pages costs a second of CPU each)
    return dict(documents())


def test_the_pinned_set_covers_real_pages_seeds_and_the_written_set() -> None:
    assert set(_documents()) == set(EXPECTED)
    kinds = {name.split("/")[0] for name in EXPECTED}
    assert kinds == {"aeb", "seeds", "clean", "odd"}
    assert sum(1 for e in EXPECTED.values() if e["p"] is not None) >= 28  # the model ran


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_line_gets_the_same_label_reason_and_probability(name: str) -> None:
    expected = EXPECTED[name]
    text = _documents()[name]
    cleaned = clean_text(text)
    removed = [[r.line, r.label, r.why] for r in cleaned.removed]
    assert removed == expected["removed"]
    body = cleaned.body.encode("utf-8", "surrogatepass")
    assert hashlib.sha256(body).hexdigest() == expected["body_sha256"]
    got = {k: getattr(cleaned, k) for k in ("title", "published", "source", "dateline")}
    assert got == {k: expected[k] for k in got}
    cleaner = default_cleaner()
    page = cleaner.label_lines(text)
    if expected["p"] is None:
        assert page is None or not page.shaped or len(page.lines) < MODEL_MIN_LINES
        return
    assert page is not None
    model = cleaner._model
    assert model is not None
    p = model.probabilities(line_features(page.lines, page.arrays))[0]
    np.testing.assert_allclose(p, expected["p"], rtol=0, atol=1e-9)
