"""Secrets by shape (URLs) and by value (configured URLs), wherever they appear."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from monitor.alerts.channels import build_channels
from monitor.alerts.channels.base import DeliveryError
from monitor.config import AlertsConfig, ConfigError, FeedConfig
from monitor.ops import logging as logging_setup
from monitor.ops.redact import MASK, Redactor, scrub_url, scrub_urls
from monitor.sources.feeds import register_secrets


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://user:pass@host/hook", f"http://{MASK}@host/hook"),
        ("https://TOKEN123@hooks.example/x", f"https://{MASK}@hooks.example/x"),
        ("https://h/feed?token=abc&page=2", f"https://h/feed?token={MASK}&page=2"),
        ("https://h/f?api_key=1&Signature=2&X-Amz-Credential=3&lang=ar",
         f"https://h/f?api_key={MASK}&Signature={MASK}&X-Amz-Credential={MASK}&lang=ar"),
        ("https://h/cb#access_token=xyz&state=1", f"https://h/cb#access_token={MASK}&state=1"),
        ("https://news.example/2024/06/story.html", "https://news.example/2024/06/story.html"),
        ("tgram://123456:ABC-def/42", f"tgram://{MASK}"),
        ("slack://T000/B000/XXXXXXXX/#ops", f"slack://{MASK}"),
    ],
)  # fmt: skip
def test_scrub_url(url: str, expected: str) -> None:
    assert scrub_url(url) == expected
    assert scrub_url(expected) == expected  # scrubbing twice changes nothing


def test_urls_inside_text_are_scrubbed_and_the_rest_kept() -> None:
    text = (
        "redirect to 'http://bob:pw@10.0.0.1/x?key=k1' failed (from https://a.example/?password=p)."
    )
    assert scrub_urls(text) == (
        f"redirect to 'http://{MASK}@10.0.0.1/x?key={MASK}' failed "
        f"(from https://a.example/?password={MASK})."
    )
    assert scrub_urls("/srv/inbox/a.txt: no text") == "/srv/inbox/a.txt: no text"


def test_errors_are_scrubbed_where_they_are_made() -> None:
    assert "pw" not in str(ConfigError("bad url http://bob:pw@host/"))
    assert "tokABC" not in DeliveryError("ConnectError for https://h/hook?token=tokABC").reason


def test_configured_urls_register_their_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    redactor = Redactor()
    alerts = AlertsConfig.model_validate(
        {
            "channels": [
                {"name": "hook", "type": "webhook",
                 "url": "https://hooks.slack.example/services/T0A/B0B/Zk3x9QyL2mN8vB7cD1eF"},
                {"name": "chat", "type": "apprise", "urls": ["tgram://987654:AAH-secret-bot/123"]},
            ]
        }
    )  # fmt: skip
    build_channels(alerts, redactor)
    feed = FeedConfig(
        name="wire",
        url="https://wire.example/rss?apikey=k-55aa",
        headers={"Authorization": "Bearer hdr-token-77", "Accept-Language": "ar"},
    )
    register_secrets([feed], redactor)
    logging_setup.configure("info", "json", redactor)
    # A library quoting a secret alone, without its URL around it:
    logging.getLogger("somelib").warning(
        "failed with Zk3x9QyL2mN8vB7cD1eF, 987654:AAH-secret-bot, hdr-token-77 and k-55aa"
    )
    structlog.get_logger("t").info("sent", url="https://x:y@h/hook")
    err = capsys.readouterr().err
    for secret in ("Zk3x9QyL2mN8vB7cD1eF", "AAH-secret-bot", "hdr-token-77", "k-55aa", "x:y@"):
        assert secret not in err
    lines = [json.loads(line) for line in err.splitlines()]
    assert lines[0]["event"].count(MASK) == 4
    assert "ar" in json.dumps(redactor.scrub({"lang": "ar"}))  # short values are left alone
