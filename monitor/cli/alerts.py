"""The `monitor alerts` group: read the alert log, list and resend failed deliveries,
send a test alert through a rule's channels.

One group of the `monitor` command (cli/__init__.py says why the commands are split by
group). `alerts show`, the default, only reads the log or the store; `retry` and `test`
build channels, and import them inside the function.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup

from monitor import configfile as config_mod
from monitor.cli import _open_store, _read_settings, _service, _settings, config_option, main
from monitor.ops.terminal import echo, json_text, to_json
from monitor.text.headline import headline


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
                f"{headline(d['payload'])}"
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
        f"{headline(alert)}  topics: {', '.join(alert['topics'])}  "
        f"{alert['origin']}"
    )
