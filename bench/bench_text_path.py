"""The plain-text path, this checkout against another one, in alternating rounds.

    git archive main | tar -x -C /tmp/main-tree
    .venv/bin/python bench/bench_text_path.py --other /tmp/main-tree [--rounds 4]

For a machine too busy for one run's figures (issue 19): each round runs both checkouts,
in turn (the order swapped every round), each a process of its own with this venv's
Python and packages and the checkout first on PYTHONPATH, on the aeb corpus's text dumps:

1. `--stages`: CPU ms per dump by stage, in-process (workers = 0), bench_ingest.stages.
2. `--ingest`: `monitor ingest` of the dumps as a real process (2 workers, a fresh
   store): documents/s with the start, once started, CPU ms a dump summed over it and
   the `monitor` process's own (the critical path of a backlog: it tags, groups and
   stores every input), and the peak RSS summed over its processes. `--texts N` takes
   up to N files of the corpus's text/ folder (300).

Medians over the rounds. Without either flag, both.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ("decode", "extract", "language", "tag", "dedup", "story", "store")

# Run inside the checkout measured: its bench_ingest.stages on the text dumps only.
_STAGES_CHILD = """
import shutil, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path.cwd() / "bench"))
import bench_ingest as b
b.configure("error", "json")
b.html_pages = b.text_files  # the text dumps twice (stages() labels the first "HTML")
base = tempfile.mkdtemp(prefix="monitor-bench-")
tempfile.tempdir = base
try:
    b.stages(Path(sys.argv[1]), 300)
finally:
    shutil.rmtree(base, ignore_errors=True)
"""

# Run from this checkout, `monitor` importing the measured checkout (PYTHONPATH).
_INGEST_CHILD = """
import shutil, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import bench_ingest as b
base = tempfile.mkdtemp(prefix="monitor-bench-")
tempfile.tempdir = base
try:
    files = b.text_files(Path(sys.argv[1]), int(sys.argv[3]), Path(tempfile.mkdtemp()) / "inbox")
    run = b.monitor_ingest(files, 2)
    print(len(files), run.wall, run.cpu, run.steady or 0, run.peak_mb, run.main_cpu)
finally:
    shutil.rmtree(base, ignore_errors=True)
"""


def _env(checkout: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(checkout)}


def stages(checkout: Path, corpus: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _STAGES_CHILD, str(corpus)],
        cwd=checkout,
        env=_env(checkout),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runs = []  # two runs of the dumps, each in a fresh store: their mean
    for line in (x for x in out.splitlines() if x.startswith("CPU ms per")):
        got = {k: float(v) for k, v in re.findall(rf"({'|'.join(STAGES)}) ([\d.]+)", line)}
        got["rest"] = float(re.search(r"batching\) ([\d.]+)", line).group(1))  # type: ignore[union-attr]
        runs.append(got)
    return {k: statistics.mean(r[k] for r in runs) for k in runs[0]}


def ingest(checkout: Path, corpus: Path, texts: int = 300) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _INGEST_CHILD, str(corpus), str(HERE), str(texts)],
        cwd=checkout,  # `-c` puts the working folder first on sys.path: the measured one
        env=_env(checkout),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    n, wall, cpu, steady, peak, main_cpu = map(float, out.split()[-6:])
    return {
        "docs/s": n / wall,
        "once started": steady,
        "CPU ms/doc": cpu * 1000 / n,
        "main process CPU ms/doc": main_cpu * 1000 / n,
        "peak MB": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, required=True, help="another checkout's root")
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/aeb"))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--ingest", action="store_true")
    parser.add_argument("--texts", type=int, default=300, help="--ingest: at most this many")
    args = parser.parse_args()
    what = [f for f, on in ((stages, args.stages), (ingest, args.ingest)) if on]
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for measure in what or [stages, ingest]:
        runs: dict[str, list[dict[str, float]]] = {"other": [], "this": []}
        for r in range(args.rounds):
            order = [("other", args.other.resolve()), ("this", HERE.parent)]
            for name, checkout in order if r % 2 == 0 else order[::-1]:
                got = (
                    ingest(checkout, args.corpus, args.texts)
                    if measure is ingest
                    else measure(checkout, args.corpus)
                )
                runs[name].append(got)
        print(f"{measure.__name__}, median of {args.rounds} (load now {os.getloadavg()[0]:.1f}):")
        for name, got in runs.items():
            keys = list(got[0])
            cells = ", ".join(f"{k} {statistics.median(g[k] for g in got):.2f}" for k in keys)
            if measure is stages:
                total = statistics.median(sum(g.values()) for g in got)
                cells += f", all {total:.2f}"
            print(f"  {name:5s}: {cells}")


if __name__ == "__main__":
    main()
