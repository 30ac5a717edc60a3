"""`monitor ingest` of the aeb pages and text dumps, this checkout against another one, in
alternating rounds (issue 19: a machine too busy for one run's figures).

    git archive main | tar -x -C /tmp/main-tree
    .venv/bin/python bench/bench_ingest_vs.py --other /tmp/main-tree [--rounds 4] [--text]

Each round runs `monitor ingest` of the same folder into a fresh store with each
checkout in turn (the order swapped every round), this venv's Python and packages and
the checkout first on PYTHONPATH, as bench_ingest.monitor_ingest measures it: wall time
with the start-up, the rate once started, CPU seconds summed over every process, peak
RSS summed over the process tree. Medians, and this checkout's figures as a ratio of
the other's from the same rounds (the steadiest comparison on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest as b

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, required=True, help="another checkout's root")
    parser.add_argument("--corpus", type=Path, default=b.AEB)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--text", action="store_true", help="the text dumps, not the pages")
    parser.add_argument("--mixed", action="store_true", help="the pages and the dumps, one folder")
    parser.add_argument(
        "--baseline", action="store_true", help="trafilatura.extract alone each round too"
    )
    args = parser.parse_args()
    base = tempfile.mkdtemp(prefix="monitor-bench-")
    tempfile.tempdir = base
    try:
        folder = Path(tempfile.mkdtemp()) / "inbox"
        if args.mixed:  # sorted by name: each page beside its text dump
            files = b.html_pages(args.corpus, 300, folder) + b.text_files(args.corpus, 300, folder)
        else:
            files = (b.text_files if args.text else b.html_pages)(args.corpus, 300, folder)
        compare(files, args.other.resolve(), args.rounds, args.workers, args.baseline)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def compare(
    files: list[Path], other: Path, rounds: int, workers: int, baseline: bool = False
) -> None:
    """With `baseline`, trafilatura.extract of the same files alone on one core in this
    process each round too (bench_ingest.trafilatura_alone), and each rate as a ratio of
    its rate in the same round: issue 19's reading of the HTML target."""
    b.compile_bytecode(other, HERE)
    print(f"load average before: {os.getloadavg()[0]:.1f}; {len(files)} inputs")
    runs: dict[str, list[b.Run]] = {"other": [], "this": []}
    alone: list[float] = []  # trafilatura's wall seconds, each round
    order = [("other", other), ("this", HERE)]
    b.monitor_ingest(files, workers)  # fills the vocabulary cache: not counted
    for r in range(rounds):
        if baseline:
            alone.append(b.trafilatura_alone(files)[0])
        for name, checkout in order if r % 2 == 0 else order[::-1]:
            os.environ["PYTHONPATH"] = str(checkout)
            runs[name].append(b.monitor_ingest(files, workers))
    n = len(files)
    print(f"median of {rounds} (load now {os.getloadavg()[0]:.1f}):")
    if alone:
        print(f"  trafilatura.extract alone, one core: {n / statistics.median(alone):6.1f}/s")
    for name, got in runs.items():
        vs = ""
        if alone:
            start = statistics.median(a / r.wall for a, r in zip(alone, got, strict=True))
            steady = statistics.median(
                (r.steady or 0) * a / n for a, r in zip(alone, got, strict=True)
            )
            vs = f" ({start:.2f}x trafilatura with start-up, {steady:.2f}x once started)"
        print(
            f"  {name:5s}: {n / statistics.median(r.wall for r in got):6.1f}/s with start-up, "
            f"{statistics.median(r.steady or 0 for r in got):6.1f}/s once started{vs}, "
            f"{statistics.median(r.cpu for r in got) * 1000 / n:5.1f} CPU ms an input "
            f"({statistics.median(r.main_cpu for r in got) * 1000 / n:5.1f} in the main "
            f"process), peak RSS summed {statistics.median(r.peak_mb for r in got):.0f} MB"
        )
    ratio = [o.wall / t.wall for o, t in zip(runs["other"], runs["this"], strict=True)]
    cpu = [t.cpu / o.cpu for o, t in zip(runs["other"], runs["this"], strict=True)]
    print(
        f"  this/other, same round: rate x{statistics.median(ratio):.2f} "
        f"(rounds: {', '.join(f'{x:.2f}' for x in ratio)}); CPU x{statistics.median(cpu):.2f}"
    )


if __name__ == "__main__":
    main()
