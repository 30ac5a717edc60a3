"""A backlog of texts alone on the second core (issue 19): `monitor ingest` of a batch or
more of texts and no page starts a pool server that loads the text cleaner alone, and
one worker forked from it cleans every text while the main process tags, groups and
stores them. What is checked is where the work ran and what was stored, never a time.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import write_config
from running import cli

from monitor import pipeline, workers
from monitor.models import Item
from monitor.workers import Extractor

# Run in a process of its own: the forkserver is one per process, and its preload is
# fixed by its first start, so a text-only server must not be the pytest worker's.
_PROBE = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from monitor.models import Item
from monitor.workers import Extractor, prestart

prestart(2, texts=True)
extractor = Extractor(2, 60.0)
extractor.texts_alone()
item = Item("/in/a.txt", Path(sys.argv[1]).read_bytes(), "text", datetime.now(UTC))
try:
    article = extractor.result(extractor.submit(item), item)
    pool = extractor._pool
    (worker,) = pool._processes.values()
    stat = Path(f"/proc/{worker.pid}/stat").read_text()
    server = int(stat.rsplit(")", 1)[1].split()[1])
    maps = Path(f"/proc/{server}/maps").read_text()
    print(json.dumps({
        "workers": len(pool._processes),
        "server_has_lxml": "lxml/etree" in maps,
        "cleaned_here": "monitor.extract.clean" in sys.modules,
        "body": article.body,
        "title": article.title,
        "language": article.language,
    }))
finally:
    extractor.close()
"""


def test_texts_alone_go_to_one_worker_forked_from_a_server_without_trafilatura(
    seeds: list[Path],
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(seeds[0])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["workers"] == 1  # [pipeline] workers less one: the main process has a core
    assert not got["server_has_lxml"]  # the server never imported trafilatura
    assert not got["cleaned_here"]  # the main process never loaded the cleaner
    here = pipeline.prepare(Item("/in/a.txt", seeds[0].read_bytes(), "text", datetime.now(UTC)))
    assert (got["title"], got["body"]) == (here.title, here.body)
    assert got["language"]  # detected in the worker


def _articles(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, origin, title, text, text_norm, language, body_hash, duplicate_of, "
            "story, topics, entities, removed FROM articles ORDER BY id"
        ).fetchall()


def test_ingest_of_a_text_backlog_stores_what_the_main_process_alone_stores(
    tmp_path: Path, seeds: list[Path]
) -> None:
    """A batch of texts alone goes through the text worker; the same files with
    workers = 0 are stored the same, story by story."""
    inbox = tmp_path / "backlog"
    inbox.mkdir()
    for n in range(12):
        seed = seeds[n % len(seeds)].read_text(encoding="utf-8")
        text = f"{seed}\nUpdate {n} from our correspondent." if n % 5 else seed
        (inbox / f"{n:03d}.txt").write_text(text, encoding="utf-8")
    stores = []
    for count in (2, 0):
        folder = tmp_path / f"w{count}"
        folder.mkdir()
        config = write_config(folder, f"[pipeline]\nworkers = {count}\nbatch = 8\n")
        out = cli(config, "ingest", str(inbox))
        assert "12 files" in out.stdout
        stores.append(_articles(folder / "monitor.db"))
    assert len(stores[0]) >= 10
    assert stores[0] == stores[1]


def test_with_one_worker_a_text_backlog_stays_in_the_main_process() -> None:
    """One worker and this process would share a core: texts stay here, no server."""
    extractor = Extractor(1, 60.0)
    extractor.texts_alone()
    assert not extractor.texts and not extractor.running


def test_a_text_worker_that_cannot_start_leaves_the_texts_to_the_main_process(
    monkeypatch: pytest.MonkeyPatch, seeds: list[Path]
) -> None:
    """Texts never needed a pool before: one that cannot start costs the speed only."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no pool here")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", broken)
    extractor = Extractor(2, 60.0)
    extractor.texts_alone()
    item = Item("/in/a.txt", seeds[0].read_bytes(), "text", datetime.now(UTC))
    try:
        article = extractor.result(extractor.submit(item), item)
    finally:
        extractor.close()
    assert not extractor.texts  # the rest of the run is cleaned here too
    assert article.body == pipeline.prepare(item).body
