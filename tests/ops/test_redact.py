from __future__ import annotations

import json

import pytest
import structlog

from monitor.ops import logging as logging_setup
from monitor.ops.redact import MASK, Redactor


def test_secrets_are_masked_in_events_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    redactor = Redactor()
    redactor.add("tok-SECRET-42")
    redactor.add("ab")  # too short to mask safely: ignored
    logging_setup.configure("info", "json", redactor)
    log = structlog.get_logger("test")
    log.error(
        "delivery failed",
        error="401 for https://hooks.example/tok-SECRET-42/x",
        nested={"k": ["tok-SECRET-42"]},
    )
    try:
        raise RuntimeError("cannot reach https://hooks.example/tok-SECRET-42")
    except RuntimeError:
        log.exception("boom")
    err = capsys.readouterr().err
    assert "tok-SECRET-42" not in err
    assert err.count(MASK) >= 3
    first = json.loads(err.splitlines()[0])
    assert first["error"] == f"401 for https://hooks.example/{MASK}/x"
