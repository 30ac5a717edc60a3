"""The plain-text cleaner on real pages it was not trained on (issue 16).

tests/data/aeb holds the aeb corpus's fold 4 (28 real pages, MIT licence, README there):
their naive text dumps and hand-made bodies. The shipped line model was trained on folds
0-3 only (monitor/evaluation/aeb_pages.py), so these scores are held-out scores. Floors sit
a little under what the shipped model reaches (P 0.856, R 0.831, F1 0.843; docs/
benchmarks.md); the hand rules alone scored F1 0.65 on the whole corpus.
"""

from __future__ import annotations

import json

from monitor.evaluation.aeb import score
from monitor.evaluation.aeb_pages import HELDOUT_FOLD, VENDORED, load_pages
from monitor.extract.clean import clean_text
from monitor.extract.line_model import MODEL_FILE


def test_the_shipped_model_never_saw_the_vendored_pages() -> None:
    pages = load_pages(VENDORED)
    assert len(pages) == 28
    assert {p.fold for p in pages} == {HELDOUT_FOLD}
    trained = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["trained_on_folds"]
    assert HELDOUT_FOLD not in trained


def test_held_out_real_pages_score_above_the_floors() -> None:
    pages = load_pages(VENDORED)
    bodies = {p.key: clean_text(p.text).body for p in pages}
    precision, recall, f1 = score(bodies, {p.key: p.body for p in pages})
    assert precision >= 0.80, precision
    assert recall >= 0.80, recall
    assert f1 >= 0.81, f1


def test_lines_the_model_removes_carry_a_readable_reason() -> None:
    pages = load_pages(VENDORED)
    reasons = [r.why for p in pages for r in clean_text(p.text).removed]
    by_model = [w for w in reasons if w.startswith("model: ")]
    assert by_model, "the model removed no line on 28 real pages"
    # a reason names what weighed against the line, not a bare score
    assert all(len(w) > len("model: ") + 5 and w != "model: low score" for w in by_model[:50])
