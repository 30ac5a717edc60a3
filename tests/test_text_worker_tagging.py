"""Tagging in the text worker (issue 19): in a backlog of texts alone, the worker that
cleans the texts tags them too from the second batch on, with taggers rebuilt from the
main process's recipe and their tables read from the vocabulary cache, never compiled
there. What is checked: the tags are the main process's own, a worker never compiles, an
article tagged by other taggers is tagged again, and a reload's taxonomy reaches the
worker. Never a time.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import write_config

from monitor import pipeline, workers
from monitor.assembly import build_taggers
from monitor.config import Settings
from monitor.models import Article, Item
from monitor.tagging.compiled import NotCompiled, VocabularyCache
from monitor.tagging.recipe import Packed, pack
from monitor.tagging.sorted_table import SortedTable
from monitor.tagging.terms import _DICTS_AFTER


@pytest.fixture(scope="module")
def step() -> pipeline.TagStep:
    """The shipped taggers, as the service builds them (their tables from the cache)."""
    topics, entities = build_taggers(Settings())
    return pipeline.TagStep(topics, entities)


def _article(path: Path) -> Article:
    item = Item(str(path), path.read_bytes(), "text", datetime.now(UTC))
    return pipeline.prepare(item)


def test_a_worker_rebuilds_the_same_taggers_from_the_recipe(
    step: pipeline.TagStep, seeds: list[Path]
) -> None:
    packed = step.packed()
    assert packed is not None and packed.key == step.key
    topics, entities = packed.taggers()
    there = pipeline.TagStep(topics, entities, key=packed.key)
    for path in seeds:
        here, tagged = step(_article(path)), there(_article(path))
        assert tagged.tagged_by == step.key and not here.tagged_by
        assert (tagged.topics, tagged.entities, tagged.mentions) == (
            here.topics,
            here.entities,
            here.mentions,
        )
    assert any(step(_article(path)).topics for path in seeds)  # the seeds are on the beat
    # A worker's share of a backlog is a few hundred texts: its tables stay sorted past
    # the finds after which the main process's are built into dicts (terms._DICTS_AFTER).
    article = _article(seeds[0])
    for _ in range(_DICTS_AFTER + 1):
        there(article)
    assert isinstance(topics.matcher._single, SortedTable)
    assert not topics.cache.compile and not topics.cache.dicts


def test_an_article_tagged_by_these_taggers_is_not_tagged_again_others_are(
    step: pipeline.TagStep, seeds: list[Path]
) -> None:
    article = _article(seeds[0])
    tagged = step(article)
    assert tagged.topics  # so that an empty result below means "not tagged"
    marked = replace(article, tagged_by=step.key)  # as a worker with this recipe sends it
    assert step(marked) is marked
    stale = replace(article, tagged_by="0" * 32)  # a worker started before a reload
    assert step(stale).topics == tagged.topics


def test_no_recipe_for_taggers_a_worker_cannot_rebuild(
    step: pipeline.TagStep, tmp_path: Path
) -> None:
    from monitor.tagging.entities import EntityTagger
    from monitor.tagging.topics import TopicTagger

    assert pack(object(), object()) is None  # a test's own taggers
    uncached = (TopicTagger(step.topics.taxonomy), EntityTagger(step.entities.gazetteer))
    assert pack(*uncached) is None  # no cache: each process compiles its own
    assert pipeline.TagStep(*uncached).key == ""


def test_a_read_only_cache_never_compiles(step: pipeline.TagStep, tmp_path: Path) -> None:
    """A worker's taggers over an empty cache folder: NotCompiled, no file written, and
    the worker sends the article back untagged for the main process to tag."""
    cache = VocabularyCache(tmp_path, compile=False)
    with pytest.raises(NotCompiled):
        cache.get("topics-none", lambda: {"built": 1}, lambda _tables: True)
    packed = step.packed()
    assert packed is not None
    elsewhere = pack(*_with_folder(step, tmp_path))
    assert elsewhere is not None
    saved = workers._Tagging.recipe, workers._Tagging._step
    try:
        workers._Tagging.recipe, workers._Tagging._step = elsewhere, None
        article = replace(_article(_seed()), language="ar")
        assert workers._Tagging.step(article) is article
    finally:
        workers._Tagging.recipe, workers._Tagging._step = saved
    assert list(tmp_path.iterdir()) == []


def _seed() -> Path:
    return sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]


def _with_folder(step: pipeline.TagStep, folder: Path) -> tuple[object, object]:
    from monitor.tagging.entities import EntityTagger
    from monitor.tagging.topics import TopicTagger

    cache = VocabularyCache(folder)
    topics = TopicTagger(step.topics.taxonomy, cache, decision=step.topics.decision)
    return topics, EntityTagger(step.entities.gazetteer, cache)


def test_a_packed_recipe_is_what_the_worker_gets(step: pipeline.TagStep) -> None:
    packed = step.packed()
    assert isinstance(packed, Packed)
    assert step.packed() is packed  # made once
    assert len(packed.data) < 2_000_000  # sent once to each worker, not per article


# In a process of its own: the forkserver is one per process, and its preload is fixed by
# its first start, so a text-only server must not be the pytest worker's. It ingests a
# backlog of texts, reloads the configuration with a new topic (what SIGHUP does:
# Daemon._reload) and ingests a second backlog; it counts the texts this process tagged.
_RELOAD = """
import json, sys
from pathlib import Path
from monitor import config
from monitor.daemon import Daemon
from monitor.service import Service
from monitor.tagging.topics import TopicTagger
from monitor.workers import prestart

root = Path(sys.argv[1])
tagged_here = []
decide = TopicTagger.decide

def counted(self, doc):
    if not any("warm-up" in line.lower() for line in doc.lines):
        tagged_here.append(1)
    return decide(self, doc)

TopicTagger.decide = counted
prestart(2, texts=True)
service = Service.build(config.load(root / "config.toml"))
out = {}
try:
    for run in ("first", "second"):
        if run == "second":
            with (root / "config.toml").open("a", encoding="utf-8") as fh:
                fh.write('[topics.probe_topic]\\nthreshold = 1\\nterms = { "probeword" = 1 }\\n')
            assert Daemon(service)._reload()
        tagged_here.clear()
        files = sorted((root / run).iterdir())
        counts = service.ingest(files, texts_alone=True)
        out[run] = {
            "counts": dict(counts),
            "tagged_here": len(tagged_here),
            "workers": sorted(service.extractor._pool._processes),
        }
finally:
    service.close()
print(json.dumps(out))
"""


def test_a_reloaded_taxonomy_reaches_the_text_worker(tmp_path: Path, seeds: list[Path]) -> None:
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        for n in range(6):
            lines = seeds[n % 4].read_text(encoding="utf-8").splitlines()
            # In the body's longest line: a short last line is cut as boilerplate.
            longest = max(range(len(lines)), key=lambda i: len(lines[i]))
            lines[longest] += f" probeword {run} {n}"
            (folder / f"{run}-{n:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
    write_config(tmp_path, "[pipeline]\nworkers = 2\nbatch = 2\n")
    done = subprocess.run(
        [sys.executable, "-c", _RELOAD, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=tmp_path,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    for run in ("first", "second"):
        assert sum(out[run]["counts"].values()) == 6
        # The first batch (2) is tagged in this process, the other 4 in the worker.
        assert out[run]["tagged_here"] == 2
    # The worker built for the first taxonomy was ended, and a new one tagged the rest.
    assert set(out["first"]["workers"]).isdisjoint(out["second"]["workers"])
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        rows = conn.execute("SELECT origin, topics, text FROM articles").fetchall()
    assert len(rows) == 12
    assert all("probeword" in text for _origin, _topics, text in rows)
    for origin, topics, _text in rows:
        probed = "probe_topic" in json.loads(topics)
        assert probed == ("/second/" in origin), origin
