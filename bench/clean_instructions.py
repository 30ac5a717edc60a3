"""Instructions a dump of the text cleaner, counted so that a run repeats to the instruction.

    .venv/bin/python bench/clean_instructions.py [--aeb FOLDER] [--baseline TREE]

bench_clean.py --instructions zeroes and dumps callgrind's counts around the counted pass
with callgrind_control, and the process spins while callgrind answers: those spins are
counted, longer on a loaded machine, so its figure moves by some 0.03 M a dump between
runs (issue 16's eleventh round), more than most single changes left to try. Here each
version runs twice under callgrind without any control, cleaning the 181 aeb dumps once
and twice after the imports, at PYTHONHASHSEED=0 (set and dict order fixed); the
difference of the two totals is the second pass, the same run after run. (A third pass
counts some 0.08 M a dump fewer than the second: caches still filling.) Slower (four whole runs
under valgrind, some minutes each on a loaded machine); needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def passes(folder: Path, tree: Path | None, count: int) -> None:
    """Under callgrind: the dumps cleaned once to warm up, then `count` more times."""
    if tree is not None:
        sys.path.insert(0, str(tree))
    from monitor.extract.clean import clean_text
    from monitor.text.mojibake import repair

    docs = [repair(p.read_text(encoding="utf-8")) for p in sorted((folder / "text").glob("*.txt"))]
    for _ in range(1 + count):
        for doc in docs:
            clean_text(doc)


def total(folder: Path, tree: Path | None, count: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--aeb", str(folder), "--passes", str(count),
            *(["--baseline", str(tree)] if tree is not None else []),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        try:
            subprocess.run(command, check=True, capture_output=True, env=env)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise SystemExit(f"needs valgrind (apt-get install valgrind): {exc}") from exc
        text = out.read_text(encoding="utf-8", errors="replace")
    return next(
        int(x.split()[1]) for x in text.splitlines() if x.startswith(("summary:", "totals:"))
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aeb", type=Path, default=REPO.parent / "shared" / "corpora" / "aeb")
    parser.add_argument("--baseline", type=Path, help="a tree holding another monitor/")
    parser.add_argument("--passes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.passes is not None:
        passes(args.aeb, args.baseline, args.passes)
        return
    n = len(list((args.aeb / "text").glob("*.txt")))
    if not n:
        raise SystemExit(f"{args.aeb} has no text/*.txt (give the aeb folder)")
    counts = {}
    for name, tree in [
        ("this version", None),
        *([("baseline", args.baseline)] * bool(args.baseline)),
    ]:
        one = (total(args.aeb, tree, 1) - total(args.aeb, tree, 0)) / n
        counts[name] = one
        print(f"  {name}: {one / 1e6:.3f} M instructions a dump (callgrind, one pass)")
    if len(counts) == 2:
        ours, base = counts.values()
        print(f"  this version: {base / ours:.3f}x fewer instructions than the baseline")


if __name__ == "__main__":
    main()
