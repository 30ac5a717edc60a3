"""The commands that write through the pipeline or watch the daemon: run, ingest,
retry-failed, status.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). These are the commands that pay for the service: each imports it inside the
function, so the read commands and --help never load the pipeline.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from monitor import configfile as config_mod
from monitor.cli import (
    EXIT_STORE_TAKEN,
    _open_store,
    _read_settings,
    _service,
    _settings,
    _sole_writer,
    _writer,
    config_option,
    main,
)
from monitor.ops.collector import Paused
from monitor.ops.systemd import Notifier
from monitor.ops.terminal import echo, to_json
from monitor.store.busy import Retry
from monitor.store.lock import Holder


@main.command()
@config_option
@click.pass_context
def run(ctx: click.Context, config_path: Path | None) -> None:
    """Run the daemon: ingest the inbox folders, then keep watching until stopped.

    Ctrl-C or SIGTERM finish the file in hand and exit 0; SIGHUP reloads the configuration.

    \b
    Example:
      monitor --config /etc/monitor/config.toml run
    """
    paused = Paused()  # until the daemon is built (ops/collector.py)
    ctx.call_on_close(paused.resume)
    from monitor.service import install_signal_handlers
    from monitor.sources.inbox import check_folders

    settings = _settings(ctx, config_path)
    try:
        check_folders(settings.inbox, settings.source_path)
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    stop, reload = threading.Event(), threading.Event()
    install_signal_handlers(stop, reload)
    lock = _sole_writer(
        ctx,
        settings,
        "run",
        "one daemon per store: stop that one first (systemctl stop monitor, or kill {pid}), "
        "or give this one another [store] path",
        stop,
    )
    with lock:
        service = _service(ctx, settings, stop)
        paused.resume()
        try:
            service.run_forever(stop, reload, Notifier())
        finally:
            service.close()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Name each file left out, with the reason.")
@click.option(
    "--wait",
    "patience",
    default=300.0,
    show_default=True,
    help="When the daemon runs: seconds to wait for it to take the files before giving up.",
)
@config_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    verbose: bool,
    patience: float,
    config_path: Path | None,
) -> None:
    """Ingest files or folders once, through the same pipeline as the daemon.

    Any path is read, inside the inbox folders or not. A file named here is read whatever
    its name; inside a folder named here, dotfiles, dot-folders and temporary names are
    left out as the daemon leaves them (a count per reason; the names with -v). Files
    already ingested and unchanged are skipped, so running it twice adds nothing. While
    the daemon runs on the same store, the files are handed to it (one writer per store)
    and this waits for their outcomes. Exit status 1 when a path named here held nothing
    to read.

    \b
    Example:
      monitor ingest seeds/ ~/Downloads/article.html
    """
    paused = Paused()  # until the first input is stored (ops/collector.py)
    ctx.call_on_close(paused.resume)
    from monitor.sources.selection import own_files, select_files

    settings = _settings(ctx, config_path)
    chosen = select_files(paths, settings.inbox, exclude=own_files(settings))
    _report_skipped(chosen, verbose)
    files = chosen.files
    lock = _writer(ctx, settings, "ingest")
    texts_alone = False
    if not isinstance(lock, Holder):
        # Before the service is imported and built (a third of a second or more): the
        # pool's server imports and warms the extractor on the other core meanwhile.
        texts_alone = _prestart(settings, files)
    counts: Counter[str] = Counter()
    delivered, waiting = None, 0
    with _progress(len(files)) as advance:
        if isinstance(lock, Holder):
            from monitor.handoff import HandOffError, hand_over

            echo(f"handing {len(files)} files to {lock.describe()}", err=True)
            try:
                served = hand_over(
                    settings.store.path,
                    files,
                    lock,
                    retry=Retry(busy_timeout=settings.store.busy_timeout),
                    patience=patience,
                    progress=advance,
                )
            except HandOffError as exc:
                echo(f"error: {exc}", err=True)
                ctx.exit(EXIT_STORE_TAKEN)
            counts.update(served.counts)
            files_left, lock = served.left, served.lock
            if lock is not None:
                echo("the daemon stopped; ingesting the rest here", err=True)
                texts_alone = _prestart(settings, files_left)
        else:
            files_left = files
        if lock is not None:
            with lock:
                service = _service(ctx, settings)
                try:

                    def stored(_path: Path, _outcome: str) -> None:
                        paused.resume()
                        advance(1)

                    counts.update(service.ingest(files_left, stored, texts_alone))
                    delivered = service.deliver()
                    waiting = service.dispatcher.pending()
                finally:
                    service.close()
    echo(
        f"{counts['new']} new, {counts['duplicate']} duplicate, {counts['failed']} failed, "
        f"{counts['unchanged']} unchanged"
        + (f", {counts['revised']} revised" if counts["revised"] else "")
        + f" ({len(files)} files)"
    )
    if counts["failed"]:
        echo("see the reasons with: monitor failures", err=True)
    if delivered is not None and (waiting or delivered.dead):
        echo(
            f"alerts: {delivered.sent} delivered, {waiting} waiting for a retry, "
            f"{delivered.dead} failed for good (monitor alerts --failed)",
            err=True,
        )
    if chosen.empty:
        named = ", ".join(str(p) for p in chosen.empty)
        echo(f"error: nothing to read in: {named}", err=True)
        ctx.exit(1)


def _prestart(settings: Any, files: list[Path]) -> bool:
    """Pages among the files: the worker pool's server starts now and warms the extractor
    in its own process while this one imports and builds the service (workers.prestart).
    A backlog of texts alone (a batch or more) with two workers or more (one core is
    this process's): a server for texts, which warms the text cleaner alone; True, and
    the service is told so (Extractor.texts_alone). Called once
    a run: before the service, or, when a daemon took the files and stopped halfway, for
    the files left to this process."""
    from monitor.sources.inbox import kind_of
    from monitor.workers import prestart

    workers = settings.pipeline.worker_count()
    if any(kind_of(path) == "html" for path in files):
        prestart(workers)
        return False
    if workers > 1 and len(files) >= settings.pipeline.batch:
        prestart(workers, texts=True)
        return True
    return False


def _report_skipped(chosen: Any, verbose: bool) -> None:
    """What `ingest` left out and why: a count per reason, each name with -v."""
    reasons = chosen.reasons()
    if reasons:
        counted = "; ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        echo(f"skipped: {counted}" + ("" if verbose else " (-v names them)"), err=True)
    if verbose:
        for path, reason in chosen.skipped:
            echo(f"  skipped {_shown(path)}: {reason}", err=True)


def _shown(path: Path) -> str:
    """A name that is not UTF-8 printed with its bytes as escapes, not a crash."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        yield lambda _n: None
        return
    with click.progressbar(length=total, label="ingesting", file=sys.stderr) as bar:
        yield bar.update


@main.command("retry-failed")
@config_option
@click.pass_context
def retry_failed(ctx: click.Context, config_path: Path | None) -> None:
    """Process again every input that failed, from its file or from the bytes kept.

    For after a fix: a raised max_file_mb, a repaired file, a new monitor version.

    \b
    Example:
      monitor retry-failed
    """
    settings = _settings(ctx, config_path)
    lock = _sole_writer(
        ctx,
        settings,
        "retry-failed",
        "retry-failed needs the store to itself: stop the daemon, run it, then start the "
        "daemon again",
    )
    with lock:
        _retry_failed(ctx, settings)


def _retry_failed(ctx: click.Context, settings: config_mod.Settings) -> None:
    service = _service(ctx, settings)
    try:
        counts = service.retry_failed()
        service.deliver()
    finally:
        service.close()
    echo(
        f"{counts['new']} new, {counts['duplicate']} duplicate, "
        f"{counts['failed']} failed again, {counts['gone']} gone"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@config_option
@click.pass_context
def status(ctx: click.Context, as_json: bool, config_path: Path | None) -> None:
    """Is the daemon running, how far behind is it, what failed, what is undelivered.

    Exit status 0 when the daemon is running, 3 when it is not (as `systemctl status`).

    \b
    Example:
      monitor status --json
    """
    from monitor.store.db import HEARTBEAT_SECONDS

    report = _open_store(ctx, _read_settings(ctx, config_path)).status()
    daemon = report["daemon"]
    age = time.time() - daemon["heartbeat"] if daemon else None
    running = bool(daemon) and not daemon["stopped_at"] and age < 3 * HEARTBEAT_SECONDS + 5
    report["running"] = running
    if as_json:
        echo(to_json(report, default=str))
    else:
        if running:
            echo(
                f"daemon: running (pid {daemon['pid']}, since {daemon['started_at']}, "
                f"heartbeat {age:.0f}s ago), backlog {daemon['backlog']} files"
            )
        elif daemon and daemon["stopped_at"]:
            echo(f"daemon: stopped at {daemon['stopped_at']}")
        elif daemon:
            echo(f"daemon: not responding (last heartbeat {daemon['heartbeat_at']})")
        else:
            echo("daemon: has never run on this store")
        echo(
            f"articles: {report['articles']} (+{report['duplicates']} duplicates), "
            f"last ingest {report['last_ingest'] or 'never'}"
        )
        failure = report["last_failure"]
        echo(
            f"failures: {report['failures']}"
            + (f" (last: {failure['origin']}: {failure['reason']})" if failure else "")
            + (
                f"; {report['failures_resolved']} resolved since"
                if report["failures_resolved"]
                else ""
            )
        )
        echo(
            f"alerts: {report['alerts']}; deliveries pending {report['deliveries_pending']}, "
            f"failed for good {report['deliveries_dead']}"
        )
    ctx.exit(0 if running else 3)
