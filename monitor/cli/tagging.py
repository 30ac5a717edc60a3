"""The commands that apply the taxonomy to what is stored: retag, preview.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). Both compile the vocabularies (about 1.4 s), so the taggers are imported inside
the functions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from monitor import configfile as config_mod
from monitor.cli import _open_store, _settings, config_option, main
from monitor.ops.terminal import echo, to_json
from monitor.store.busy import Retry
from monitor.store.db import Store
from monitor.store.lock import StoreUnavailable


def _taggers(ctx: click.Context, settings: config_mod.Settings) -> tuple[Any, Any]:
    from monitor.service import build_taggers

    try:
        return build_taggers(settings)
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)


@main.command()
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@config_option
@click.pass_context
def retag(ctx: click.Context, dry_run: bool, config_path: Path | None) -> None:
    """Apply the current taxonomy and gazetteer to every stored article again.

    Nothing is ingested again and no alert is raised; only tags that changed are written.
    Safe while the daemon runs. Try a single topic first with `monitor preview`.

    \b
    Example:
      monitor retag --dry-run
      monitor retag
    """
    from monitor.retag import retag as run_retag

    settings = _settings(ctx, config_path)
    topics, entities = _taggers(ctx, settings)
    try:
        store = Store(settings.store.path, retry=Retry(busy_timeout=settings.store.busy_timeout))
    except StoreUnavailable as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(1)
    try:
        total = store.article_count()
        if sys.stderr.isatty():
            with click.progressbar(length=total, label="retagging", file=sys.stderr) as bar:
                report = run_retag(store, topics, entities, dry_run=dry_run, progress=bar.update)
        else:
            report = run_retag(store, topics, entities, dry_run=dry_run)
    finally:
        store.close()
    verb = "would change" if dry_run else "changed"
    echo(f"{report.articles} articles, {report.changed} {verb}")
    for topic in sorted(set(report.gained) | set(report.lost)):
        echo(f"  {topic}: +{report.gained[topic]} -{report.lost[topic]}")


@main.command()
@click.argument("topic")
@click.option(
    "--taxonomy",
    "taxonomy_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Take the topic from this file (a draft) instead of the taxonomy in force.",
)
@click.option("--examples", default=5, show_default=True, help="How many examples to show.")
@click.option("--json", "as_json", is_flag=True, help="The result as one JSON object.")
@config_option
@click.pass_context
def preview(
    ctx: click.Context,
    topic: str,
    taxonomy_path: Path | None,
    examples: int,
    as_json: bool,
    config_path: Path | None,
) -> None:
    """Show how many stored articles a topic would tag, with example snippets.

    The topic may be switched off (enabled = false) or only in a draft file, so a rule
    can be tried on what the store holds before it goes live. Nothing is written.

    \b
    Example:
      monitor preview sanctions
      monitor preview cyber_attacks --taxonomy draft-topics.toml
    """
    from dataclasses import asdict

    from monitor.retag import preview as run_preview
    from monitor.tagging.taxonomy import load_taxonomy
    from monitor.tagging.topics import TopicTagger

    settings = _settings(ctx, config_path)
    try:
        taxonomy = load_taxonomy(
            taxonomy_path or settings.tagging.taxonomy,
            overrides=None if taxonomy_path else (settings.topics or None),
        )
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    if topic not in taxonomy.topics:
        echo(
            f"error: no topic '{topic}' in {taxonomy.source}; "
            f"topics: {', '.join(sorted(taxonomy.topics))}",
            err=True,
        )
        ctx.exit(2)
    store = _open_store(ctx, settings)
    try:
        result = run_preview(store, TopicTagger(taxonomy.only(topic)), topic, examples=examples)
    finally:
        store.close()
    if as_json:
        echo(to_json(asdict(result)))
        return
    echo(f"{topic}: {result.matched} of {result.articles} stored articles would be tagged")
    for ex in result.examples:
        terms = ", ".join(f"{m.term} ×{m.count}" for m in ex.tag.matches[:5])
        echo(f"  #{ex.article_id} (score {ex.tag.score:g}) {ex.title or '(no title)'}")
        echo(f"      {terms}")
        echo(f"      {ex.tag.snippet}")
