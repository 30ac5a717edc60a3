"""The one-line name of an article in a list (the alert log, dead letters, a digest).

Shared by the alerts (a template filter) and the light read commands (`monitor alerts`),
which must not import the alerts package; hence its own small module here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_HEADLINE_CHARS = 80
# A body that opens with a bulleted summary ("- The two countries announced ...") would
# otherwise put a bare dash at the head of every untitled line in the log.
_LIST_MARKS = re.compile(r"^(?:[-\u2013\u2014\u2022*\u00b7\u25aa\u25cf]+\s+)+")


def headline(payload: Mapping[str, Any]) -> str:
    """The alert's title, or for an untitled article (a pasted text, a page without one)
    "(no title)" and the first words of its body: a log of bare "(no title)" lines gives
    the analyst nothing to triage by."""
    title = payload.get("title")
    if title:
        return str(title)
    words = _LIST_MARKS.sub("", " ".join(str(payload.get("snippet") or "").split()))
    if len(words) > _HEADLINE_CHARS:
        words = words[:_HEADLINE_CHARS].rsplit(" ", 1)[0].rstrip(" …") + " …"
    return f"(no title) {words}" if words else "(no title)"
