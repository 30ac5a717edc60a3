"""The start of a run of pages (issue 19): when the worker pool is up by the time the
first page comes (its server prestarted by `monitor ingest`), the pages are handed to the
workers first, and the main process warms its own models while it waits for their first
results, instead of leaving the workers idle while it warms them.

In-process, with a real pool of one worker process and a real store; what is checked is
the order of what happened (recorded as it happens), never how long anything took.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from itertools import pairwise
from pathlib import Path

from monitor.batches import TEXT_BACKLOG
from monitor.config import load
from monitor.models import Article, Item
from monitor.service import Service
from tests.running import wait_for

PAGE = (
    "<html><head><title>Harbour strike {n}</title></head><body><article>"
    "<h1>Harbour strike {n}</h1>"
    + "<p>Dock workers in port {n} stopped work on Monday over unpaid wages.</p>" * 4
    + "</article></body></html>"
)


def test_a_pool_up_first_gets_the_pages_before_the_models_warm_up(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    settings = load(make_config("[pipeline]\nworkers = 1\n"))
    inbox = tmp_path / "inbox"
    pages = []
    for n in range(4):
        pages.append(inbox / f"page-{n}.html")
        pages[-1].write_text(PAGE.format(n=n), encoding="utf-8")
    texts = []
    for n in range(TEXT_BACKLOG + 4):
        texts.append(inbox / f"{n:03d}.txt")
        seed = seeds[n % len(seeds)].read_text(encoding="utf-8")
        texts[-1].write_text(f"{seed}\nUpdate {n} from our correspondent.\n", encoding="utf-8")
    service = Service.build(settings)
    extractor = service.extractor
    events: list[tuple[str, str]] = []  # ("submitted", origin) / ("extracted here", ...)
    warmers = list(extractor._meanwhile)
    assert warmers  # the service's pipeline warmers, each run once while waiting

    def recorded(warmer: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            events.append(("warm-up", ""))
            return warmer()

        return run

    submit = extractor.submit

    def recorded_submit(item: Item, here: bool = False) -> Future[Article]:
        future = submit(item, here)
        queued = future in extractor._queued_in  # what submit() queued in the pool
        events.append(("submitted" if queued else "extracted here", item.origin))
        return future

    extractor._meanwhile = deque(recorded(w) for w in warmers)
    extractor.submit = recorded_submit  # type: ignore[method-assign]
    try:
        # The pool up and warm before the first page, as when `monitor ingest` prestarted
        # its server and the service took longer to build than the server to warm.
        extractor._start()
        wait_for(extractor._warm, "the worker pool to warm up", timeout=120)
        counts = service.ingest(pages)
        on_pages = list(events)
        events.clear()
        beat = lambda: events.append(("heartbeat", ""))  # noqa: E731
        on_texts = [outcome for _, outcome in service.process_files(texts, alive=beat)]
    finally:
        service.close()
    assert counts["new"] == len(pages)
    assert [origin for what, origin in on_pages if what == "submitted"] == [str(p) for p in pages]
    # Every page handed to the worker before any warmer ran (if one ran at all: a worker
    # that answered before the main process asked leaves it nothing to wait for), and
    # each warmer run once at most.
    last_page = max(i for i, (what, _) in enumerate(on_pages) if what == "submitted")
    assert all(i > last_page for i, (what, _) in enumerate(on_pages) if what == "warm-up")
    assert sum(what == "warm-up" for what, _ in on_pages + events) <= len(warmers)

    # The daemon's heartbeat as inputs are read: one for each input submit() extracted
    # here and now (the backlog's first texts); none for one it queued in the pool,
    # unless the worker had answered already (a busy machine can hold this thread back
    # that long), which is progress too.
    assert "failed" not in on_texts and len(on_texts) == len(texts)
    reads = [i for i, (what, _) in enumerate(events) if what in ("extracted here", "submitted")]
    kinds = [events[i][0] for i in reads]
    assert kinds == ["extracted here"] * TEXT_BACKLOG + ["submitted"] * 4
    for i, j in pairwise(reads):
        between = [what for what, _ in events[i + 1 : j] if what != "warm-up"]
        if events[i][0] == "extracted here":
            assert between == ["heartbeat"]
        else:
            assert between in ([], ["heartbeat"])
