"""The commands for setting monitor up and looking around: check-config, ui.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). check-config builds what the daemon would, and the UI needs the optional
Datasette: both are imported inside the functions.
"""

from __future__ import annotations

from pathlib import Path

import click

from monitor import configfile as config_mod
from monitor.cli import _open_store, _settings, config_option, main
from monitor.ops.terminal import echo, to_json
from monitor.store.lock import store_problem


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep it local unless a proxy guards it.",
)
@click.option("--port", default=8001, show_default=True)
@config_option
@click.pass_context
def ui(ctx: click.Context, host: str, port: int, config_path: Path | None) -> None:
    """Read the store in a browser: the reading room, and Datasette for SQL (read-only).

    Needs the `ui` extra: pip install 'monitor[ui]'. / is the reading room: stories newest
    first, each story's reports, articles with their evidence highlighted, entities and
    alerts (docs/reading.md). /monitor (the store file's name) is Datasette: facets, canned
    queries (search, latest alerts, stories, articles per topic over time, failed files),
    SQL; a chart at /-/monitor/chart; Arabic shown right to left.

    \b
    Example:
      monitor ui --port 8001
    """
    settings = _settings(ctx, config_path)
    _open_store(ctx, settings).close()  # a clear error if there is no store yet
    try:
        from monitor.ui.server import serve
    except ImportError as exc:
        echo(
            f"error: the browser UI needs Datasette ({exc}); "
            "install it with: pip install 'monitor[ui]'",
            err=True,
        )
        ctx.exit(2)
    echo(f"monitor UI on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    serve(settings.store.path, host, port)


@main.command("check-config")
@config_option
@click.pass_context
def check_config(ctx: click.Context, config_path: Path | None) -> None:
    """Validate the configuration and print it with every default filled in.

    \b
    Example:
      MONITOR_CONFIG=/etc/monitor/config.toml monitor check-config
    """
    settings = _settings(ctx, config_path)
    from monitor.service import build_alerting, build_pipeline, steps_topics
    from monitor.sources.feeds import check_feeds
    from monitor.sources.inbox import check_folders

    try:  # build what the daemon would: taxonomy, gazetteer, channels, templates, secrets
        check_folders(settings.inbox, settings.source_path)
        build_pipeline(settings)
        _channels, rules = build_alerting(settings, ctx.obj["redactor"])
        check_feeds(settings.feeds)
        unknown = rules.unknown_topics(set(steps_topics(settings)))
        if unknown:
            raise config_mod.ConfigError(
                "unknown topics in [[alerts.rules]]: " + "; ".join(unknown)
            )
        problem = store_problem(settings.store.path)
        if problem:
            raise config_mod.ConfigError(f"[store] path: {problem}")
    except Exception as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    echo(f"{settings.source_path}: OK")
    shown = ctx.obj["redactor"].scrub(settings.model_dump(mode="json", by_alias=True))
    echo(to_json(shown, indent=2))
