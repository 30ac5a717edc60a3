"""The commands that only read the store: search, show, export, stories, story, stats,
failures.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). Each opens the store read-only with `_read_settings`, which reads two paths
without validating the whole configuration: these are the commands a user waits for,
so nothing here imports the service, the pipeline or pydantic
(tests/test_startup_imports.py).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import Any

import click

from monitor.cli import F, _open_store, _read_settings, _settings, config_option, main
from monitor.cli.words import WordsCommand
from monitor.ops import spreadsheet
from monitor.ops.terminal import bold, echo, to_json
from monitor.store.db import EXPORT_FIELDS
from monitor.store.query import Filters


def filter_options(func: F) -> F:
    """The filters `search` and `export` share."""
    options = [
        click.option("--topic", multiple=True, help="Only articles with this topic (repeatable)."),
        click.option(
            "--entity", multiple=True, help="Only articles naming this entity (repeatable)."
        ),
        click.option("--story", help="Only articles of this story."),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Published (or ingested) on or after.",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Published (or ingested) on or before.",
        ),
        click.option(
            "--source", help="Part of the source name or of the origin (a host, a folder)."
        ),
        click.option("--lang", help="Language code, e.g. ar, en."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kw: dict[str, Any], duplicates: bool) -> Filters:
    day = lambda d: d.date().isoformat() if d else None  # noqa: E731
    return Filters(
        topic=kw["topic"],
        entity=kw["entity"],
        story=kw["story"],
        since=day(kw["since"]),
        until=day(kw["until"]),
        source=kw["source"],
        language=kw["lang"],
        duplicates=duplicates,
    )


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
@filter_options
@click.option("--no-duplicates", is_flag=True, help="Leave out copies of stored articles.")
@config_option
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    output: Any,
    no_duplicates: bool,
    config_path: Path | None,
    **kw: Any,
) -> None:
    """Export articles: JSON Lines (one object per article) or CSV; all, or filtered.

    Fields: id, origin, title, text, language, published, source, topics, entities,
    duplicate_of, story (and evidence, in JSON Lines). In CSV, a text cell that starts
    with = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet shows it
    as text instead of running it as a formula (docs/security.md).

    \b
    Example:
      monitor export --format csv --topic sanctions --since 2024-01-01 -o sanctions.csv
    """
    store = _open_store(ctx, _read_settings(ctx, config_path))
    rows = store.select(_filters(kw, duplicates=not no_duplicates))
    if fmt == "jsonl":
        for row in rows:
            output.write(to_json(row) + "\n")
        return
    writer = csv.DictWriter(output, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            spreadsheet.row(
                row | {"topics": "; ".join(row["topics"]), "entities": "; ".join(row["entities"])}
            )
        )


@main.command(cls=WordsCommand)
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result.")
@filter_options
@click.option("--duplicates", is_flag=True, help="Show copies of stored articles too.")
@config_option
@click.pass_context
def search(
    ctx: click.Context,
    words: tuple[str, ...],
    limit: int,
    as_json: bool,
    duplicates: bool,
    config_path: Path | None,
    **kw: Any,
) -> None:
    """Full-text search, best first: Arabic marks, letter forms and clitics folded.

    عقوبات finds العقوبات, بالعقوبات and عقوباتٍ; sanction finds Sanctions. Words are
    ANDed; use OR, NOT, "quoted phrases" and a trailing * for prefixes. The query may
    be several arguments, and a word may start with "-": anything that is not one of the
    options below is part of the query. A leading "-" is punctuation, not NOT (-بوتين
    searches بوتين); to leave a word out, write: sanctions NOT بوتين.

    \b
    Examples:
      monitor search 'عقوبات OR sanction*' --since 2024-01-01
      monitor search صواريخ --entity "North Korea" --lang ar --json
      monitor search -بوتين --limit 5
    """
    query = " ".join(words)
    store = _open_store(ctx, _read_settings(ctx, config_path))
    results = store.search(query, _filters(kw, duplicates), limit=limit)
    tty = sys.stdout.isatty()
    for r in results:
        if as_json:
            echo(to_json(r))
            continue
        snippet: list[object] = [r["snippet"]]
        if tty:  # bold hits on a terminal; brackets in a pipe or a file
            pieces = re.split(r"\[([^\]]+)\]", r["snippet"])
            snippet = [bold(p) if i % 2 else p for i, p in enumerate(pieces)]
        when = r["published"] or ""
        echo(f"#{r['id']}  {r['title'] or '(no title)'}  {when}  [{', '.join(r['topics'])}]")
        echo("    ", *snippet)
        echo(f"    {r['source'] or ''} {r['origin']}".rstrip())
    if not results and not as_json:
        echo("no match", err=True)


@main.command()
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The whole record as JSON.")
@click.option(
    "--removed/--no-removed",
    default=True,
    show_default=True,
    help="List the lines the cleaner cut, and why.",
)
@click.option(
    "--why",
    is_flag=True,
    help="Also the topics the current rules refuse, and why (compiles them: ~1.5 s).",
)
@config_option
@click.pass_context
def show(
    ctx: click.Context,
    article_id: int,
    as_json: bool,
    removed: bool,
    why: bool,
    config_path: Path | None,
) -> None:
    """One article: metadata, clean body, tags with evidence, entities, what was cut.

    \b
    Example:
      monitor show 42
      monitor show 42 --why
    """
    settings = _read_settings(ctx, config_path)
    store = _open_store(ctx, settings)
    # SQLite ids are 64-bit: a larger number is no article (not an OverflowError).
    record = store.article(article_id) if 0 < article_id < 2**63 else None
    if record is None:
        echo(f"error: no article #{article_id}", err=True)
        ctx.exit(1)
    if why:  # the full settings: the taxonomy, gazetteer and [topics] overrides
        record["refused"] = _refusals(ctx, _settings(ctx, config_path), record)
    if as_json:
        echo(to_json(record, indent=2))
        return
    echo(bold(record["title"] or "(no title)"))
    for label, key in (
        ("origin", "origin"),
        ("source", "source"),
        ("published", "published"),
        ("language", "language"),
        ("encoding", "encoding"),
        ("ingested", "ingested_at"),
        ("story", "story"),
    ):
        if record.get(key):
            echo(f"{label:>10}: {record[key]}")
    if record.get("story_label"):
        size = record["story_size"]
        echo(f"{'':>10}  {record['story_label']} ({size} article{'s' if size != 1 else ''})")
    if record["revisions"]:  # replaced by later versions of its file (docs/revisions.md)
        n = len(record["revisions"])
        echo(
            f"{'revised':>10}: {n} time{'s' if n > 1 else ''}, "
            f"last at {record['revisions'][-1]['at']}"
        )
    if record["duplicate_of"]:
        similarity = f" (similarity {record['similarity']:.2f})" if record["similarity"] else ""
        echo(f"{'copy of':>10}: #{record['duplicate_of']}{similarity}")
    for c in record["copies"]:
        similarity = f" similarity {c['similarity']:.2f}" if c["similarity"] else ""
        echo(f"{'copy':>10}: #{c['id']} {c['source'] or c['origin']}{similarity}")
    echo()
    echo(record["text"])
    echo()
    for tag in record["evidence"]:
        terms = ", ".join(f"{m['term']} ×{m['count']}" for m in tag["matches"])
        echo(f"topic {tag['topic']} (score {tag['score']:g}): {terms}")
        if tag.get("snippet"):
            echo(f"    {tag['snippet']}")
    for refusal in record.get("refused", ()):
        echo(f"topic {refusal['topic']} refused (score {refusal['score']:g}): {refusal['reason']}")
    for entity in record["entity_mentions"]:
        if entity.get("linked", True):
            echo(f"entity {entity['name']} ({entity['kind']}): {', '.join(entity['mentions'])}")
        else:  # a name the gazetteer does not list, found by a title, a verb or a first name
            echo(f"name {entity['name']} ({entity['kind']}, not in the gazetteer)")
    if removed and record["removed"]:
        echo()
        echo(f"removed lines ({len(record['removed'])}):")
        for line in record["removed"]:
            echo(f"  {line['line']:>4} {line['label']:<11} {line['why']}: {line['text'][:100]}")


@main.command()
@click.option("--days", type=float, default=7, show_default=True, help="Stories seen lately.")
@click.option("--limit", default=50, show_default=True, help="At most this many stories.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@config_option
@click.pass_context
def stories(
    ctx: click.Context, days: float, limit: int, as_json: bool, config_path: Path | None
) -> None:
    """Recent stories (articles about one event), latest first, with counts and sources.

    \b
    Example:
      monitor stories --days 3
      monitor stories --json | jq .label
    """
    store = _open_store(ctx, _read_settings(ctx, config_path))
    rows = store.stories(days, limit)
    if as_json:
        for row in rows:
            echo(to_json(row))
        return
    if not rows:
        echo(f"no story seen in the last {days:g} days", err=True)
    for row in rows:
        copies = f" +{row['copies']} copies" if row["copies"] else ""
        echo(
            bold(row["id"]),
            f"  {row['articles']} articles{copies}  {row['first_seen'][:16]} → "
            f"{row['last_seen'][:16]}",
        )
        echo(f"    {row['label']}")
        echo(f"    sources: {', '.join(row['sources'])}")


@main.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="The story and its articles as JSON.")
@config_option
@click.pass_context
def story(ctx: click.Context, story_id: str, as_json: bool, config_path: Path | None) -> None:
    """One story: its label, dates and sources, and every article in it (copies marked).

    \b
    Example:
      monitor story 2024-06-18-1a2b3c4d
    """
    store = _open_store(ctx, _read_settings(ctx, config_path))
    record = store.story(story_id)
    if record is None:
        echo(f"error: no story {story_id!r}; `monitor stories` lists them", err=True)
        ctx.exit(1)
    if as_json:
        echo(to_json(record, indent=2))
        return
    echo(bold(record["label"]))
    echo(f"{'story':>10}: {record['id']}")
    echo(f"{'seen':>10}: {record['first_seen']} → {record['last_seen']}")
    if record["date_lo"]:
        echo(f"{'published':>10}: {record['date_lo']} → {record['date_hi']}")
    echo(f"{'sources':>10}: {', '.join(record['sources'])}")
    echo()
    for m in record["members"]:
        copy = (
            f"  (copy of #{m['duplicate_of']}, similarity {m['similarity']:.2f})"
            if m["duplicate_of"]
            else ""
        )
        echo(f"  #{m['id']:<6} {m['title'] or '(no title)'}{copy}")
        echo(f"          {m['source'] or ''} {m['origin']}".rstrip())


@main.command()
@click.option("--days", default=14, show_default=True, help="How many days the daily chart shows.")
@click.option("--json", "as_json", is_flag=True, help="The numbers as one JSON object.")
@config_option
@click.pass_context
def stats(ctx: click.Context, days: int, as_json: bool, config_path: Path | None) -> None:
    """Articles per day, per topic, per source and language; alerts delivered and pending.

    \b
    Example:
      monitor stats --days 30
    """
    store = _open_store(ctx, _read_settings(ctx, config_path))
    numbers = store.stats(days)
    if as_json:
        echo(to_json(numbers))
        return
    for title, key in (
        ("articles per day", "per_day"),
        ("per topic", "per_topic"),
        ("per source", "per_source"),
        ("per language", "per_language"),
        ("alert deliveries", "deliveries"),
    ):
        rows = numbers[key]
        echo(bold(title))
        if not rows:
            echo("  (none)")
        width = max((len(str(k)) for k in rows), default=0)
        top = max(rows.values(), default=0)
        for k, n in rows.items():
            bar = "█" * max(1, round(30 * n / top)) if top and n else ""
            echo(f"  {k!s:<{width}}  {n:>6}  {bar}")
        echo()


@main.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also failures whose input was stored since.")
@config_option
@click.pass_context
def failures(ctx: click.Context, limit: int, show_all: bool, config_path: Path | None) -> None:
    """List inputs that could not be processed, newest first, with the reason.

    A failure whose input was stored since (a file fixed, a permission repaired) is
    resolved: it is counted, and listed (marked) only with --all.

    \b
    Example:
      monitor failures --limit 10
    """
    from monitor.store.failures import failure_counts, open_failures

    store = _open_store(ctx, _read_settings(ctx, config_path))
    rows = open_failures(store.db, limit, include_resolved=show_all)
    for row in rows:
        mark = "  (resolved: stored since)" if row["resolved"] else ""
        echo(f"{row['at']}  {row['origin']}{mark}\n    {row['reason']}")
    _open, resolved = failure_counts(store.db)
    if resolved and not show_all:
        echo(f"{resolved} resolved failure(s) not shown (--all shows them)", err=True)


def _refusals(ctx: click.Context, settings: Any, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The topics the rules in force refuse for the stored text, with the reason (a veto,
    a missing anchor, the learned decision). Worked out now, not stored: a refusal is
    about the current rules, and `monitor retag` brings the stored tags up to them."""
    from monitor.configfile import ConfigError
    from monitor.service import build_taggers
    from monitor.tagging.terms import Document

    try:
        topics, _entities = build_taggers(settings)
    except ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    _tags, refused = topics.decide(Document(f"{record['title'] or ''}\n{record['text']}"))
    return [{"topic": r.topic, "score": r.score, "reason": r.reason} for r in refused]
