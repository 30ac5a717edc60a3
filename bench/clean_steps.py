"""Where the text cleaner's time goes, in CPU time: per step, and per page against per line.

    .venv/bin/python bench/clean_steps.py [--aeb FOLDER] [--passes 5]

Two readings of the aeb dumps (issue 16), both of time rather than instructions
(clean_phases.py counts instructions under callgrind, minutes a run; this takes seconds):

1. Each step's time a dump: the cleaner's steps are wrapped in timers (perf_counter, a
   few hundred ns a call: the process's CPU clock is a system call a reading, which
   would double the small steps), the dumps cleaned once to warm up, then `--passes`
   times; on a quiet machine the single-threaded cleaner's wall time is its CPU time. A
   step's time includes the steps it calls (label_lines holds measure_page, ...).
2. The cost of a page against its size: each dump's best CPU time of seven, fitted by
   least squares as a + b * lines + c * thousand characters. The fixed part `a` is what
   a page costs whatever its length (numpy's fixed cost a call, the Python around them):
   where it is most of the mean, a speed-up must remove calls, not per-line work.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clean import aeb_dumps
from pages import REPO

from monitor.extract import clean, line_model, line_rules, lines, page_lines, page_rules
from monitor.extract.clean import clean_text

# (owner, attribute): the module functions as the modules that call them import them,
# and the methods, each timed apart
STEPS: list[tuple[Any, str]] = [
    (clean.Cleaner, "clean"),
    (clean.Cleaner, "label_lines"),
    (clean, "measure_page"),
    (lines, "fold_joined"),
    (clean, "line_arrays"),
    (clean, "line_features"),
    (clean.Cleaner, "_language"),
    (line_model.LineModel, "body_probabilities"),
    (line_rules.LineRules, "label_page"),
    (line_rules, "start_phrases"),
    (line_rules, "structural_candidates"),
    (line_rules.LineRules, "label"),
    (page_rules.PageRules, "cut_off"),
    (page_rules.PageRules, "title"),
    (clean.Cleaner, "page_rules_after_model"),
    (clean.Cleaner, "_apply_model"),
    (clean, "decide_columns"),
    (line_model.LineModel, "reasons_for"),
    (page_lines.PageLines, "labels"),
]


def timed(
    run: Callable[..., Any], name: str, spent: dict[str, float], calls: dict[str, int]
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
            calls[name] += 1

    return wrapper


def step_times(docs: list[str], passes: int) -> None:
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for owner, attr in STEPS:
        name = f"{owner.__name__.rsplit('.', 1)[-1]}.{attr}"  # Cleaner.clean, clean.line_arrays
        setattr(owner, attr, timed(getattr(owner, attr), name, spent, calls))
    cleaner = clean.Cleaner.from_folder()
    for doc in docs:
        cleaner.clean(doc)
    spent.clear()
    calls.clear()
    for _ in range(passes):
        for doc in docs:
            cleaner.clean(doc)
    n = passes * len(docs)
    whole = spent["Cleaner.clean"]
    print(f"steps, time a dump ({len(docs)} dumps, {passes} passes, with the timers):")
    for name, t in sorted(spent.items(), key=lambda kv: -kv[1]):
        share = 100 * t / whole
        print(f"  {name:32s} {t / n * 1e6:7.1f} us {share:5.1f}%  {calls[name] / n:5.1f} calls")


def page_cost(docs: list[str]) -> None:
    for doc in docs:
        clean_text(doc)
    best = [float("inf")] * len(docs)
    for _ in range(7):
        for i, doc in enumerate(docs):
            start = time.process_time()
            clean_text(doc)
            best[i] = min(best[i], time.process_time() - start)
    y = np.array(best) * 1e6
    n_lines = np.array([d.count("\n") + 1 for d in docs], dtype=float)
    kchars = np.array([len(d) for d in docs], dtype=float) / 1000
    x = np.column_stack([np.ones(len(docs)), n_lines, kchars])
    (a, b, c), *_ = np.linalg.lstsq(x, y, rcond=None)
    order = np.sort(y)[::-1]
    print(
        f"a dump's best of seven: {y.mean():.0f} us on average ({len(docs) / y.sum() * 1e6:.0f}"
        f" dumps/s); fitted {a:.0f} us + {b:.2f} us a line + {c:.1f} us a thousand characters"
        f" (mean {n_lines.mean():.0f} lines, {kchars.mean():.1f} thousand): the fixed part"
        f" {100 * a / y.mean():.0f}% of the mean; the 15 slowest dumps"
        f" {100 * order[:15].sum() / y.sum():.0f}% of the time"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aeb", type=Path, default=REPO.parent / "shared" / "corpora" / "aeb")
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    docs = aeb_dumps(args.aeb)
    if not docs:
        raise SystemExit(f"{args.aeb}: no text/*.txt (the aeb corpus's text dumps)")
    page_cost(docs)  # before the timers are put in
    step_times(docs, args.passes)


if __name__ == "__main__":
    main()
