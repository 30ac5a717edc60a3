"""Another version of monitor's cleaner, importable beside this one, for speed ratios.

    git archive main monitor | tar -x -C /tmp/base    # any commit's monitor/ package
    .venv/bin/python bench/bench_clean.py --baseline /tmp/base

The machine the benchmarks run on is shared, so absolute rates move with its load; a
ratio between two versions timed in the same run, interleaved, does not. The package is
copied to a temporary folder as `monitor_baseline`, its own imports renamed to match, so
both versions live in one process and clean the same texts in turn.
"""

from __future__ import annotations

import atexit
import importlib
import re
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

_IMPORT = re.compile(r"\b(from|import) monitor(?=[.\s])")


def load_baseline(tree: Path) -> ModuleType:
    """monitor_baseline.extract.clean from `tree`/monitor (a copy; `tree` is not changed)."""
    source = tree / "monitor"
    if not (source / "extract" / "clean.py").is_file():
        raise SystemExit(f"{tree}: no monitor/extract/clean.py there (see bench/baseline.py)")
    folder = Path(tempfile.mkdtemp(prefix="monitor-baseline-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "monitor_baseline"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in target.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(_IMPORT.sub(r"\1 monitor_baseline", text), encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("monitor_baseline.extract.clean")
