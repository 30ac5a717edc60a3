"""Workers forked warm (issue 19): the pool's forkserver imports and warms the extractor
once, and every worker, the first ones and those that replace a stuck one, is forked
from it instead of importing trafilatura itself.

In-process, with real worker processes; what is checked is what the processes hold
(the libraries mapped into the forkserver), never how long anything took.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from monitor.models import Item
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
