"""Each channel against a real receiver on 127.0.0.1 (or a real file, or a real program)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import sys
from pathlib import Path

import pytest
from servers import free_port, smtp_server, webhook_server

from monitor.alerts.channels import DeliveryError, Message
from monitor.alerts.channels.apprise_urls import AppriseChannel
from monitor.alerts.channels.command import CommandChannel
from monitor.alerts.channels.email import EmailChannel
from monitor.alerts.channels.logfile import LogFileChannel
from monitor.alerts.channels.webhook import WebhookChannel
from monitor.alerts.render import Renderer
from monitor.alerts.rules import sample_payload

ARABIC_TITLE = "كوريا الشمالية تدين العقوبات الجديدة على شحنات الأسلحة"


def message(**overrides: object) -> Message:
    payload = sample_payload("test-rule") | {"title": ARABIC_TITLE} | overrides
    subject, text = Renderer().render(payload)
    return Message(str(payload["key"]), payload, subject, text)


def test_webhook_posts_signed_json_with_the_idempotency_key() -> None:
    with webhook_server() as server:
        channel = WebhookChannel(
            "ops", server.url(), headers={"X-Team": "dprk"}, secret="k3y-s3cret", timeout=5
        )
        msg = message()
        channel.send(msg)
    [got] = server.received
    assert got.headers["Idempotency-Key"] == msg.key
    assert got.headers["X-Team"] == "dprk"
    assert got.json()["title"] == ARABIC_TITLE
    expected = hmac.new(b"k3y-s3cret", got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Monitor-Signature"] == f"sha256={expected}"


@pytest.mark.parametrize(("script", "permanent"), [(["fail"], False), (["reject"], True)])
def test_webhook_errors_say_whether_a_retry_can_help(script: list[str], permanent: bool) -> None:
    with webhook_server(script) as server, pytest.raises(DeliveryError) as err:
        WebhookChannel("ops", server.url(), headers={}, secret=None, timeout=5).send(message())
    assert err.value.permanent is permanent


def test_webhook_times_out_instead_of_hanging() -> None:
    with (
        webhook_server(["hang"], hang_seconds=3) as server,
        pytest.raises(DeliveryError, match="Timeout"),
    ):
        WebhookChannel("ops", server.url(), headers={}, secret=None, timeout=0.5).send(message())


def test_webhook_to_a_closed_port_is_a_retryable_error() -> None:
    channel = WebhookChannel(
        "ops", f"http://127.0.0.1:{free_port()}/", headers={}, secret=None, timeout=2
    )
    with pytest.raises(DeliveryError) as err:
        channel.send(message())
    assert not err.value.permanent


def test_email_carries_arabic_subject_and_body_correctly_encoded() -> None:
    with smtp_server() as (port, received):
        channel = EmailChannel(
            "mail",
            host="127.0.0.1",
            port=port,
            security="none",
            username=None,
            password=None,
            sender="monitor@example.org",
            to=("analyst@example.org",),
            timeout=10,
        )
        msg = message()
        channel.send(msg)
    [raw] = received
    assert raw.isascii(), "SMTP without SMTPUTF8 needs an ASCII-encoded message"
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert ARABIC_TITLE in str(mail["Subject"])
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and ARABIC_TITLE in body.get_content()
    assert body.get_content_charset() == "utf-8"
    assert mail["X-Monitor-Key"] == msg.key


def test_email_to_a_closed_port_is_retryable() -> None:
    channel = EmailChannel(
        "mail",
        host="127.0.0.1",
        port=free_port(),
        security="none",
        username=None,
        password=None,
        sender="m@example.org",
        to=("a@example.org",),
        timeout=2,
    )
    with pytest.raises(DeliveryError) as err:
        channel.send(message())
    assert not err.value.permanent


def test_apprise_reaches_a_json_endpoint() -> None:
    with webhook_server() as server:
        AppriseChannel("apprise", (f"json://127.0.0.1:{server.port}/notify",)).send(message())
    [got] = server.received
    assert ARABIC_TITLE in got.json()["title"]


def test_apprise_failure_is_reported_not_swallowed() -> None:
    with webhook_server(["fail"]) as server, pytest.raises(DeliveryError, match="failed"):
        AppriseChannel("apprise", (f"json://127.0.0.1:{server.port}/notify",)).send(message())


def test_command_gets_the_alert_json_on_stdin_without_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "got.json"
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())"
    msg = message(title="quote ' and $(touch pwned) stay text")
    CommandChannel("cmd", (sys.executable, "-c", script, str(out)), timeout=20).send(msg)
    assert json.loads(out.read_bytes())["key"] == msg.key
    assert not (tmp_path / "pwned").exists()


def test_command_failure_is_reported_with_its_stderr() -> None:
    argv = (sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)")
    with pytest.raises(DeliveryError, match="exited 3: boom"):
        CommandChannel("cmd", argv, timeout=20).send(message())


def test_log_rotates_by_size_and_keeps_n_files(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    channel = LogFileChannel("log", path, max_bytes=2000, keep=2)
    keys = []
    for _ in range(20):
        msg = message(key=f"k{len(keys)}")
        keys.append(msg.key)
        channel.send(Message(msg.key, msg.payload, msg.subject, msg.text))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["alerts.jsonl", "alerts.jsonl.1", "alerts.jsonl.2"]
    lines = [
        json.loads(line)
        for f in (path, tmp_path / "alerts.jsonl.1")
        for line in f.read_text().splitlines()
    ]
    assert all(line["key"] in keys for line in lines)
    assert path.stat().st_size < 2000 + 1000


def test_a_retried_log_delivery_is_not_written_twice(tmp_path: Path) -> None:
    channel = LogFileChannel("log", tmp_path / "alerts.jsonl", max_bytes=10**6, keep=1)
    msg = message()
    channel.send(msg)
    channel.send(Message(msg.key, msg.payload, msg.subject, msg.text, retry=True))
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1


def test_the_default_text_shows_topics_evidence_and_origin() -> None:
    payload = sample_payload("r") | {
        "topics": ["sanctions"],
        "evidence": {"sanctions": {"score": 2.5, "terms": {"عقوبات": 2}, "snippet": "..."}},
        "origin": "/srv/inbox/a.txt",
    }
    subject, text = Renderer().render(payload)
    assert subject.startswith("[monitor]")
    assert "sanctions (score 2.5): عقوبات ×2" in text
    assert "/srv/inbox/a.txt" in text
