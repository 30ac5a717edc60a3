"""The `monitor` command. Thin: parse options, call the service or the store, print.

Every command takes --config (or $MONITOR_CONFIG; default ./config.toml) and has help
with an example, checked by a test.
"""

from __future__ import annotations

import csv
import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from monitor import config as config_mod
from monitor.ops import logging as logging_setup
from monitor.store.db import EXPORT_FIELDS, Store

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
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2)
    logging_setup.configure(settings.logging.level, settings.logging.format)
    return settings


def _open_store(ctx: click.Context, settings: config_mod.Settings) -> Store:
    try:
        return Store(settings.store.path, readonly=True)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
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
    from monitor.service import Service, install_signal_handlers

    settings = _settings(ctx, config_path)
    stop, reload = threading.Event(), threading.Event()
    install_signal_handlers(stop, reload)
    service = Service.build(settings)
    try:
        service.run_forever(stop, reload)
    finally:
        service.close()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], config_path: Path | None) -> None:
    """Ingest files or folders once, through the same pipeline as the daemon.

    Files already ingested and unchanged are skipped, so running it twice adds nothing.

    \b
    Example:
      monitor ingest seeds/ ~/Downloads/article.html
    """
    from monitor.service import Service

    settings = _settings(ctx, config_path)
    service = Service.build(settings)
    try:
        files = list(service.inbox.scan(p.resolve() for p in paths))
        if sys.stderr.isatty():
            with click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar:
                counts = service.ingest(files, progress=lambda _p, _o: bar.update(1))
        else:
            counts = service.ingest(files)
    finally:
        service.close()
    click.echo(
        f"{counts['new']} new, {counts['duplicate']} duplicate, {counts['failed']} failed, "
        f"{counts['unchanged']} unchanged ({len(files)} files)"
    )
    if counts["failed"]:
        click.echo("see the reasons with: monitor failures", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write [default: standard output].",
)
@config_option
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Any, config_path: Path | None) -> None:
    """Export every article: JSON Lines (one object per article) or CSV.

    Fields: id, origin, title, text, language, published, source, topics, entities,
    duplicate_of, story (and evidence, in JSON Lines).

    \b
    Example:
      monitor export --format csv -o articles.csv
    """
    store = _open_store(ctx, _settings(ctx, config_path))
    if fmt == "jsonl":
        for row in store.articles():
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(output, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in store.articles():
        writer.writerow(
            row | {"topics": "; ".join(row["topics"]), "entities": "; ".join(row["entities"])}
        )


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result.")
@config_option
@click.pass_context
def search(
    ctx: click.Context, query: str, limit: int, as_json: bool, config_path: Path | None
) -> None:
    """Full-text search over titles and bodies, Arabic letter forms and marks folded.

    Words are ANDed; use OR, NOT, "quoted phrases" and a trailing * for prefixes.

    \b
    Example:
      monitor search 'عقوبات OR sanction*'
    """
    store = _open_store(ctx, _settings(ctx, config_path))
    results = store.search(query, limit=limit)
    for r in results:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        else:
            click.echo(f"#{r['id']}  {r['title'] or '(no title)'}  [{', '.join(r['topics'])}]")
            click.echo(f"    {r['snippet']}")
            click.echo(f"    {r['origin']}")
    if not results and not as_json:
        click.echo("no match", err=True)


@main.command()
@click.option("-f", "--follow", is_flag=True, help="Keep printing new alerts as they come.")
@click.option("--json", "as_json", is_flag=True, help="Print the log's JSON lines as they are.")
@config_option
@click.pass_context
def alerts(ctx: click.Context, follow: bool, as_json: bool, config_path: Path | None) -> None:
    """Print the alert log, oldest first.

    \b
    Example:
      monitor alerts --follow
    """
    path = _settings(ctx, config_path).alerts.log
    if not path.exists() and not follow:
        click.echo(f"no alerts yet ({path} does not exist)", err=True)
        return
    position = 0
    while True:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                if path.stat().st_size < position:
                    position = 0  # the log was rotated or truncated
                fh.seek(position)
                for line in fh:
                    if not line.endswith("\n"):
                        break  # a line still being written: read it next time
                    position += len(line.encode("utf-8"))
                    click.echo(line.rstrip("\n") if as_json else _alert_line(json.loads(line)))
        if not follow:
            return
        time.sleep(0.5)


def _alert_line(alert: dict[str, Any]) -> str:
    return (
        f"{alert['at']}  [{alert['rule']}]  #{alert['article_id']}  "
        f"{alert.get('title') or '(no title)'}  topics: {', '.join(alert['topics'])}  "
        f"{alert['origin']}"
    )


@main.command()
@click.option("--limit", default=50, show_default=True)
@config_option
@click.pass_context
def failures(ctx: click.Context, limit: int, config_path: Path | None) -> None:
    """List inputs that could not be processed, newest first, with the reason.

    \b
    Example:
      monitor failures --limit 10
    """
    store = _open_store(ctx, _settings(ctx, config_path))
    rows = store.db.query("SELECT * FROM failures ORDER BY id DESC LIMIT ?", [limit])
    for row in rows:
        click.echo(f"{row['at']}  {row['origin']}\n    {row['reason']}")


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
    from monitor.service import build_pipeline  # builds taxonomy and gazetteer: checks them too

    try:
        build_pipeline(settings, lambda _digest: None)
    except Exception as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2)
    click.echo(f"{settings.source_path}: OK")
    click.echo(json.dumps(settings.model_dump(mode="json"), indent=2, ensure_ascii=False))
