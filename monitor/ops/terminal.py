"""Everything the CLI prints goes through here, so untrusted text reaches a terminal inert.

Article titles and bodies, feed titles, file names and server error messages come from
strangers. A terminal obeys control sequences wherever they appear in its output: OSC 52
writes the clipboard, OSC 0 sets the window title, CSI sequences move the cursor and
rewrite lines already printed. So text is stripped of:

- C0 controls except newline and tab (ESC, BEL, backspace, carriage return ...) and DEL;
- C1 controls (U+0080-U+009F): a terminal may read U+009B as CSI and U+009D as OSC even
  when they arrive UTF-8 encoded, and `json.dumps(ensure_ascii=False)` leaves them raw;
- the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). They carry
  state: an RLO that is never closed reverses everything after it on the line, so a title
  can make the origin or the id printed next to it read as something else (the "Trojan
  Source" trick). News text has no need for them: Arabic displays right to left by the
  letters' own direction.

Kept: LRM, RLM and ALM (U+200E, U+200F, U+061C), which Arabic text legitimately holds.
They are zero-width marks with no state: they change how the neutral characters right
next to them are ordered, never anything further on. ZWJ/ZWNJ are kept too (Persian and
Urdu spelling needs them).

Styling (bold) is added here, after stripping, so the only escape sequences that reach the
terminal are ours. JSON output stays lossless: the same characters are written as \\uXXXX
escapes, which any JSON reader turns back into the original text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import click

# C0 but \t (09) and \n (0a); DEL and C1; bidi embeddings/overrides (202a-202e) and
# isolates (2066-2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Text with the characters that steer a terminal removed (module docstring)."""
    return _UNSAFE.sub("", text)


def visible(text: str) -> str:
    """Like inert(), but each removed character is shown as an escape (\\x1b, \\u202e):
    for logs, where an analyst should see that something was there."""
    return _UNSAFE.sub(lambda m: _escape(m[0]), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Styled:
    """A part of a line printed bold: styled after it is made inert."""

    text: str
    bold: bool = True


def bold(text: object) -> Styled:
    return Styled(str(text))


def echo(*parts: object, err: bool = False, nl: bool = True) -> None:
    """Print the parts as one line (or block); the only way the CLI writes output."""
    out = "".join(
        click.style(inert(p.text), bold=p.bold) if isinstance(p, Styled) else inert(str(p))
        for p in parts
    )
    click.echo(out, err=err, nl=nl)


def to_json(value: Any, **kwargs: Any) -> str:
    """json.dumps(ensure_ascii=False), with C1, DEL and bidi controls escaped as \\uXXXX.

    json escapes C0 itself; the rest stays readable (Arabic is not escaped).
    """
    return json_text(json.dumps(value, ensure_ascii=False, **kwargs))


def json_text(text: str) -> str:
    """A JSON document already written (a log line read back) with the unsafe characters
    escaped. Raw control characters can only be inside strings in valid JSON, where the
    escape means the same character, so the document's value does not change."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def inert_value(value: Any) -> Any:
    """Strings inside dicts, lists and tuples, escaped with visible()."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, Mapping):
        return {k: inert_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(inert_value(v) for v in value)
    return value


def inert_log_event(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: log values (an alert's title, a file name) escaped visibly.

    The console renderer writes strings as they are, and journald's viewers pass them to
    the terminal; the JSON renderer leaves C1 and bidi controls raw.
    """
    for key, value in list(event.items()):
        event[key] = inert_value(value)
    return event
