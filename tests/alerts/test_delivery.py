"""Delivery end to end: the real daemon, a real store, real receivers on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from running import Daemon, cli, query, wait_for
from servers import free_port, webhook_server

from monitor.alerts.channels import build_channels
from monitor.alerts.outbox import Dispatcher
from monitor.config import load
from monitor.ops.redact import Redactor

FAST_RETRIES = "backoff_seconds = 0.1\nmax_backoff_seconds = 0.5\n"


def webhook(url: str, timeout: float = 1.0, extra: str = "") -> str:
    return (
        f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\nurl = "{url}"\n'
        f"timeout = {timeout}\n{extra}"
        '[[alerts.rules]]\nname = "all"\nchannels = ["ops", "log"]\n'
    )


def alert_keys(db: Path) -> set[str]:
    return {k for (k,) in query(db, "SELECT key FROM alerts")}


def drop_seeds(inbox: Path, seeds: list[Path]) -> None:
    for seed in seeds:
        shutil.copy(seed, inbox / seed.name)


def test_every_alert_arrives_once_per_key_through_failures_and_a_timeout(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    with webhook_server(["fail", "fail", "hang", "fail", "ok"], hang_seconds=2) as server:
        config = make_config(FAST_RETRIES + webhook(server.url(), timeout=0.5))
        d = Daemon(config)
        d.wait_event("watching")
        drop_seeds(tmp_path / "inbox", seeds)
        db = tmp_path / "monitor.db"
        wait_for(
            lambda: len(query(db, "SELECT id FROM articles")) == len(seeds), "all seeds stored"
        )
        keys = wait_for(lambda: alert_keys(db), "alerts")
        wait_for(lambda: server.delivered_keys() >= keys, "every alert delivered to the webhook")
        assert d.stop() == 0
    assert server.delivered_keys() == keys  # nothing else, nothing missing
    assert "fail" in server.answered and "hang" in server.answered
    logged = [
        json.loads(line)["key"] for line in (tmp_path / "alerts.jsonl").read_text().splitlines()
    ]
    assert sorted(logged) == sorted(keys)  # the log holds each alert once
    assert query(db, "SELECT count(*) FROM deliveries WHERE status != 'sent'") == [(0,)]


def test_alerts_pending_when_the_daemon_is_killed_are_delivered_after_restart(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    port = free_port()  # nothing listens here yet: the channel is down
    config = make_config(FAST_RETRIES + webhook(f"http://127.0.0.1:{port}/hook"))
    db = tmp_path / "monitor.db"
    d = Daemon(config)
    d.wait_event("watching")
    drop_seeds(tmp_path / "inbox", seeds)
    wait_for(lambda: len(query(db, "SELECT id FROM articles")) == len(seeds), "all seeds stored")
    wait_for(
        lambda: (
            query(db, "SELECT count(*) FROM deliveries WHERE channel = 'ops' AND attempts > 0")[0][
                0
            ]
            > 0
        ),
        "failed delivery attempts",
    )
    d.stop(signal.SIGKILL)
    keys = alert_keys(db)
    assert keys
    pending = query(
        db, "SELECT count(*) FROM deliveries WHERE channel = 'ops' AND status = 'pending'"
    )
    assert pending == [(len(keys),)]

    with webhook_server(port=port) as server:  # the channel is back
        d2 = Daemon(config)
        d2.wait_event("watching")
        wait_for(lambda: server.delivered_keys() >= keys, "pending alerts delivered after restart")
        assert d2.stop() == 0
    assert server.delivered_keys() == keys


def test_dead_letters_are_listed_and_resent(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    with webhook_server(["reject"]) as server:
        config = make_config(FAST_RETRIES + webhook(server.url()))
        shutil.copy(seeds[1], tmp_path / "inbox" / "a.txt")
        out = cli(config, "ingest", str(tmp_path / "inbox"))
        assert "failed for good" in out.stderr
        failed = cli(config, "alerts", "--failed").stdout
        assert "-> ops" in failed and "HTTP 400" in failed
        server.script[:] = ["ok"]
        retried = cli(config, "alerts", "retry").stdout
        assert "1 requeued; 1 delivered" in retried
    assert len(server.delivered_keys()) == 1
    assert cli(config, "alerts", "--failed").stdout == ""


def test_a_hanging_channel_does_not_hold_up_ingestion(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    # The webhook hangs far longer than storing the seeds takes even on a loaded machine
    # (at load 27 it took over 12 s): stored before the hang ends, nothing waited for it.
    with webhook_server(["hang"], hang_seconds=60) as server:
        config = make_config(webhook(server.url(), timeout=50))
        d = Daemon(config)
        d.wait_event("watching")
        drop_seeds(tmp_path / "inbox", seeds)
        db = tmp_path / "monitor.db"
        wait_for(
            lambda: len(query(db, "SELECT id FROM articles")) == len(seeds),
            "all seeds stored",
            timeout=40,
        )
        # Stored while the webhook still holds its first request: nothing waited for it.
        assert query(
            db, "SELECT count(*) FROM deliveries WHERE channel = 'ops' AND status = 'sent'"
        ) == [(0,)]
        wait_for(
            lambda: (
                query(
                    db, "SELECT count(*) FROM deliveries WHERE channel = 'log' AND status = 'sent'"
                )[0][0]
                > 0
            ),
            "the log channel delivering meanwhile",
        )
        assert d.stop() == 0


def test_alerts_test_sends_a_sample_through_the_rules_channels(
    make_config: Callable[..., Path],
) -> None:
    with webhook_server() as server:
        config = make_config(webhook(server.url()))
        out = cli(config, "alerts", "test", "all")
        assert "ops: sent" in out.stdout and "log: sent" in out.stdout
        assert server.received[0].json()["kind"] == "test"
    result = cli(config, "alerts", "test", "nope", check=False)
    assert result.returncode == 2 and "no rule named 'nope'" in result.stderr


def test_digest_rules_send_one_summary_per_period(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    with webhook_server() as server:
        extra = (
            f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\nurl = "{server.url()}"\n'
            '[[alerts.rules]]\nname = "hourly"\ndigest = "hourly"\nchannels = ["ops"]\n'
        )
        config = make_config(extra)
        settings = load(config)
        dispatcher = Dispatcher(
            settings.store.path,
            build_channels(settings.alerts, Redactor()),
            settings.alerts,
            settings.alerts.rules,
        )
        shutil.copy(seeds[0], tmp_path / "inbox" / "a.txt")
        cli(config, "ingest", str(tmp_path / "inbox"))  # starts the period
        drop_seeds(tmp_path / "inbox", seeds[1:])
        cli(config, "ingest", str(tmp_path / "inbox"))
        assert server.received == []  # collected, not sent one by one
        collected = query(
            settings.store.path, "SELECT count(*) FROM alerts WHERE digest_pending = 1"
        )[0][0]
        assert collected >= 1
        assert dispatcher.make_digests(now=time.time() + 3601) == 1
        dispatcher.drain(time.monotonic() + 10)
        [got] = server.received
        assert got.json()["kind"] == "digest" and got.json()["count"] == collected
        assert dispatcher.make_digests(now=time.time() + 3601) == 0  # nothing new: no empty digest


def test_a_secret_missing_from_the_environment_is_named(make_config: Callable[..., Path]) -> None:
    extra = webhook(
        f"http://127.0.0.1:{free_port()}/hook", extra='secret = { env = "HOOK_KEY_FOR_TEST" }\n'
    )
    missing = cli(make_config(extra), "check-config", check=False)
    assert missing.returncode == 2
    assert "HOOK_KEY_FOR_TEST" in missing.stderr and "'ops'" in missing.stderr


def test_secrets_from_env_and_file_sign_the_webhook(
    make_config: Callable[..., Path],
    tmp_path: Path,
    seeds: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "token").write_text("file-token-123\n")
    monkeypatch.setenv("HOOK_KEY_FOR_TEST", "env-key-456")
    with webhook_server() as server:
        extra = webhook(
            server.url(),
            extra=(
                'secret = { env = "HOOK_KEY_FOR_TEST" }\n'
                f'headers = {{ Authorization = {{ file = "{tmp_path / "token"}" }} }}\n'
            ),
        )
        config = make_config(extra)
        shown = cli(config, "check-config").stdout
        assert "env-key-456" not in shown and "file-token-123" not in shown
        cli(config, "alerts", "test", "all")
    [got] = server.received
    assert got.headers["Authorization"] == "file-token-123"
    expected = hmac.new(b"env-key-456", got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Monitor-Signature"] == f"sha256={expected}"


def test_a_channel_that_sends_the_payload_never_renders_the_text(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """The log channel writes the alert's JSON, not a text: its template (one that fails
    whenever it is rendered: StrictUndefined) is checked at the start and never run, so
    each alert is delivered (rendering it cost Jinja2's import for nothing)."""
    template = tmp_path / "broken.j2"
    template.write_text("{{ title.no_such_field.deeper }}\n", encoding="utf-8")
    config = make_config(
        f'[[alerts.channels]]\nname = "file"\ntype = "log"\npath = "{tmp_path / "own.jsonl"}"\n'
        f'template = "{template}"\n'
        '[[alerts.rules]]\nname = "all"\nchannels = ["file"]\n'
    )
    drop_seeds(tmp_path / "inbox", seeds)
    cli(config, "ingest", str(tmp_path / "inbox"))
    db = tmp_path / "monitor.db"
    keys = alert_keys(db)
    assert keys  # the rule did alert
    logged = [json.loads(line)["key"] for line in (tmp_path / "own.jsonl").read_text().splitlines()]
    assert sorted(logged) == sorted(keys)
    assert query(db, "SELECT count(*) FROM deliveries WHERE status != 'sent'") == [(0,)]
