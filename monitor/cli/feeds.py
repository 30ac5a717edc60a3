"""The `monitor feeds` group: every feed's health, or poll feeds now.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). `feeds poll` writes through the pipeline, so it takes the store's writer lock
and refuses while the daemon (which polls the feeds itself) holds it.
"""

from __future__ import annotations

from pathlib import Path

import click
from click_default_group import DefaultGroup

from monitor import configfile as config_mod
from monitor.cli import _open_store, _service, _settings, _sole_writer, config_option, main
from monitor.ops.terminal import echo, to_json


@main.group(cls=DefaultGroup, default="list", default_if_no_args=True)
def feeds() -> None:
    """RSS and Atom feeds: their health, or poll them now.

    \b
    Examples:
      monitor feeds
      monitor feeds poll reuters-world
    """


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
@config_option
@click.pass_context
def feeds_list(ctx: click.Context, as_json: bool, config_path: Path | None) -> None:
    """Every feed's health: last success, last error, error count, entries seen, next poll.

    \b
    Example:
      monitor feeds list --json
    """
    from monitor.sources.feeds import feed_health

    settings = _settings(ctx, config_path)
    if not settings.feeds and not settings.store.path.exists():
        echo("no feeds configured (add [[feeds]] tables to the configuration)", err=True)
        return
    store = _open_store(ctx, settings)
    for h in feed_health(store.db, settings.feeds):
        if as_json:
            echo(to_json(h, default=str))
            continue
        state = "ok" if not h["error_count"] else f"{h['error_count']} errors in a row"
        if not h["enabled"] or not h["configured"]:
            state = "disabled" if h["configured"] else "no longer configured"
        echo(f"{h['name']}  [{state}]  {h['url']}")
        echo(
            f"    entries seen {h['entries_seen']}, last success {h['last_success'] or 'never'}, "
            f"next poll {h['next_poll'] or 'soon'}"
        )
        if h["last_error"]:
            echo(f"    last error ({h['last_error_at']}): {h['last_error']}")
        if h.get("last_warning"):
            echo(f"    warning: {h['last_warning']}")


@feeds.command("poll")
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Poll even a feed that is backing off after errors.")
@config_option
@click.pass_context
def feeds_poll(
    ctx: click.Context, names: tuple[str, ...], force: bool, config_path: Path | None
) -> None:
    """Poll the named feeds (default: every enabled feed) once, ingest new entries, exit.

    \b
    Example:
      monitor feeds poll reuters-world --force
    """
    settings = _settings(ctx, config_path)
    lock = _sole_writer(
        ctx,
        settings,
        "feeds poll",
        "it polls the feeds itself (`monitor feeds` shows when next); stop it to poll by hand",
    )
    with lock:
        _feeds_poll(ctx, settings, names, force)


def _feeds_poll(
    ctx: click.Context, settings: config_mod.Settings, names: tuple[str, ...], force: bool
) -> None:
    service = _service(ctx, settings)
    failed = 0
    try:
        for result, counts in service.poll_feeds(names, force=force):
            if result.error:
                failed += 1
                echo(f"{result.feed}: error: {result.error}")
            elif result.skipped:
                echo(f"{result.feed}: skipped: {result.skipped}")
            else:
                echo(
                    f"{result.feed}: {result.total} entries, {counts['new']} new, "
                    f"{counts['duplicate']} duplicate, {counts['failed']} failed"
                    + (" (not modified)" if result.not_modified else "")
                )
        service.deliver()
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    finally:
        service.close()
    ctx.exit(1 if failed else 0)
