"""Inputs through the pipeline in batches, each outcome handed to the Writer.

A batch is extracted and tagged (in the worker processes), then grouped into stories as
a whole, then stored article by article in arrival order, while the next batch is being
extracted. Apart from the service so that the order of that work, and what a stop, a
stuck or dead worker or a bug costs, can be read in one place; the service reads the
inputs (files against the ledger, feed entries) and hands them here as Jobs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from typing import TypeVar

import structlog

from monitor import pipeline
from monitor.grouped_commits import CommitGroup
from monitor.models import Article, Item, Rejected
from monitor.outcomes import Outcome, Record, Writer
from monitor.workers import BrokenProcessPool, Extractor

log = structlog.get_logger("monitor")

# Inputs read ahead (this batch and the next) stay in memory until stored: at most this
# many bytes of them; a batch is cut short when they would be more.
READ_AHEAD_BYTES = 128 * 1024 * 1024

# From this many inputs into a run on, its text inputs are cleaned in the workers too,
# if pages have started them.
TEXT_BACKLOG = 16

_K = TypeVar("_K")


@dataclass(frozen=True)
class Job:
    """An input read and due for the pipeline, and how to record its outcome."""

    item: Item
    record: Record


def completed(item: Item) -> Future[Article]:
    """prepare() run here and now, as a finished future (the in-process fallback)."""
    return Extractor(0, 0).submit(item)


@dataclass(frozen=True)
class Batches:
    """The steps and workers in force (the service makes one for each run of inputs, so
    a reload's new pipeline is used from the next run on)."""

    size: int  # [pipeline] batch
    extractor: Extractor
    pipeline: pipeline.Pipeline
    writer: Writer

    def run(
        self,
        jobs: Iterable[tuple[_K, Job | Outcome]],
        stop: threading.Event | None = None,
        alive: Callable[[], None] | None = None,
    ) -> Iterator[tuple[_K, Outcome]]:
        """Inputs in batches (up to [pipeline] batch, and READ_AHEAD_BYTES read ahead): each
        batch is extracted and tagged, then grouped into stories as a whole, then stored
        article by article in arrival order. The next batch is extracted meanwhile, so
        the workers are busy while this thread stores (a batch cannot be stored before
        all of it is tagged: its grouping needs every article)."""
        submitted: deque[tuple[_K, Job, Future[Article]]] = deque()
        size = self.size
        # The batch being stored, the next one, and a few more to keep the workers busy.
        limit = 2 * size + max(1, 4 * self.extractor.workers)
        held = 0  # bytes of the submitted inputs
        read = 0  # inputs of this run so far
        for key, job in jobs:
            if stop is not None and stop.is_set():
                break
            if isinstance(job, str):
                yield key, job
                continue
            future = self.extractor.submit(job.item, self._here(job, read))
            read += 1
            submitted.append((key, job, future))
            held += len(job.item.raw)
            # Extracted here and now: submit() says so by a finished future (it may keep a
            # text here that was meant for the workers while they warm up).
            if alive is not None and future.done():
                alive()
            while len(submitted) >= limit or held > READ_AHEAD_BYTES:
                batch = [submitted.popleft() for _ in range(min(size, len(submitted)))]
                held -= sum(len(j.item.raw) for _, j, _ in batch)
                yield from self.finish(batch, stop, alive)
        while submitted:
            if stop is not None and stop.is_set():
                for _key, _job, future in submitted:
                    future.cancel()  # not recorded: the next start processes them
                return
            batch = [submitted.popleft() for _ in range(min(size, len(submitted)))]
            yield from self.finish(batch, stop, alive)

    def _here(self, job: Job, read: int) -> bool:
        """Extract in this process: a text input, unless it is one of a backlog and the
        workers are up already. The cleaner takes 2-4 ms a text where the rest of the
        pipeline takes 10 in this process anyway: a pool started for texts alone cost
        more than it saved (181 text dumps: the same rate, 8% more CPU, twice the memory,
        docs/benchmarks.md; tried again in issue 19's fifth round, CPU sampled per
        process: this process 4 ms a dump less, 6 ms more over all processes, peak RSS
        209 -> 418 MB, and a lower rate on a shared machine; on 552 mostly short texts
        0.7 ms less here for 3 more in all). Once pages have started it, this process
        is the bottleneck of a backlog, and decode and clean, a third of a text's cost,
        run in the workers (from the TEXT_BACKLOG-th input of a run on). Pages go to the
        workers when there are any: there trafilatura's 25 ms a page runs on both
        cores, and a hostile page meets its time limit. A run of texts alone
        (Extractor.texts_alone: `monitor ingest` of a backlog of texts) sends every text
        to its one warm worker: this process keeps a core for the rest."""
        if pipeline.is_html(job.item) or self.extractor.texts:
            return False
        return read < TEXT_BACKLOG or not self.extractor.running

    def finish(
        self,
        batch: list[tuple[_K, Job, Future[Article]]],
        stop: threading.Event | None,
        alive: Callable[[], None] | None,
    ) -> Iterator[tuple[_K, Outcome]]:
        """One batch: every input through the steps that read nothing stored (failures
        recorded as they come), then the batch planned as a whole (Pipeline.batch), then
        each article stored in arrival order. A stop leaves the rest unrecorded, so the
        next start reads them again; nothing of the batch is half-written."""

        def stopped() -> bool:
            return stop is not None and stop.is_set()

        ready: list[tuple[_K, Job, Article]] = []
        for n, (key, job, future) in enumerate(batch):
            if stopped():
                for _key, _job, pending in batch[n:]:
                    pending.cancel()
                return
            prepared = self._prepared(job, future)
            if isinstance(prepared, str):
                yield key, prepared
            else:
                ready.append((key, job, prepared))
            if alive is not None:
                alive()
        if stopped():
            return
        articles = [article for _, _, article in ready]
        finish = None
        try:
            if articles:
                finish = self.pipeline.batch(articles)
        except Exception:  # a bug in grouping must cost the grouping, not the articles
            log.exception("could not group a batch; each article is grouped alone")
        yield from self._stored(ready, finish, stopped)

    def _stored(
        self,
        ready: list[tuple[_K, Job, Article]],
        finish: pipeline.Step | None,
        stopped: Callable[[], bool],
    ) -> Iterator[tuple[_K, Outcome]]:
        """The batch's articles stored in arrival order, a few to a transaction
        (grouped_commits.py): each outcome is handed on once its transaction has
        committed, and no transaction is open while the caller has it. A stop commits
        the articles written whole and leaves the rest unrecorded."""
        group = CommitGroup(self.writer.store)
        grouped = replace(self, writer=replace(self.writer, group=group))
        done: list[tuple[_K, Outcome]] = []
        try:
            for key, job, article in ready:
                if stopped():
                    break
                group.begin()
                done.append((key, grouped._store(job, article, finish)))
                if group.due():
                    group.commit()
                    yield from done
                    done = []
        finally:
            # On an error too: the inputs written before it are whole, and kept.
            group.commit()
        yield from done

    def _prepared(self, job: Job, future: Future[Article]) -> Article | Outcome:
        """The steps that read nothing stored; a failure is recorded and its Outcome
        returned."""
        future = self.extractor.rescue(future, job.item)
        try:
            return self.pipeline.run_ahead(self.extractor.result(future, job.item))
        except Rejected as exc:
            return self.fail(job, exc.reason)
        except FutureTimeout:
            self.extractor.restart()  # the stuck worker goes with its pool
            reason = (
                f"extraction took longer than {self.extractor.timeout:g} s (a hostile or "
                "broken page?); raise [pipeline] extract_timeout to allow more"
            )
            return self.fail(job, reason)
        except (BrokenProcessPool, CancelledError):
            # A worker died (killed, out of memory). Not this input's fault: retry in-process.
            self.extractor.restart()
            log.warning("extraction worker died; retrying in-process", path=job.item.origin)
            return self._prepared(job, completed(job.item))
        except Exception as exc:  # a bug must cost one input, not the daemon
            return self._internal_error(job, exc)

    def _store(self, job: Job, article: Article, finish: pipeline.Step | None) -> Outcome:
        """The steps that read the store, then the article, its ledger entry and its
        alerts in one transaction (Writer.article). `finish` is the batch's
        (Pipeline.batch); None: the article is a batch of its own."""
        try:
            article = (finish or self.pipeline.batch([article]))(article)
        except Rejected as exc:
            return self.fail(job, exc.reason)
        except Exception as exc:  # a bug must cost one input, not the daemon
            return self._internal_error(job, exc)
        return self.writer.article(article, job.item.origin, job.record)

    def _internal_error(self, job: Job, exc: Exception) -> Outcome:
        log.exception("internal error while processing an input", path=job.item.origin)
        return self.fail(job, f"internal error ({type(exc).__name__}: {exc}); please report it")

    def fail(self, job: Job, reason: str) -> Outcome:
        """An input read and due for the pipeline failed: recorded with its bytes."""
        item = job.item
        return self.writer.failure(
            item.origin, reason, item.sha256, len(item.raw), item.raw, job.record
        )
