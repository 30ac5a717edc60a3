"""Alert payload -> subject and text, through Jinja2 templates users can replace per channel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

_PACKAGED = Path(__file__).parent / "templates"


class Renderer:
    def __init__(self, body_template: Path | None = None) -> None:
        # Text, not HTML: no autoescape; StrictUndefined turns a typo in a user's
        # template into an error at start-up instead of an empty alert at 3 a.m.
        env = Environment(
            loader=FileSystemLoader(str(_PACKAGED)),
            autoescape=False,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        self.subject: Template = env.get_template("subject.j2")
        if body_template is None:
            self.text: Template = env.get_template("text.j2")
        else:
            self.text = env.from_string(body_template.read_text(encoding="utf-8"))

    def render(self, payload: dict[str, Any]) -> tuple[str, str]:
        context = {"items": [], "count": 0, "since": "", "snippet": "", **payload}
        subject = " ".join(self.subject.render(context).split())
        return subject, self.text.render(context).strip() + "\n"
