"""Workers forked warm (issue 19): the pool's forkserver imports and warms the extractor
once, and every worker, the first ones and those that replace a stuck one, is forked
from it instead of importing trafilatura itself.

In-process, with real worker processes; what is checked is what the processes hold
(the libraries mapped into the forkserver), never how long anything took.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

from monitor import pipeline
from monitor.batches import TEXT_BACKLOG, Job
from monitor.config import load
from monitor.models import Article, Item
from monitor.outcomes import no_record
from monitor.service import Service
from monitor.workers import Extractor

PAGE = (
    "<html><head><title>Harbour strike</title></head><body><article><h1>Harbour strike</h1>"
    + "<p>Dock workers in the port stopped work on Monday over unpaid wages.</p>" * 4
    + "</article></body></html>"
).encode()


def _server_of(extractor: Extractor) -> int:
    """The forkserver: the parent of the pool's workers."""
    pool = extractor._pool
    assert pool is not None
    (worker, *_) = pool._processes.values()  # type: ignore[attr-defined]
    stat = Path(f"/proc/{worker.pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _has_lxml(pid: int) -> bool:
    """lxml's compiled etree is mapped into the process: it imported the extractor."""
    return "lxml/etree" in Path(f"/proc/{pid}/maps").read_text()


def test_the_workers_fork_from_a_server_that_loaded_the_extractor_and_so_do_new_ones() -> None:
    extractor = Extractor(1, 60.0)
    item = Item("/in/page.html", PAGE, "html", datetime.now(UTC))
    try:
        assert extractor.result(extractor.submit(item), item).title == "Harbour strike"
        server = _server_of(extractor)
        assert server != os.getpid() and _has_lxml(server)
        extractor.restart()  # as after a stuck worker: a new pool, from the same warm server
        assert _server_of(extractor) == server
        assert extractor.result(extractor.submit(item), item).title == "Harbour strike"
    finally:
        extractor.close()


def test_texts_go_to_the_workers_only_in_a_backlog_that_pages_started_them_for(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """A text dropped alone, and a backlog of texts alone, are cleaned in the main process
    (a pool started for texts cost more than it saved); once pages have started the
    workers, the texts of a backlog (from the TEXT_BACKLOG-th input of a run) are cleaned
    there, and stored as the main process would have stored them."""
    settings = load(make_config("[pipeline]\nworkers = 1\n"))
    inbox = tmp_path / "inbox"
    texts, pages = [], []
    for n in range(2 * TEXT_BACKLOG + 4):
        seed = seeds[n % len(seeds)].read_text(encoding="utf-8")
        texts.append(inbox / f"{n:03d}.txt")
        texts[-1].write_text(f"{seed}\nUpdate {n} from our correspondent.\n", encoding="utf-8")
    for n in range(3):
        pages.append(inbox / f"page-{n}.html")
        pages[-1].write_bytes(PAGE.replace(b"Monday", f"Monday {n}".encode()))
    service = Service.build(settings)
    extractor = service.extractor
    to_workers: list[str] = []  # the inputs submitted to the pool, not extracted here
    submit = extractor.submit

    def recorded(item: Item, here: bool = False) -> Future[Article]:
        future = submit(item, here)
        if future in extractor._queued_in:  # what submit() queued in a pool
            to_workers.append(item.origin)
        return future

    extractor.submit = recorded  # type: ignore[method-assign]
    try:
        batches = service.batches
        text_job = Job(Item("/in/a.txt", b"Some text.", "text", datetime.now(UTC)), no_record)
        page_job = Job(Item("/in/a.html", PAGE, "html", datetime.now(UTC)), no_record)
        assert service.process_file(texts[0]) == "new"
        counts = service.ingest(texts[1 : TEXT_BACKLOG + 2])
        assert not service.extractor.running  # a backlog of texts alone: no pool
        assert batches._here(text_job, TEXT_BACKLOG) and not batches._here(page_job, 0)
        counts += service.ingest(pages + texts[TEXT_BACKLOG + 2 :])
        assert service.extractor.running  # started by the pages
        assert {str(p) for p in pages} <= set(to_workers)
        # the backlog's texts from the TEXT_BACKLOG-th input of the run on went there,
        # none before, none of the earlier runs
        assert [o for o in to_workers if o.endswith(".txt")] == [
            str(t) for t in texts[TEXT_BACKLOG + 2 :][TEXT_BACKLOG - len(pages) :]
        ]
        assert batches._here(text_job, TEXT_BACKLOG - 1)  # not a backlog: here
        assert not batches._here(text_job, TEXT_BACKLOG)  # a backlog: to the workers
        stored = dict(service.store.db.execute("SELECT origin, text FROM articles").fetchall())
    finally:
        service.close()
    assert counts["failed"] == 0 and sum(counts.values()) == len(texts) + len(pages) - 1
    # the last text of the run, cleaned in the worker: the same body as cleaned here
    last = texts[-1]
    here = pipeline.prepare(Item(str(last), last.read_bytes(), "text", datetime.now(UTC)))
    assert stored[str(last)] == here.body
