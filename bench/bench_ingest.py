"""Ingest throughput, drop-to-alert latency and peak memory, each against a baseline.

    .venv/bin/python bench/bench_ingest.py [--pages N] [--rounds N] [--drops N]

1. HTML: N real-looking pages (bench/pages.py) through the whole pipeline into SQLite, in
   process and with the worker pool (one worker per core), against trafilatura alone on
   the same pages in one process, called for the text and metadata (the baseline) and for
   the text alone (a floor). The ratio is what the pool and a leaner metadata call buy
   after all our own work is paid for.
2. Text: the same articles as plain text, end to end, documents per second.
3. Latency: `monitor run` as a real daemon; distinct seed-sized articles dropped one at a
   time (write elsewhere, rename in); time from the rename to the alert's line in the log.
4. Memory: peak resident memory (VmHWM) of the daemon and of its workers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import REPO, synthetic_article, write_pages

from monitor.config import load
from monitor.extract.html import DATE_PARAMS
from monitor.ops.logging import configure
from monitor.service import Service

# trafilatura as one calls it for an article and its metadata (NOTES.md), and as it is
# called for the text alone: the first is the baseline of the target (monitor keeps title,
# date and site name), the second a floor that no metadata at all could beat.
OPTIONS = {
    "include_comments": False,
    "deduplicate": False,
    "date_extraction_params": DATE_PARAMS,
}
CONFIG = '[inbox]\npaths = ["inbox"]\nsettle_seconds = 0.2\n[alerts]\nconsole = false\n'


def workspace(extra: str = "") -> Path:
    root = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    (root / "inbox").mkdir()
    (root / "config.toml").write_text(CONFIG + extra, encoding="utf-8")
    return root


def trafilatura_alone(files: list[Path], with_metadata: bool) -> float:
    start = time.perf_counter()
    for f in files:
        trafilatura.bare_extraction(f.read_bytes(), with_metadata=with_metadata, **OPTIONS)
    return time.perf_counter() - start


def ingest(root: Path, files: list[Path], workers: int) -> float:
    (root / "config.toml").write_text(
        CONFIG + f"[pipeline]\nworkers = {workers}\n", encoding="utf-8"
    )
    service = Service.build(load(root / "config.toml"))
    service.warm_up()
    start = time.perf_counter()
    counts = service.ingest(files)
    elapsed = time.perf_counter() - start
    service.close()
    assert counts["new"] + counts["duplicate"] == len(files), counts
    return elapsed


def html_throughput(n: int, rounds: int) -> None:
    """Rounds interleave baseline and ingest, and the median of each is reported, so a
    slow drift of the machine reaches both. It cannot make a busy machine fair: the
    baseline uses one core and the pool two, so anything else running on the second core
    slows only the pool. Run it on an idle machine; the load printed says how idle it was."""
    busy = os.getloadavg()[0]  # before we start: what else is running
    root = workspace()
    files = write_pages(root / "inbox", n)
    cores = len(os.sched_getaffinity(0))
    runs: dict[str, list[float]] = {"meta": [], "text": [], "one": [], "pool": []}
    for _ in range(rounds):
        runs["meta"].append(trafilatura_alone(files, with_metadata=True))
        runs["text"].append(trafilatura_alone(files, with_metadata=False))
        runs["one"].append(ingest(workspace(), files, workers=0))
        runs["pool"].append(ingest(workspace(), files, workers=cores))
    t = {k: statistics.median(v) for k, v in runs.items()}
    size = sum(f.stat().st_size for f in files) // n // 1024
    print(
        f"HTML, {n} pages of {size} KB, median of {rounds} interleaved rounds "
        f"(load average before: {busy:.1f} on {cores} cores)"
    )
    print(f"  trafilatura alone, 1 core, with metadata: {n / t['meta']:6.1f} pages/s  (baseline)")
    print(f"  trafilatura alone, 1 core, text only    : {n / t['text']:6.1f} pages/s")
    labels = {"one": "in-process", "pool": f"{cores} workers"}
    for key, label in labels.items():
        rate, base, floor = n / t[key], t["meta"] / t[key], t["text"] / t[key]
        print(
            f"  monitor ingest, {label:10s}       : {rate:6.1f} pages/s "
            f"({base:.2f}x baseline, {floor:.2f}x text only)"
        )


def text_throughput(n: int) -> None:
    root = workspace()
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    files = []
    for i in range(n):
        path = root / "inbox" / f"{i:05d}.txt"
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        path.write_text(f"{text}\nتحديث رقم {i} من المراسل مساء اليوم.\n", encoding="utf-8")
        files.append(path)
    elapsed = ingest(workspace(), files, workers=0)
    print(f"Text, {n} seed-sized files, end to end in-process: {n / elapsed:6.1f} docs/s")


def latency(drops: int) -> None:
    # Every drop is a distinct article; later articles of a story alert too (updates =
    # "alert", no cooldown), so each drop is timed from its rename to its alert.
    root = workspace('[stories]\nupdates = "alert"\ncooldown_minutes = 0\n')
    log = root / "alerts.jsonl"
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(root / "config.toml"), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert daemon.stderr is not None
    for line in daemon.stderr:
        if '"watching"' in line:
            break
    rng = random.Random(7)
    staging = root / "staging"
    staging.mkdir()
    samples = []
    for i in range(drops):
        before = log.stat().st_size if log.exists() else 0
        src = staging / f"{i:04d}.txt"
        src.write_text(synthetic_article(i, rng), encoding="utf-8")
        start = time.perf_counter()
        os.rename(src, root / "inbox" / src.name)
        deadline = start + 10
        while time.perf_counter() < deadline:
            if log.exists() and log.stat().st_size > before:
                samples.append((time.perf_counter() - start) * 1000)
                break
            time.sleep(0.002)
        time.sleep(0.05)
    hwm = {pid: _hwm_kb(pid) for pid in [daemon.pid, *_children(daemon.pid)]}
    daemon.terminate()
    daemon.wait(timeout=30)
    samples.sort()
    p99 = samples[max(0, int(len(samples) * 0.99) - 1)]
    print(
        f"Drop-to-alert latency, {len(samples)}/{drops} drops: "
        f"p50 {statistics.median(samples):.0f} ms, "
        f"p99 {p99:.0f} ms, max {samples[-1]:.0f} ms"
    )
    main_kb = hwm.pop(daemon.pid)
    print(
        f"Peak memory (VmHWM): daemon {main_kb / 1024:.0f} MB; workers "
        + ", ".join(f"{kb / 1024:.0f} MB" for kb in hwm.values())
    )
    print(json.dumps({"latency_ms": {"p50": statistics.median(samples), "p99": p99}}))


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    kids = [int(p) for p in out]
    return kids + [g for k in kids for g in _children(k)]


def _hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--texts", type=int, default=500)
    parser.add_argument("--drops", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    configure("error", "json")
    html_throughput(args.pages, args.rounds)
    text_throughput(args.texts)
    latency(args.drops)


if __name__ == "__main__":
    main()
