"""`monitor run` until it is watching, this checkout against another one, in interleaved runs.

    git archive main | tar -x -C /tmp/main-tree
    .venv/bin/python bench/bench_ready.py --other /tmp/main-tree [--workers 0] [--rounds 4]
    .venv/bin/python bench/bench_ready.py --other /tmp/main-tree --ingest   # `monitor ingest`

For a machine too busy for wall-clock figures: besides the wall time it reports the CPU
seconds summed over the process tree (the daemon, and its workers if it started them)
at the moment the daemon logs "watching", which other work on the machine disturbs
less. Both run with this venv's Python and packages, the other checkout first on
PYTHONPATH; the first round of each fills caches (the vocabularies) and is not counted.
With --ingest: `monitor ingest` of one seed file into a fresh store, until it exits.

Both checkouts' bytecode is compiled first (compileall), as pip compiles an installed
package's: with PYTHONDONTWRITEBYTECODE set (as on the shared machine) and no
__pycache__ in a checkout, each process compiled some 100 of its modules from source, a
few tenths of a CPU second that no deployed daemon pays, and in one checkout only if the
other happened to have been compiled before. --no-compile measures without.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [pid, *(g for k in map(int, out.split()) for g in tree(k))]


def cpu_seconds(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def ready(checkout: Path | None, workers: str) -> tuple[float, float]:
    root = Path(tempfile.mkdtemp(prefix="monitor-ready-"))
    (root / "inbox").mkdir()
    (root / "config.toml").write_text(
        '[inbox]\npaths = ["inbox"]\n[store]\npath = "monitor.db"\n'
        '[alerts]\nlog = "alerts.jsonl"\nconsole = false\n'
        f"[pipeline]\nworkers = {workers}\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    start = time.perf_counter()
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(root / "config.toml"), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,  # not this checkout: `-m` puts the working folder first on sys.path
    )
    assert daemon.stderr is not None
    for line in daemon.stderr:
        if '"watching"' in line:
            break
    wall = time.perf_counter() - start
    cpu = cpu_seconds(daemon.pid)
    threading.Thread(target=daemon.stderr.read, daemon=True).start()  # a full pipe blocks
    daemon.terminate()
    daemon.wait(60)
    shutil.rmtree(root, ignore_errors=True)
    return wall, cpu


def ingest_one(checkout: Path | None, workers: str) -> tuple[float, float]:
    """`monitor ingest` of the first seed into a fresh store: wall and CPU seconds (the
    process and any children it waited for)."""
    root = Path(tempfile.mkdtemp(prefix="monitor-ingest-"))
    (root / "config.toml").write_text(
        '[inbox]\npaths = ["."]\n[store]\npath = "monitor.db"\n'
        '[alerts]\nlog = "alerts.jsonl"\nconsole = false\n'
        f"[pipeline]\nworkers = {workers}\n",
        encoding="utf-8",
    )
    seed = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    before = os.times()
    start = time.perf_counter()
    config = str(root / "config.toml")
    subprocess.run(
        [sys.executable, "-m", "monitor", "--config", config, "ingest", str(seed)],
        check=True,
        capture_output=True,
        env=env,
        cwd=root,
    )
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    shutil.rmtree(root, ignore_errors=True)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--other", type=Path, required=True, help="another checkout's root")
    parser.add_argument("--workers", default='"auto"', help='[pipeline] workers: "auto", 0, 2')
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--ingest", action="store_true", help="`monitor ingest` of one file")
    parser.add_argument("--no-compile", action="store_true", help="leave bytecode as it is")
    args = parser.parse_args()
    if not args.no_compile:
        for root in (args.other, Path(__file__).resolve().parents[1]):
            compileall.compile_dir(root / "monitor", quiet=1)
    measure = ingest_one if args.ingest else ready
    runs: dict[str, list[tuple[float, float]]] = {"other": [], "this": []}
    for n in range(args.rounds + 1):
        for name, checkout in (("other", args.other), ("this", None)):
            got = measure(checkout, args.workers)
            if n:
                runs[name].append(got)
    compiled = "as found" if args.no_compile else "compiled"
    print(f"load average {os.getloadavg()[0]:.1f}; workers = {args.workers}; bytecode {compiled}")
    for name, got in runs.items():
        wall = statistics.median(g[0] for g in got)
        cpu = statistics.median(g[1] for g in got)
        what = "ingested one file" if args.ingest else "ready"
        print(f"  {name:5s}: {what} in {wall:.2f} s wall, {cpu:.2f} CPU s (process tree)")


if __name__ == "__main__":
    main()
