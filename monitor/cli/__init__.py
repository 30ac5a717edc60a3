"""The `monitor` command: the `main` group, --config, and what every command shares.

Thin: parse options, call the service or the store, print. Every command takes --config
(or $MONITOR_CONFIG; default ./config.toml) and has help with an example, checked by a
test.

The commands live in one module per group (daemon.py, read.py, alerts.py, feeds.py,
tagging.py, setup.py), imported at the end of this file so they register on `main`; one
file of some 1,200 lines was too long to read or to merge. This module keeps only what
they share: loading the settings, opening the store, the writer's lock, the exit codes.
Like the commands, it imports nothing heavy at the top: `monitor --help` and the read
commands must not load the pipeline (tests/test_startup_imports.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from monitor import configfile as config_mod  # config.py's load, imported when used
from monitor.ops import logging as logging_setup
from monitor.ops.redact import Redactor
from monitor.ops.terminal import echo
from monitor.store.busy import Stopped
from monitor.store.db import Store
from monitor.store.lock import Holder, StoreLock, StoreUnavailable, claim

if TYPE_CHECKING:  # the service imports the whole pipeline: only commands that ingest pay
    from monitor.service import Service

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        envvar=config_mod.ENV_VAR,
        show_envvar=True,
        help="Configuration file [default: ./config.toml].",
    )(func)


def _settings(ctx: click.Context, config_path: Path | None) -> config_mod.Settings:
    chosen = config_path or (ctx.obj or {}).get("config_path")
    try:
        settings = config_mod.load(config_mod.resolve_path(chosen))
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    redactor = Redactor()
    ctx.ensure_object(dict)["redactor"] = redactor
    logging_setup.configure(settings.logging.level, settings.logging.format, redactor)
    return settings


def _read_settings(
    ctx: click.Context, config_path: Path | None
) -> config_mod.ReadSettings | config_mod.Settings:
    """For a command that only reads the store or the alert log: those two paths, without
    validating the rest (configfile.py says why), else everything, as `_settings`."""
    chosen = config_path or (ctx.obj or {}).get("config_path")
    paths = config_mod.read_paths(config_mod.resolve_path(chosen))
    return paths if paths is not None else _settings(ctx, config_path)


def _service(
    ctx: click.Context, settings: config_mod.Settings, stop: threading.Event | None = None
) -> Service:
    from monitor.service import Service

    try:
        return Service.build(settings, ctx.obj["redactor"], stop)
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    except StoreUnavailable as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(1)
    except Stopped:  # asked to stop while the store was busy: nothing was written
        ctx.exit(0)


EXIT_STORE_TAKEN = 75  # EX_TEMPFAIL: another process writes to the store; try again later


def _writer(
    ctx: click.Context,
    settings: config_mod.Settings,
    command: str,
    stop: threading.Event | None = None,
) -> StoreLock | Holder:
    """The store's one-writer lock for a command that writes through the pipeline
    (store/lock.py), waiting while a one-shot command has it; the daemon's Holder when
    the daemon has it."""

    def waiting(holder: Holder) -> None:
        echo(f"waiting for {holder.describe()} to finish with the store", err=True)

    try:
        got = claim(settings.store.path, command, waiting=waiting, stop=stop)
    except StoreUnavailable as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(1)
    if got is None:  # stopped while waiting
        ctx.exit(0)
    return got


def _sole_writer(
    ctx: click.Context,
    settings: config_mod.Settings,
    command: str,
    todo: str,
    stop: threading.Event | None = None,
) -> StoreLock:
    """The lock for a command that cannot hand its work to a running daemon: refused
    (exit 75) while the daemon writes, saying what to do (`{pid}` in `todo` is the
    daemon's)."""
    lock = _writer(ctx, settings, command, stop)
    if isinstance(lock, Holder):
        said = todo.format(pid=lock.pid)
        echo(f"error: {lock.describe()} is writing to {settings.store.path}; {said}", err=True)
        ctx.exit(EXIT_STORE_TAKEN)
    return lock


def _open_store(
    ctx: click.Context, settings: config_mod.ReadSettings | config_mod.Settings
) -> Store:
    try:
        return Store(settings.store.path, readonly=True)
    except FileNotFoundError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(1)


@click.group(context_settings=CONTEXT)
@config_option
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """A streaming news monitor: watch folders, clean, deduplicate, tag, store and alert.

    \b
    Example:
      monitor --config config.toml run
    """
    ctx.obj = {"config_path": config_path}


# The command modules register themselves on `main` (and import it from here): imported
# last, once everything they take from this module is defined.
from monitor.cli import alerts, daemon, feeds, read, setup, tagging  # noqa: E402, F401
