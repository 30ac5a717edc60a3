"""Ingestion speed with an alert channel down, against the same run with it up.

Delivery happens in the dispatcher's threads, never in the ingest path, so a dead
webhook must not slow ingestion. This measures it: N article files ingested through the
full pipeline with the dispatcher running, once with a webhook receiver that answers 200
and once with the webhook's port closed (every delivery fails and is retried).

    .venv/bin/python bench/bench_alerts.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from servers import free_port, webhook_server  # noqa: E402

from monitor.config import load  # noqa: E402
from monitor.ops.logging import configure  # noqa: E402
from monitor.service import Service  # noqa: E402


def make_inbox(folder: Path, n: int) -> list[Path]:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    files = []
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        path = folder / f"{i:05d}.txt"
        # A distinct closing line per copy, so each is a new article and each alerts.
        path.write_text(
            f"{text}\nتحديث رقم {i} من المراسل في العاصمة مساء اليوم.\n", encoding="utf-8"
        )
        files.append(path)
    return files


def run(url: str, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inbox").mkdir()
        (root / "config.toml").write_text(
            '[inbox]\npaths = ["inbox"]\n[alerts]\nconsole = false\nbackoff_seconds = 0.05\n'
            "max_backoff_seconds = 0.2\n"
            f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\nurl = "{url}"\ntimeout = 1\n'
            '[[alerts.rules]]\nname = "all"\nchannels = ["ops", "log"]\n',
            encoding="utf-8",
        )
        files = make_inbox(root / "inbox", n)
        service = Service.build(load(root / "config.toml"))
        service.dispatcher.start()
        start = time.perf_counter()
        counts = service.ingest(files)
        elapsed = time.perf_counter() - start
        service.close()
        assert counts["new"] == n, counts
        return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    configure("error", "json")
    with webhook_server() as server:
        up = run(server.url(), n)
    down = run(f"http://127.0.0.1:{free_port()}/hook", n)
    up_again = None
    with webhook_server() as server:
        up_again = run(server.url(), n)
    print(f"{n} articles, full pipeline, dispatcher running")
    print(f"  webhook up      : {n / up:7.1f} articles/s")
    print(f"  webhook down    : {n / down:7.1f} articles/s  ({down / up:.2f}x the time)")
    print(f"  webhook up again: {n / up_again:7.1f} articles/s  (noise check)")


if __name__ == "__main__":
    main()
