"""Where the pure pipeline steps run: in this process, or in a pool of worker processes.

HTML extraction is CPU-bound (trafilatura runs at about 41 pages/s on one core), so the
daemon spreads decode+extract (and the language detection) over the cores while one
thread tags, checks copies and writes to SQLite: that thread is the slower side of a
backlog, so what needs no store is done in the workers. The workers are forked warm from
a forkserver that imported the extractor once (worker_preload.py), and the pool starts
in a thread of its own while this process goes on. A pool also lets us bound the time
one hostile page may take: a worker stuck past `extract_timeout` is killed with its pool,
the file is recorded as failed, and a new pool takes over.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import signal
import threading
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from typing import Any

import structlog

from monitor import pipeline
from monitor.models import Article, Item
from monitor.text.language import LanguageDetector

__all__ = ["BrokenProcessPool", "Extractor"]

log = structlog.get_logger("monitor")


def _worker_init() -> None:
    # The daemon decides when to stop: a Ctrl-C in the terminal or systemd's SIGTERM to
    # the whole group must not kill a worker halfway; shutting the pool down ends them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    import logging

    logging.getLogger().setLevel(logging.WARNING)


class Extractor:
    def __init__(
        self, workers: int, timeout: float, meanwhile: Sequence[Callable[[], object]] = ()
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        # A run of texts alone (texts_alone()): fewer workers, warmed for texts.
        self.texts = False
        # Run here, one at a time, while this process would wait for the workers anyway
        # (the service's pipeline warmers: the language model, the tagging tables, the
        # MinHash permutations): while the first pool starts, until it is up, and the rest
        # while it waits for a result, so that the workers get their first pages as soon
        # as they can take them. `monitor ingest` of pages loaded them all before the pool
        # was handed its first page, which then waited a further half second.
        self._meanwhile = deque(meanwhile)
        self._pool: ProcessPoolExecutor | None = None
        # The pool being started (_start), and each worker's warm-up.
        self._starting: Future[tuple[ProcessPoolExecutor, list[Future[None]]]] | None = None
        # Which pool each pending future was queued in: inputs are read ahead, so when one
        # stuck input has its pool replaced, the others queued there fail with it and must
        # go to the new pool, not replace it again.
        self._queued_in: weakref.WeakKeyDictionary[Future[Article], ProcessPoolExecutor] = (
            weakref.WeakKeyDictionary()
        )
        # The manager threads of the pools replaced (restart): close() waits for them.
        self._ended: list[threading.Thread | None] = []

    def texts_alone(self) -> None:
        """This process's inputs are a backlog of texts and nothing else (`monitor ingest`
        knows its files): texts go to the pool from the first, not after TEXT_BACKLOG
        (batches.Batches._here), and the pool, when it starts, has one worker fewer than
        [pipeline] workers (at least one), warmed for texts without trafilatura. This
        process tags, groups and stores every text, about two thirds of a text's cost:
        it keeps a core, and the worker decodes, cleans and detects the language on the
        other one. Before the pool is started (a daemon's pages first), and only with two
        workers or more: with one, the worker and this process would share a core."""
        if self.workers > 1 and self._starting is None:
            self.texts = True

    @property
    def size(self) -> int:
        """The pool's number of worker processes."""
        return self.workers - 1 if self.texts else self.workers

    @property
    def parallel(self) -> bool:
        return self.workers > 0

    @property
    def running(self) -> bool:
        """The worker processes are up or starting (by the first input that needed them)."""
        return self._starting is not None

    def _get_pool(self) -> ProcessPoolExecutor:
        """The pool, started on first use and warm: a daemon that only ever sees single
        text files never pays for it (0.5 s of CPU and some 130 MB a worker)."""
        if self._pool is None:
            starting = self._start()
            try:
                # A pool forked from a server that is serving already (prestarted) is up
                # in tens of milliseconds: its workers get their pages first, and the
                # warm-up runs while this process waits for their first result.
                if not self._up_within(UP_SOON):
                    self._run_meanwhile(until=self._warm)
                pool, warming = starting.result()
            except BaseException:
                self._starting = None
                raise
            # Each worker loads what extraction needs before its first input, which would
            # otherwise count against that input's time limit (forked from the warm
            # forkserver, this is quick, unless the forkserver itself is still warming).
            try:
                for future in warming:
                    future.result()
            except BaseException:  # a worker died warming up: no half-started pool left
                self._starting = None
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            self._pool = pool
        return self._pool

    def _up_within(self, seconds: float) -> bool:
        """The pool up and warm within `seconds` (or failed to start: _get_pool says)."""
        starting = self._start()
        with contextlib.suppress(BaseException):
            _pool, warming = starting.result(timeout=seconds)
            wait(warming, timeout=seconds)
        return self._warm()

    def _run_meanwhile(self, until: Callable[[], bool]) -> None:
        """The warmers not run yet, each once, until what is waited for is there."""
        while self._meanwhile and not until():
            warmer = self._meanwhile.popleft()
            # A failure here is met again by the steps, and recorded with each input.
            with contextlib.suppress(Exception):
                warmer()

    def _start(self) -> Future[tuple[ProcessPoolExecutor, list[Future[None]]]]:
        """The pool being started, in a thread of its own, with each worker warming up.
        In a thread because starting a worker waits for the forkserver to be serving,
        and a new forkserver first imports and warms the extractor (worker_preload.py):
        meanwhile this thread goes on with the inputs it can handle alone."""
        if self._starting is None:
            starting: Future[tuple[ProcessPoolExecutor, list[Future[None]]]] = Future()
            self._starting = starting

            def start() -> None:
                try:
                    count = self.size
                    pool = ProcessPoolExecutor(
                        count, mp_context=forkserver(self.texts), initializer=_worker_init
                    )
                    warmer = warm_text if self.texts else warm
                    try:
                        starting.set_result((pool, [pool.submit(warmer) for _ in range(count)]))
                    except BaseException:
                        pool.shutdown(wait=False, cancel_futures=True)
                        raise
                except BaseException as exc:
                    starting.set_exception(exc)

            threading.Thread(target=start, name="worker pool start", daemon=True).start()
        return self._starting

    def _warm(self) -> bool:
        """The pool is up and its workers have warmed up (or failed to: _get_pool says)."""
        starting = self._start()
        if self._pool is not None:
            return True
        if not starting.done() or starting.exception() is not None:
            return starting.done()
        return all(future.done() for future in starting.result()[1])

    def warm_up(self) -> None:
        """Load what in-process extraction needs now instead of on the first file, so the
        first article dropped in is not the slow one. The pool is not started here: it
        starts, warm, when the first page needs it (submit); with workers, only text
        inputs are extracted here, so only the text cleaner is warmed."""
        if self.parallel:
            pipeline.prepare(Item("warm-up", _TEXT_SAMPLE, "text", datetime.now(UTC)))
        else:
            pipeline.prepare(Item("warm-up", _SAMPLE, "html", datetime.now(UTC)))

    def submit(self, item: Item, here: bool = False) -> Future[Article]:
        """Extract in a worker, or here and now when there are no workers or `here` is
        set (the caller's choice for text inputs: batches.Batches._here says why)."""
        if self.parallel and not here:
            # Work goes to whoever is free: while the workers warm up (the forkserver
            # importing trafilatura, a second or two on a busy machine), a text of a
            # backlog is cleaned here rather than wait. A page always waits for them: this
            # process has no extractor loaded (and a page's time limit needs a worker).
            # In a run of texts alone, this process has its own work to do meanwhile (the
            # warmers, in _get_pool) and never loads the cleaner.
            here = not self._warm() and not pipeline.is_html(item) and not self.texts
        if not self.parallel or here:
            future: Future[Article] = Future()
            try:
                future.set_result(pipeline.prepare(item))
            except BaseException as exc:
                future.set_exception(exc)
            return future
        try:
            pool = self._get_pool()
        except Exception:
            if not self.texts:
                raise
            # Texts never needed a pool before a run of texts alone asked for one: one
            # that cannot start (no /dev/shm, a process limit) costs the speed, not the run.
            log.warning("the text worker could not start; cleaning texts here", exc_info=True)
            self.texts = False
            return self.submit(item, here=True)
        future = pool.submit(_prepare_light, item)
        self._queued_in[future] = pool
        return future

    def result(self, future: Future[Article], item: Item) -> Article:
        """The future's result; TimeoutError once it has run for about `timeout` seconds.
        Inputs are read ahead, so a future may wait in the queue behind a whole batch:
        the limit is for extracting one input, not for waiting (a future counts as
        running from when it enters the pool's small call queue)."""
        self._run_meanwhile(until=future.done)  # those the pool's start left
        while True:
            try:
                article = future.result(timeout=self.timeout)
            except TimeoutError:
                if future.running() or future.done():
                    raise
                continue
            # A worker's article comes back without the input (see _prepare_light).
            return article if article.item is item else replace(article, item=item)

    def rescue(self, future: Future[Article], item: Item) -> Future[Article]:
        """The future to wait on for this input: itself, unless it was queued in a pool
        replaced since and has no result. Such a future may never complete (its worker
        was killed with the pool), and its input did nothing wrong: it is submitted again."""
        pool = self._queued_in.get(future)
        if pool is None or pool is self._pool:
            return future
        if future.done() and not future.cancelled() and future.exception() is None:
            return future
        return self.submit(item)

    def restart(self) -> None:
        """Kill the workers (one is stuck or dead) and start warm ones: the inputs queued
        in the old pool go to the new one, and a worker still importing trafilatura
        would count against the first one's time limit."""
        if self._pool is not None:
            self._ended.append(_end(self._pool))
            self._pool, self._starting = None, None
            self._get_pool()

    def close(self) -> None:
        """Shut the pool down, and return even when a worker is stuck on a page: the
        inputs still in the pool then have no one waiting for them (the service closes
        the extractor when its runs have ended), so after CLOSE_GRACE the workers are
        killed. Then every pool's manager thread has ended, so that concurrent.futures'
        exit hook, which joins them all, does not hang the process at exit."""
        if self._pool is None and self._starting is not None:
            with contextlib.suppress(BaseException):  # a pool that failed to start: none
                self._pool = self._starting.result(timeout=CLOSE_GRACE)[0]
        if self._pool is not None:
            # Read before shutdown(), which drops the pool's references to them.
            internals = _internals(self._pool)
            manager = internals[2]
            self._pool.shutdown(wait=False, cancel_futures=True)
            if manager is not None:
                manager.join(CLOSE_GRACE)  # idle workers take their sentinel and exit
            if manager is None or manager.is_alive():
                self._ended.append(_kill(*internals))
        for thread in self._ended:
            if thread is not None:
                thread.join(CLOSE_GRACE)
                if thread.is_alive():
                    log.warning("a worker pool's thread has not ended", thread=thread.name)
        self._pool, self._starting, self._ended = None, None, []


# How long the first pool may take to come up before this process turns to its own
# warm-up instead of waiting: forked from a server that is serving, it is up in tens of
# milliseconds; a server still importing the extractor takes half a second or more.
UP_SOON = 0.15

# How long close() lets a pool's workers finish before it kills them: idle ones exit in
# milliseconds; one still extracting has no one waiting for its article.
CLOSE_GRACE = 5.0


def _end(pool: ProcessPoolExecutor) -> threading.Thread | None:
    """Kill the pool's workers and shut it down so that its manager thread ends; the
    thread, to join at close() (None if it cannot be found).

    Killing is the only way to stop a worker stuck in a page, but a worker killed while
    it was writing a result (a big article, the pipe full while the main process was
    busy) leaves part of a message in the pool's result pipe. The manager thread reads
    it and waits in recv() for the rest, which never comes: the main process still holds
    the pipe's write end, so no end of file either. It then blocked concurrent.futures'
    exit hook, which joins every manager thread, and `monitor ingest` never exited.
    Closing that write end here, once the workers are killed, makes recv() see the end
    of file as soon as the workers are gone: the manager thread marks the pool broken
    (its futures fail with BrokenProcessPool, which batches.py retries), cleans up and
    ends. That depends on no timing: the kernel closes the workers' copies when they
    die, and ours is the last one (the forkserver closes its copies once it has forked).
    """
    internals = _internals(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    return _kill(*internals)


def _internals(
    pool: ProcessPoolExecutor,
) -> tuple[list[BaseProcess], Any, threading.Thread | None]:
    """The pool's workers, result queue and manager thread.

    Private attributes of CPython's ProcessPoolExecutor (concurrent/futures/process.py,
    3.11): it has no public way to kill its workers or to break a pool. Each is read with
    a default, so that a Python that renames one loses only what it serves (a warning
    says so) instead of the restart itself."""
    processes = getattr(pool, "_processes", None) or {}
    return list(processes.values()), getattr(pool, "_result_queue", None), _manager(pool)


def _manager(pool: ProcessPoolExecutor) -> threading.Thread | None:
    """The pool's manager thread (private: see _internals)."""
    thread = getattr(pool, "_executor_manager_thread", None)
    return thread if isinstance(thread, threading.Thread) else None


def _kill(
    processes: list[BaseProcess], results: Any, manager: threading.Thread | None
) -> threading.Thread | None:
    """_end's work on a pool already shut down: see there why the writer is closed."""
    for process in processes:
        with contextlib.suppress(Exception):  # one that has exited already
            process.kill()
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()  # the main process never writes results: only workers do
    elif manager is not None and manager.is_alive():
        log.warning(
            "cannot close a killed worker pool's result pipe (this Python's "
            "ProcessPoolExecutor differs): a half-written result may keep its thread waiting"
        )
    return manager


def _prepare_light(item: Item) -> Article:
    """prepare() in a worker, sending back only what the main process lacks: not the
    input's bytes (it holds the item) nor the decoded text (read by extract, used by
    nothing after it). A 60 KB page went back and forth whole, twice over. The removed
    lines go back as the JSON the store keeps of them, which is all the main process
    does with them (made by the extract step from the cleaner's columns:
    models.RemovedColumns.json)."""
    article = pipeline.prepare(item)
    return replace(
        article,
        item=Item(item.origin, b"", item.kind, item.seen_at),
        text="",
        # The language step's work, done here: the main process runs the steps that read
        # the store and is the slower side of a backlog (0.3-0.9 ms a page; 3 MB a worker).
        language=_language().detect(article.body),
    )


@functools.cache
def _language() -> LanguageDetector:
    """One detector a worker process, its model loaded on first use (by the forkserver's
    warm-up, so the workers forked from it share it)."""
    return LanguageDetector()


def forkserver(texts: bool = False) -> multiprocessing.context.ForkServerContext:
    """The context the pools start their workers in, its server told to import and warm
    the extractor once (worker_preload.py) and fork warm workers from it; with `texts`,
    the text cleaner alone (text_preload.py), when this process will see no page.
    Either is read only by the server's first start: a text-only server's workers
    would import trafilatura at their first page.

    forkserver, not fork: the daemon has threads (watchdog, dispatcher), and forking a
    threaded process can copy a held lock into the child. The forkserver is one process
    for the life of this one (a new pool after a stuck worker forks from it again)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([f"monitor.{'text' if texts else 'worker'}_preload"])
    return context  # type: ignore[return-value]


def prestart(workers: int, texts: bool = False) -> None:
    """Start the forkserver now, so that it imports and warms the extractor in its own
    process while this one goes on (opening the store, loading its models): for a caller
    that knows a pool will be needed (`monitor ingest` of pages) before the first page
    is read; with `texts`, a server for texts alone (Extractor.texts_alone). It returns
    at once; the pool started later forks from that server."""
    if workers > 0:
        forkserver(texts)
        from multiprocessing import forkserver as server

        # Only a head start: a server that cannot start now is met again, and reported,
        # when the pool starts.
        with contextlib.suppress(Exception):
            server.ensure_running()


def warm() -> None:
    """What a worker needs loaded: the extractor and cleaner, and its language model."""
    _prepare_light(Item("warm-up", _SAMPLE, "html", datetime.now(UTC)))


def warm_text() -> None:
    """What a worker of a run of texts alone needs loaded: the cleaner and its language
    model (no trafilatura: 0.5 s of CPU and some 60 MB it would never use)."""
    _prepare_light(Item("warm-up", _TEXT_SAMPLE, "text", datetime.now(UTC)))


_SAMPLE = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    + "<p>This page loads the extractor and the line cleaner before the first file.</p>" * 3
    + "</article></body></html>"
).encode()
_TEXT_SAMPLE = (
    "Warm-up\n\n" + "This text loads the line cleaner before the first file arrives.\n" * 3
).encode()
