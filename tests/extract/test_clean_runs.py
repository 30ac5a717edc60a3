"""The driver's runs of removed lines pick the rows the model's mask leaves out.

clean.Cleaner.clean gathers the removed lines' columns by slicing the runs of lines out
of the body (clean._runs) instead of picking every row; these masks aim at the edges the
aeb dumps may not reach: no body, all body but the title, runs at either end, and the
skipped (title) line at a run's start or end.
"""

from __future__ import annotations

import random

import numpy as np

from monitor.extract.clean import _gather, _runs


def _masks() -> list[tuple[list[bool], int]]:
    rng = random.Random(16)
    cases: list[tuple[list[bool], int]] = [
        ([False] * 5, -1),
        ([False] * 5, 0),
        ([False] * 5, 4),
        ([False] + [True] * 4, 0),
        ([True, False, True], 1),
        ([False, True, False], 2),
        ([True], -1),
        ([False], 0),
    ]
    for _ in range(200):
        n = rng.randint(1, 40)
        mask = [rng.random() < rng.random() for _ in range(n)]
        out = [i for i, body in enumerate(mask) if not body]
        cases.append((mask, rng.choice([-1, *out])))
    return cases


def test_runs_pick_the_rows_out_of_the_body() -> None:
    # (one test over the 208 masks: an item each cost the suite's scheduler more than
    # the check)
    for mask, skip in _masks():
        decided = np.array(mask, dtype=bool)
        spans, rows = _runs(decided, skip)
        column = [f"line {i}" for i in range(len(mask))]
        out = [i for i, body in enumerate(mask) if not body and i != skip]
        assert _gather(column, spans) == tuple(column[i] for i in out), (mask, skip)
        assert rows == [i for i, body in enumerate(mask) if body], (mask, skip)
