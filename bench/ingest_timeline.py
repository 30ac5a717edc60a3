"""Where the time of one `monitor ingest` goes: each process's CPU over time, and when the
outcomes come (issue 19: on 181 pages, start-up and tail were half the run).

    .venv/bin/python bench/ingest_timeline.py [--corpus ../shared/corpora/aeb] [--text]
        [--workers 2] [--step 0.25]

Samples the process tree every 20 ms (/proc/PID/stat: user + system ticks) and prints,
for each step of --step seconds, the CPU share of each process (the ingest, the
forkserver, each worker; 100 = one core busy) and how many outcomes were logged in it.
One run, so the figures move with the machine's load (printed first): read the shape
(who waits for whom, when the first page comes back, whether the tail has a core idle),
not the digits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest as b

TICK = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _role(pid: int, main: int) -> str:
    """The ingest itself, the forkserver (its child), a worker (the forkserver's child)."""
    if pid == main:
        return "ingest"
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    if parent != main:
        return "worker"
    return "tracker" if b"resource_tracker" in cmd else "forkserver"


def timeline(files: list[Path], workers: int, step: float) -> None:
    root = b.workspace(f"[pipeline]\nworkers = {workers}\n")
    log = root / "stderr.log"
    samples: list[tuple[float, dict[int, int]]] = []
    roles: dict[int, str] = {}
    rss: dict[int, int] = {}  # the peak of each process's resident memory, KB
    pss = [0]  # the peak of the summed proportional set size, KB (shared pages split)
    start = time.time()
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [*b.MONITOR, "--config", str(root / "config.toml"), "ingest", str(files[0].parent)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=root,  # not a checkout: the forkserver's `python -c` puts it first on sys.path
        )

        def sample() -> None:
            while proc.poll() is None:
                now = time.time() - start
                got = {}
                for pid in [proc.pid, *b._children(proc.pid)]:
                    t = _ticks(pid)
                    if t is not None:
                        got[pid] = t
                        rss[pid] = max(rss.get(pid, 0), b._status_kb(pid, "VmRSS:"))
                        if pid not in roles or roles[pid] == "?":
                            roles[pid] = _role(pid, proc.pid)
                samples.append((now, got))
                pss[0] = max(pss[0], sum(_pss_kb(pid) for pid in got))
                time.sleep(0.02)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        proc.wait()
        watcher.join()
    wall = time.time() - start
    outcomes = []
    for line in log.read_bytes().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") in ("article stored", "input failed") and "timestamp" in event:
            outcomes.append(datetime.fromisoformat(event["timestamp"]).timestamp() - start)
    pids = sorted(roles, key=lambda p: (p != proc.pid, p))
    names = {}
    for pid in pids:
        n = sum(1 for q in pids[: pids.index(pid)] if roles[q] == roles[pid])
        names[pid] = roles[pid] + (str(n + 1) if roles[pid] == "worker" else "")
    print(
        f"{len(files)} inputs, {workers} workers, wall {wall:.2f} s, load average "
        f"{os.getloadavg()[0]:.1f}; first outcome {min(outcomes, default=0):.2f} s, "
        f"last {max(outcomes, default=0):.2f} s"
    )
    print("t (s)   " + " ".join(f"{names[p]:>10s}" for p in pids) + "  outcomes")
    buckets: dict[int, dict[int, int]] = defaultdict(dict)
    last: dict[int, int] = {}
    for now, got in samples:
        k = int(now / step)
        for pid, t in got.items():
            prev = last.get(pid, 0)
            buckets[k][pid] = buckets[k].get(pid, 0) + (t - prev)
            last[pid] = t
    done = defaultdict(int)
    for t in outcomes:
        done[int(t / step)] += 1
    for k in range(int(wall / step) + 1):
        row = buckets.get(k, {})
        cells = " ".join(f"{row.get(p, 0) / TICK / step * 100:10.0f}" for p in pids)
        print(f"{k * step:5.2f}   {cells}  {done.get(k, 0):8d}")
    print(
        "CPU s: "
        + ", ".join(f"{names[p]} {last.get(p, 0) / TICK:.2f}" for p in pids)
        + f"; all {sum(last.values()) / TICK:.2f}"
    )
    print(
        "peak RSS MB: "
        + ", ".join(f"{names[p]} {rss.get(p, 0) / 1024:.0f}" for p in pids)
        + " (each process's own peak; their sum at one moment is bench_ingest's figure); "
        + f"peak PSS summed {pss[0] / 1024:.0f} MB (pages shared by forked processes once)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=b.AEB)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--step", type=float, default=0.25)
    parser.add_argument("--text", action="store_true", help="the text dumps, not the pages")
    args = parser.parse_args()
    b.compile_bytecode(b.REPO)
    base = tempfile.mkdtemp(prefix="monitor-bench-")
    tempfile.tempdir = base
    try:
        folder = Path(tempfile.mkdtemp()) / "inbox"
        make = b.text_files if args.text else b.html_pages
        timeline(make(args.corpus, args.pages, folder), args.workers, args.step)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
