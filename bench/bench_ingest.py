"""Ingest throughput, start-up, CPU per stage, memory and drop-to-alert latency, each
beside trafilatura.extract on one core in the same run.

    .venv/bin/python bench/bench_ingest.py [--corpus ../shared/corpora/aeb] [--rounds N]

The machine is shared and noisy: absolute figures move with the load (printed first);
compare the ratios of one run, which the interleaved rounds (median of N) keep fair.

1. HTML (the aeb corpus's real pages, else --pages synthetic ones, bench/pages.py):
   `monitor ingest` of the folder as a real process, with the worker pool (one worker per
   core) and in-process, against `trafilatura.extract` of the same pages on one core in
   this process. Pages/s, CPU seconds summed over every process, and the peak of the
   resident memory summed over the process tree (sampled every 20 ms).
2. Text (the corpus's text dumps, else seed-sized files): `monitor ingest`, documents/s.
3. CPU ms per page by stage: the pipeline in this process (workers = 0), each step timed
   with the thread's CPU clock, then the store's write.
4. Start-up: `monitor ingest` of one text file, and `monitor run` until it logs
   "watching", beside `python -c pass` (the vocabularies cached by the first run).
5. Latency: `monitor run` as a real daemon; distinct seed-sized articles dropped one at a
   time (write elsewhere, rename in); time from the rename to the alert's line in the log.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import gzip
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import REPO, synthetic_article, write_pages

from monitor import pipeline
from monitor.config import load
from monitor.ops.logging import configure
from monitor.service import Service

CONFIG = '[inbox]\npaths = ["inbox"]\nsettle_seconds = 0.2\n[alerts]\nconsole = false\n'
# Beside the main checkout (../shared), or two levels up from a worktree (/work/wt/NAME).
AEB = next(
    (p / "shared" / "corpora" / "aeb" for p in REPO.parents if (p / "shared/corpora/aeb").exists()),
    None,
)
MONITOR = [str(Path(sys.executable).parent / "monitor")]


def workspace(extra: str = "") -> Path:
    root = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    (root / "inbox").mkdir()
    (root / "config.toml").write_text(CONFIG + extra, encoding="utf-8")
    return root


def html_pages(corpus: Path | None, n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if corpus is None:
        return write_pages(folder, n)
    files = []
    for src in sorted((corpus / "html").glob("*.html.gz"))[:n]:
        files.append(folder / src.name.removesuffix(".gz"))
        files[-1].write_bytes(gzip.decompress(src.read_bytes()))
    return files


def text_files(corpus: Path | None, n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    if corpus is not None:
        for src in sorted((corpus / "text").glob("*.txt"))[:n]:
            files.append(folder / src.name)
            files[-1].write_bytes(src.read_bytes())
        return files
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    for i in range(n):
        files.append(folder / f"{i:05d}.txt")
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        files[-1].write_text(f"{text}\nتحديث رقم {i} من المراسل مساء اليوم.\n", encoding="utf-8")
    return files


def trafilatura_alone(files: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds of trafilatura.extract on every file, one core, this process."""
    pages = [f.read_bytes() for f in files]
    start, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        trafilatura.extract(page)
    return time.perf_counter() - start, time.process_time() - cpu


def trafilatura_process(files: list[Path]) -> float:
    """Wall seconds of a fresh `python -c` that imports trafilatura and extracts every
    file on one core: the baseline with what `monitor ingest`'s figure includes too (the
    interpreter's start and the imports), which trafilatura_alone leaves out."""
    script = (
        "import sys, trafilatura\n"
        "for name in sys.argv[1:]:\n"
        "    with open(name, 'rb') as fh:\n"
        "        trafilatura.extract(fh.read())\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, *map(str, files)], check=True)
    return time.perf_counter() - start


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of every process of the run (_watch_memory)
    peak_mb: float  # resident memory summed over the process tree, at its peak
    # Inputs a second between the first outcome logged and the last: the rate once the
    # process has started (imports, store, pool and models loaded), which a short run's
    # wall-clock rate hides under a second of start-up.
    steady: float | None = None
    # CPU seconds of the `monitor` process itself (its last sample, every 20 ms), without
    # the workers: the critical path of a backlog, which a loaded machine's wall clock hides.
    main_cpu: float = 0.0


def _steady_rate(log: bytes) -> float | None:
    """From the run's JSON log: outcomes over the time between the first and the last."""
    stamps = []
    for line in log.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") in ("article stored", "input failed") and "timestamp" in event:
            stamps.append(datetime.fromisoformat(event["timestamp"]).timestamp())
    if len(stamps) < 2 or stamps[-1] <= stamps[0]:
        return None
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def compile_bytecode(*checkouts: Path) -> None:
    """Each checkout's bytecode compiled, as pip compiles an installed package's: with
    PYTHONDONTWRITEBYTECODE set (as on the shared machine) nothing is written, and every
    `monitor ingest` compiled some 120 of monitor's modules from source at its start
    (about 0.1 CPU s of each run, counted in the start-up of every rate below)."""
    for checkout in checkouts:
        compileall.compile_dir(checkout / "monitor", quiet=1)


def monitor_ingest(files: list[Path], workers: int) -> Run:
    """`monitor ingest` as a user runs it, in a fresh store, as a real process."""
    root = workspace(f"[pipeline]\nworkers = {workers}\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    log = root / "stderr.log"  # a file, not a pipe: a pipe nobody reads fills and blocks
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [*MONITOR, "--config", str(root / "config.toml"), "ingest", str(files[0].parent)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            # Not the caller's folder: the forkserver runs `python -c`, which puts the
            # working folder first on sys.path, so from a checkout its workers would import
            # that checkout's monitor whatever PYTHONPATH names (bench_ingest_vs --other).
            cwd=root,
        )
        peak, main_cpu, tree_cpu = _watch_memory(proc)
    wall = time.perf_counter() - start
    err = log.read_bytes()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: some inputs failed (the dumps hold a few)
        raise SystemExit(f"monitor ingest exited {proc.returncode}: {err.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, max(cpu, tree_cpu), peak / 1024, _steady_rate(err), main_cpu)


def _watch_memory(proc: subprocess.Popen[bytes]) -> tuple[int, float, float]:
    """Peak of the summed VmRSS (KB) of proc and its descendants, sampled every 20 ms in
    a thread until it exits: the workers exit before the run ends, so their own VmHWM
    cannot be read afterwards. And the CPU seconds of proc alone and of every process of
    the tree, each at its last sample (RUSAGE_CHILDREN misses the forkserver and its
    workers: nobody waits for the forkserver, which outlives the ingest by a moment)."""
    peak = [0]
    ticks: dict[int, int] = {}  # each process's CPU at its last sample

    def sample() -> None:
        while proc.poll() is None:
            tree = [proc.pid, *_children(proc.pid)]
            peak[0] = max(peak[0], sum(_status_kb(pid, "VmRSS:") for pid in tree))
            for pid in tree:
                ticks[pid] = max(ticks.get(pid, 0), _cpu_ticks(pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    proc.wait()
    watcher.join()
    tick = os.sysconf("SC_CLK_TCK")
    return peak[0], ticks.get(proc.pid, 0) / tick, sum(ticks.values()) / tick


def _cpu_ticks(pid: int) -> int:
    """User + system clock ticks of one process (not its children), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def html_throughput(corpus: Path | None, n: int, rounds: int) -> None:
    """Rounds interleave the baseline and the ingests, and the median of each is reported,
    so a slow drift of the machine reaches all of them. Other work on the second core
    slows only the pool: the load printed says how fair the run was."""
    cores = len(os.sched_getaffinity(0))
    files = html_pages(corpus, n, Path(tempfile.mkdtemp(prefix="monitor-pages-")) / "inbox")
    n = len(files)
    base: list[tuple[float, float]] = []
    fresh: list[float] = []  # the same, in a fresh process: start and import included
    runs: dict[int, list[Run]] = {cores: [], 0: []}
    for _ in range(rounds):
        base.append(trafilatura_alone(files))
        fresh.append(trafilatura_process(files))
        for workers in runs:
            runs[workers].append(monitor_ingest(files, workers))
    wall = statistics.median(b[0] for b in base)
    cpu = statistics.median(b[1] for b in base)
    size = sum(f.stat().st_size for f in files) // n // 1024
    what = "aeb pages" if corpus else "synthetic pages"
    print(f"HTML: {n} {what} of {size} KB on average, median of {rounds} interleaved rounds")
    print(
        f"  trafilatura.extract alone, 1 core : {n / wall:6.1f} pages/s, "
        f"{cpu / n * 1000:5.1f} CPU ms/page  (baseline)"
    )
    whole = statistics.median(fresh)
    print(
        f"  the same in a fresh python process : {n / whole:6.1f} pages/s "
        f"(python's start and `import trafilatura` included)"
    )
    for workers, got in runs.items():
        w = statistics.median(r.wall for r in got)
        c = statistics.median(r.cpu for r in got)
        mb = statistics.median(r.peak_mb for r in got)
        label = f"{workers} workers" if workers else "in-process"
        print(
            f"  monitor ingest, {label:10s}       : {n / w:6.1f} pages/s ({wall / w:.2f}x "
            f"baseline), {c / n * 1000:5.1f} CPU ms/page, peak RSS summed {mb:.0f} MB; "
            f"{_steady(got)} once started; {whole / w:.2f}x the fresh process"
        )


def text_throughput(corpus: Path | None, n: int, rounds: int) -> None:
    cores = len(os.sched_getaffinity(0))
    files = text_files(corpus, n, Path(tempfile.mkdtemp(prefix="monitor-texts-")) / "inbox")
    got = [monitor_ingest(files, cores) for _ in range(rounds)]
    w = statistics.median(r.wall for r in got)
    c = statistics.median(r.cpu for r in got)
    what = "aeb text dumps" if corpus else "seed-sized files"
    print(
        f"Text: {len(files)} {what}, `monitor ingest` (start-up included): "
        f"{len(files) / w:6.1f} docs/s, {c / len(files) * 1000:5.1f} CPU ms/doc, "
        f"peak RSS summed {statistics.median(r.peak_mb for r in got):.0f} MB; "
        f"{_steady(got)} once started"
    )


def _steady(got: list[Run]) -> str:
    rates = [r.steady for r in got if r.steady is not None]
    return f"{statistics.median(rates):.1f}/s" if rates else "?"


def stages(corpus: Path | None, n: int) -> None:
    """CPU ms per page of each step, in this process (workers = 0): every step wrapped
    with the thread's CPU clock; the write is Writer.article."""
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def run(*args):  # type: ignore[no-untyped-def]
            start = time.thread_time()
            try:
                return fn(*args)
            finally:
                spent[name] += time.thread_time() - start

        return run

    for kind, files in (
        ("HTML", html_pages(corpus, n, Path(tempfile.mkdtemp()) / "inbox")),
        ("text", text_files(corpus, n, Path(tempfile.mkdtemp()) / "inbox")),
    ):
        spent.clear()
        root = workspace("[pipeline]\nworkers = 0\n")
        start = time.thread_time()
        service = Service.build(load(root / "config.toml"))
        build = time.thread_time() - start
        pipeline.PURE_STEPS = tuple((name, timed(name, f)) for name, f in _PURE)
        steps = service.pipeline
        service.pipeline = pipeline.Pipeline(
            ahead=[(name, timed(name, f)) for name, f in steps.ahead],
            in_order=[
                (name, lambda arts, name=name, make=make: timed(name, timed(name, make)(arts)))
                for name, make in steps.in_order
            ],
            pure=steps.pure,
            warmers=steps.warmers,
        )
        start = time.thread_time()
        service.warm_up()
        spent.clear()  # the warm-up's own sample page is not one of the inputs
        spent["start-up (build)"] = build
        spent["warm-up"] = time.thread_time() - start
        writer_article = service.writer.__class__.article
        service.writer.__class__.article = timed("store", writer_article)  # type: ignore[method-assign]
        start = time.thread_time()
        try:
            service.ingest(files)
        finally:
            service.writer.__class__.article = writer_article  # type: ignore[method-assign]
            pipeline.PURE_STEPS = _PURE
            service.close()
        total = time.thread_time() - start
        once = {k: spent.pop(k) for k in ("start-up (build)", "warm-up")}
        per = {k: v * 1000 / len(files) for k, v in spent.items()}
        rest = total * 1000 / len(files) - sum(per.values())
        print(
            f"CPU ms per {kind} input, in-process, {len(files)} inputs: "
            + ", ".join(f"{k} {v:.2f}" for k, v in per.items())
            + f", the rest (reading, ledger, batching) {rest:.2f}; once per process: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in once.items())
        )


_PURE = pipeline.PURE_STEPS


def _watching(
    command: list[str], root: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`monitor run` on root's config.toml, returned once it logs "watching" (its log on
    a pipe: read it on, or it fills and blocks the daemon)."""
    daemon = subprocess.Popen(
        [*command, "--config", str(root / "config.toml"), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert daemon.stderr is not None
    for line in daemon.stderr:
        if '"watching"' in line:
            break
    return daemon


def startup(rounds: int) -> None:
    """`monitor ingest` of one file and `monitor run` until "watching", as processes."""
    one = sorted((REPO / "seeds").glob("*.txt"))[0]
    floor, ingest_one, run_ready = [], [], []
    for _ in range(rounds + 1):  # the first run fills the vocabulary cache: not counted
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        floor.append(time.perf_counter() - start)
        root = workspace("[pipeline]\nworkers = 2\n")
        start = time.perf_counter()
        subprocess.run(
            [*MONITOR, "--config", str(root / "config.toml"), "ingest", str(one)],
            check=True,
            capture_output=True,
        )
        ingest_one.append(time.perf_counter() - start)
        start = time.perf_counter()
        daemon = _watching(MONITOR, root)
        run_ready.append(time.perf_counter() - start)
        daemon.terminate()
        daemon.communicate(timeout=30)
    med = {k: statistics.median(v[1:]) for k, v in
           (("floor", floor), ("ingest", ingest_one), ("run", run_ready))}  # fmt: skip
    print(
        f"Start-up, median of {rounds}, vocabularies cached: python -c pass "
        f"{med['floor']:.2f} s; monitor ingest of one text file {med['ingest']:.2f} s; "
        f"monitor run to watching {med['run']:.2f} s"
    )


def latency(drops: int) -> None:
    # Every drop is a distinct article; later articles of a story alert too (updates =
    # "alert", no cooldown), so each drop is timed from its rename to its alert.
    root = workspace('[stories]\nupdates = "alert"\ncooldown_minutes = 0\n')
    log = root / "alerts.jsonl"
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    daemon = _watching([sys.executable, "-m", "monitor"], root, env)
    assert daemon.stderr is not None
    # Read the rest of its log meanwhile: a pipe nobody reads fills and blocks the daemon.
    threading.Thread(target=daemon.stderr.read, daemon=True).start()
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
    hwm = {pid: _status_kb(pid, "VmHWM:") for pid in [daemon.pid, *_children(daemon.pid)]}
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
    """Every descendant, from /proc (each thread's `children`: the forkserver is started
    by a thread). Not `pgrep -P`: a pgrep every 20 ms is a child of this process, and its
    CPU counted in the run's (RUSAGE_CHILDREN), 20-40% of a loaded run's figure."""
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                kids += [int(k) for k in (task / "children").read_text().split()]
    except OSError:  # gone meanwhile
        return []
    return kids + [g for k in kids for g in _children(k)]


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:  # gone meanwhile
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=AEB)
    parser.add_argument("--pages", type=int, default=300, help="at most this many pages")
    parser.add_argument("--texts", type=int, default=300, help="at most this many texts")
    parser.add_argument("--drops", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    configure("error", "json")
    compile_bytecode(REPO)
    # Every folder this run makes goes under one, removed at the end (pages, stores).
    base = tempfile.mkdtemp(prefix="monitor-bench-")
    tempfile.tempdir = base
    try:
        run(args)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    busy = os.getloadavg()[0]
    print(f"load average before: {busy:.1f} on {len(os.sched_getaffinity(0))} cores")
    startup(args.rounds)
    html_throughput(args.corpus, args.pages, args.rounds)
    text_throughput(args.corpus, args.texts, args.rounds)
    stages(args.corpus, args.pages)
    latency(args.drops)


if __name__ == "__main__":
    main()
