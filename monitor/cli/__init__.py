"""The `monitor` command. Thin: parse options, call the service or the store, print.

Every command takes --config (or $MONITOR_CONFIG; default ./config.toml) and has help
with an example, checked by a test.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click_default_group import DefaultGroup

from monitor import configfile as config_mod  # config.py's load, imported when used
from monitor.cli.words import WordsCommand
from monitor.ops import logging as logging_setup
from monitor.ops import spreadsheet
from monitor.ops.redact import Redactor
from monitor.ops.systemd import Notifier
from monitor.ops.terminal import bold, echo, json_text, to_json
from monitor.store.busy import Retry, Stopped
from monitor.store.db import EXPORT_FIELDS, Store
from monitor.store.lock import Holder, StoreLock, StoreUnavailable, claim, store_problem
from monitor.store.query import Filters

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


def _refuse(ctx: click.Context, settings: config_mod.Settings, holder: Holder, todo: str) -> None:
    echo(f"error: {holder.describe()} is writing to {settings.store.path}; {todo}", err=True)
    ctx.exit(EXIT_STORE_TAKEN)


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
    lock = _writer(ctx, settings, "run", stop)
    if isinstance(lock, Holder):
        _refuse(
            ctx,
            settings,
            lock,
            f"one daemon per store: stop that one first (systemctl stop monitor, or kill "
            f"{lock.pid}), or give this one another [store] path",
        )
    with lock:
        service = _service(ctx, settings, stop)
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
    from monitor.handoff import HandOffError, hand_over
    from monitor.service import own_files
    from monitor.sources.selection import select_files

    settings = _settings(ctx, config_path)
    chosen = select_files(paths, settings.inbox, exclude=own_files(settings))
    _report_skipped(chosen, verbose)
    files = chosen.files
    lock = _writer(ctx, settings, "ingest")
    counts: Counter[str] = Counter()
    delivered, waiting = None, 0
    with _progress(len(files)) as advance:
        if isinstance(lock, Holder):
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
        else:
            files_left = files
        if lock is not None:
            with lock:
                service = _service(ctx, settings)
                try:
                    counts.update(service.ingest(files_left, lambda _p, _o: advance(1)))
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
@config_option
@click.pass_context
def show(
    ctx: click.Context, article_id: int, as_json: bool, removed: bool, config_path: Path | None
) -> None:
    """One article: metadata, clean body, tags with evidence, entities, what was cut.

    \b
    Example:
      monitor show 42
    """
    store = _open_store(ctx, _read_settings(ctx, config_path))
    # SQLite ids are 64-bit: a larger number is no article (not an OverflowError).
    record = store.article(article_id) if 0 < article_id < 2**63 else None
    if record is None:
        echo(f"error: no article #{article_id}", err=True)
        ctx.exit(1)
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
        echo(f"{'':>10}  {record['story_label']} ({record['story_size']} articles)")
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
    for entity in record["entity_mentions"]:
        echo(f"entity {entity['name']} ({entity['kind']}): {', '.join(entity['mentions'])}")
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


@main.group(cls=DefaultGroup, default="show", default_if_no_args=True)
def alerts() -> None:
    """Read the alert log, list failed deliveries, resend them, or test a rule.

    \b
    Examples:
      monitor alerts --follow
      monitor alerts --failed
      monitor alerts retry
      monitor alerts test dprk-arms
    """


@alerts.command("show")
@click.option("-f", "--follow", is_flag=True, help="Keep printing new alerts as they come.")
@click.option("--json", "as_json", is_flag=True, help="Print the log's JSON lines as they are.")
@click.option("--failed", is_flag=True, help="List deliveries that failed for good instead.")
@config_option
@click.pass_context
def alerts_show(
    ctx: click.Context, follow: bool, as_json: bool, failed: bool, config_path: Path | None
) -> None:
    """Print the alert log, oldest first (or, with --failed, the dead letters).

    \b
    Example:
      monitor alerts show --follow
    """
    settings = _read_settings(ctx, config_path)
    if failed:
        store = _open_store(ctx, settings)
        for d in store.deliveries("dead"):
            if as_json:
                echo(to_json(d))
                continue
            echo(
                f"{d['at']}  [{d['rule']}] -> {d['channel']}  #{d['article_id']}  "
                f"{d['payload'].get('title') or '(no title)'}"
            )
            echo(f"    {d['attempts']} attempts; last error: {d['last_error']}")
        return
    path = settings.alerts.log
    if not path.exists() and not follow:
        echo(f"no alerts yet ({path} does not exist)", err=True)
        return
    position = 0
    while True:
        if path.exists():
            if path.stat().st_size < position:
                position = 0  # the log was rotated or truncated
            with path.open("rb") as fh:
                fh.seek(position)
                for raw in fh:
                    if not raw.endswith(b"\n"):
                        break  # a line still being written: read it next time
                    position += len(raw)
                    line = raw.decode("utf-8").rstrip("\n")
                    echo(json_text(line) if as_json else _alert_line(json.loads(line)))
        if not follow:
            return
        time.sleep(0.5)


@alerts.command("retry")
@click.option("--wait", default=30.0, show_default=True, help="Seconds to spend delivering.")
@config_option
@click.pass_context
def alerts_retry(ctx: click.Context, wait: float, config_path: Path | None) -> None:
    """Queue every failed delivery again and try to deliver now.

    \b
    Example:
      monitor alerts retry --wait 60
    """
    settings = _settings(ctx, config_path)
    service = _service(ctx, settings)
    try:
        cur = service.store.write(
            lambda: service.store.db.execute(
                "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt = 0, "
                "claimed_at = NULL WHERE status = 'dead'"
            ),
            what="requeue failed alerts",
        )
        stats = service.deliver(wait)
        waiting = service.dispatcher.pending()
    finally:
        service.close()
    echo(
        f"{cur.rowcount} requeued; {stats.sent} delivered, {waiting} still waiting, "
        f"{stats.dead} failed again"
    )
    for channel, error in stats.errors.items():
        echo(f"  {channel}: {error}", err=True)


@alerts.command("test")
@click.argument("rule")
@config_option
@click.pass_context
def alerts_test(ctx: click.Context, rule: str, config_path: Path | None) -> None:
    """Send a sample alert through a rule's channels now, and report each channel.

    Nothing is stored; the alert says it is a test.

    \b
    Example:
      monitor alerts test dprk-arms
    """
    from monitor.alerts.channels import DeliveryError, Message, build_channels
    from monitor.alerts.rules import RuleSet, sample_payload

    settings = _settings(ctx, config_path)
    rules = {r.name: r for r in RuleSet(settings.alerts.rules, settings.stories).rules}
    if rule not in rules:
        echo(f"error: no rule named '{rule}' (rules: {', '.join(rules)})", err=True)
        ctx.exit(2)
    try:
        channels = build_channels(settings.alerts, ctx.obj["redactor"])
    except config_mod.ConfigError as exc:
        echo(f"error: {exc}", err=True)
        ctx.exit(2)
    failed = 0
    for name in rules[rule].channels:
        sender, renderer = channels[name]
        body = sample_payload(rule)
        subject, text = renderer.render(body)
        try:
            sender.send(Message(body["key"], body, subject, text))
        except DeliveryError as exc:
            failed += 1
            echo(f"{name}: FAILED: {exc.reason}")
        else:
            echo(f"{name}: sent")
    ctx.exit(1 if failed else 0)


def _alert_line(alert: dict[str, Any]) -> str:
    return (
        f"{alert['at']}  [{alert['rule']}]  #{alert['article_id']}  "
        f"{alert.get('title') or '(no title)'}  topics: {', '.join(alert['topics'])}  "
        f"{alert['origin']}"
    )


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
    lock = _writer(ctx, settings, "feeds poll")
    if isinstance(lock, Holder):
        _refuse(
            ctx,
            settings,
            lock,
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
    """Browse and search the store in a browser (Datasette, read-only).

    Needs the `ui` extra: pip install 'monitor[ui]'. Facets on topic, language, source and
    story; canned queries (search, latest alerts, stories, articles per topic over time,
    failed files); a chart at /-/monitor/chart; Arabic shown right to left.

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
    lock = _writer(ctx, settings, "retry-failed")
    if isinstance(lock, Holder):
        _refuse(
            ctx,
            settings,
            lock,
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
    from monitor.service import HEARTBEAT_SECONDS

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
    from monitor.tagging.topics import TopicTagger, load_taxonomy

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
