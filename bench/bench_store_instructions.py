"""Instructions a plain-text document costs the ingesting process, counted by callgrind.

    .venv/bin/python bench/bench_store_instructions.py [--other DIR] [--docs 60]

CPU time on this shared 2-core machine moves by 20-50% between runs; instruction counts
do not (issue 19). For this checkout and, with --other, another one (e.g. `git archive
main monitor | tar -x -C DIR`), each under `valgrind --tool=callgrind` in a process of
its own: a service with workers = 0 ingests 20 of the aeb text dumps to warm up (the
vocabularies, the caches, the story tables), callgrind's counts are zeroed, the next
`--docs` dumps are ingested into the same store, and the counts are dumped. The
instructions a document cover every step of the main process: decode, clean, language,
tagging, dedup, stories, the store's writes and commits.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = """
import os, shutil, subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import bench_ingest as b
from monitor.config import load
from monitor.service import Service
b.configure("error", "json")
base = tempfile.mkdtemp(prefix="monitor-bench-")
tempfile.tempdir = base
n = int(sys.argv[2])
files = b.text_files(Path(sys.argv[1]), 20 + n, Path(tempfile.mkdtemp()) / "inbox")
service = Service.build(load(b.workspace("[pipeline]\\nworkers = 0\\n") / "config.toml"))
service.warm_up()
service.ingest(files[:20])
ctl = ["callgrind_control", "{}", str(os.getpid())]
subprocess.run([c.format("-z") for c in ctl], check=True, capture_output=True)
service.ingest(files[20:])
subprocess.run([c.format("-d") for c in ctl], check=True, capture_output=True)
service.close()
shutil.rmtree(base, ignore_errors=True)
print(len(files) - 20)
"""


def count(checkout: Path, corpus: Path, docs: int) -> tuple[int, int]:
    """(documents counted, instructions) of one checkout."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                _CHILD,
                str(corpus),
                str(docs),
                str(HERE),
            ],
            env={**os.environ, "PYTHONPATH": str(checkout)},
            cwd=checkout,  # `-c` puts the working folder first on sys.path: the measured one
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"{checkout}: {done.stderr[-3000:]}")
        dumped = sorted(Path(tmp).glob("callgrind.out.*"))
        if not dumped:
            raise SystemExit(f"no callgrind dump: {done.stderr[-2000:]}")
        text = dumped[0].read_text(errors="replace")
        total = re.search(r"^summary:\s+(\d+)", text, re.M) or re.search(
            r"^totals:\s+(\d+)", text, re.M
        )
        assert total is not None
        return int(done.stdout.split()[-1]), int(total.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, help="another checkout's root")
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/aeb"))
    parser.add_argument("--docs", type=int, default=60)
    args = parser.parse_args()
    checkouts = [("this", HERE.parent)] + ([("other", args.other.resolve())] if args.other else [])
    for name, checkout in checkouts:
        n, instructions = count(checkout, args.corpus, args.docs)
        print(f"{name}: {instructions / n / 1e6:.2f} M instructions a document ({n} dumps)")


if __name__ == "__main__":
    main()
