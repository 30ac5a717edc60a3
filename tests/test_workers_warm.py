"""Workers forked warm (issue 19): the pool's forkserver imports and warms the extractor
once, and every worker, the first ones and those that replace a stuck one, is forked
from it instead of importing trafilatura itself.

In-process, with real worker processes; what is checked is what the processes hold
(the libraries mapped into the forkserver), never how long anything took.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from running import wait_for

from monitor import pipeline
from monitor.batches import TEXT_BACKLOG, Job
from monitor.config import load
from monitor.models import Item
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


def test_the_texts_of_a_backlog_go_to_the_workers_and_are_stored_as_cleaned_here(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """A text dropped alone, and the first few of a run, are cleaned in the main process (a
    pool started for a few texts costs more than it saves); a backlog of texts, pages or
    not, is cleaned in the workers from the TEXT_BACKLOG-th input of a run on (issue 19:
    the main process, which tags, groups and stores, is the bottleneck). Its texts are
    stored as the main process would have stored them, in arrival order, and one that
    fails in a worker is recorded with its reason like one that fails here."""
    settings = load(make_config("[pipeline]\nworkers = 1\n"))
    inbox = tmp_path / "inbox"
    texts = []
    for n in range(3 * TEXT_BACKLOG + 6):
        seed = seeds[n % len(seeds)].read_text(encoding="utf-8")
        texts.append(inbox / f"{n:03d}.txt")
        texts[-1].write_text(f"{seed}\nUpdate {n} from our correspondent.\n", encoding="utf-8")
    stub = inbox / "zzz-stub.txt"  # the last input of the run: cleaned in a worker
    stub.write_text("Read more.\n", encoding="utf-8")
    service = Service.build(settings)
    try:
        batches = service.batches
        text_job = Job(Item("/in/a.txt", b"Some text.", "text", datetime.now(UTC)), no_record)
        page_job = Job(Item("/in/a.html", PAGE, "html", datetime.now(UTC)), no_record)
        assert service.process_file(texts[0]) == "new"
        counts = service.ingest(texts[1:TEXT_BACKLOG])
        assert not service.extractor.running  # a text alone, a short run: no pool
        assert batches._here(text_job, TEXT_BACKLOG - 1) and not batches._here(page_job, 0)
        assert not batches._here(text_job, TEXT_BACKLOG)  # a backlog: to the workers
        counts += service.ingest(texts[TEXT_BACKLOG : 2 * TEXT_BACKLOG + 2])
        assert service.extractor.running  # started by a backlog of texts alone
        # Meanwhile this process cleaned them (the pool warms up in a thread); once it is
        # warm, the texts of a backlog from the TEXT_BACKLOG-th on are the workers'.
        assert wait_for(service.extractor._warm, "the workers warm", timeout=120)
        counts += service.ingest([*texts[2 * TEXT_BACKLOG + 2 :], stub])
        rows = service.store.db.execute("SELECT origin, text FROM articles ORDER BY id")
        stored = list(rows.fetchall())
        failure = service.store.db.execute(
            "SELECT reason FROM failures WHERE origin = ?", (str(stub),)
        ).fetchone()
    finally:
        service.close()
    assert counts["failed"] == 1 and sum(counts.values()) == len(texts)
    assert [origin for origin, _ in stored] == [str(t) for t in texts]  # arrival order
    # the last texts of the run went to the worker: the same bodies as cleaned here
    for path, (_, body) in zip(texts[-3:], stored[-3:], strict=True):
        here = pipeline.prepare(Item(str(path), path.read_bytes(), "text", datetime.now(UTC)))
        assert body == here.body
    assert failure is not None and "no article text" in failure[0]
