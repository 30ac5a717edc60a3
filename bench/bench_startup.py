"""Start-up time of the read commands, against Python itself and click in the same run.

A user waits for the whole process: interpreter, imports, configuration, one query.
Each command runs N times in a fresh subprocess on a store built from seeds/ in a temp
folder; the table shows the median wall time and the median CPU time (user + system, which
other work on the machine disturbs less), next to `python -c pass` and
`python -c "import click"`, the floor any click command pays. Target: 0.3 s wall.

    .venv/bin/python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = """\
[inbox]
paths = ["inbox"]
[store]
path = "monitor.db"
[alerts]
log = "alerts.jsonl"
console = false
[pipeline]
workers = 0
"""


def monitor_command() -> list[str]:
    """The `monitor` script installed beside this Python (what a user runs), else -m."""
    script = Path(sys.executable).parent / "monitor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "monitor"]


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run; fails loudly on an error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        argv, cwd=cwd, capture_output=True, env=os.environ | {"LANG": "C.UTF-8"}
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def build_store(root: Path) -> Path:
    (root / "inbox").mkdir()
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy2(seed, root / "inbox" / seed.name)
    config = root / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    subprocess.run(
        [*monitor_command(), "--config", str(config), "ingest", "inbox"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = build_store(root)
        monitor = [*monitor_command(), "--config", str(config)]
        rows = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import click"': [sys.executable, "-c", "import click"],
            "monitor --help": [*monitor, "--help"],
            "monitor search عقوبات": [*monitor, "search", "عقوبات"],
            # a word that may carry proclitics: the gazetteer's names are read to protect
            "monitor search بالعقوبات": [*monitor, "search", "بالعقوبات"],
            "monitor show 1": [*monitor, "show", "1"],
            "monitor stats": [*monitor, "stats"],
            "monitor alerts": [*monitor, "alerts"],
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
        for _ in range(args.runs):  # interleaved, so a burst of load hits every row alike
            for name, argv in rows.items():
                times[name].append(timed(argv, root))
    print(f"median of {args.runs} runs, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"{'command':<28} {'wall s':>7} {'cpu s':>7}")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:<28} {wall:7.3f} {cpu:7.3f}")


if __name__ == "__main__":
    main()
