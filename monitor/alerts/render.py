"""Alert payload -> subject and text, through Jinja2 templates users can replace per channel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.text.headline import headline

if TYPE_CHECKING:
    from jinja2 import Template

_PACKAGED = Path(__file__).parent / "templates"


class Renderer:
    def __init__(self, body_template: Path | None = None) -> None:
        # A user's template is compiled now, so a syntax error stops the start, not an
        # alert at 3 a.m.; the packaged ones (and Jinja2 itself, 60 ms to import) wait
        # for the first alert: most runs of `monitor` never render one.
        self._templates: tuple[Template, Template] | None = None
        self._body_template = body_template
        if body_template is not None:
            self._compiled()

    def _compiled(self) -> tuple[Template, Template]:
        if self._templates is None:
            from jinja2 import Environment, FileSystemLoader, StrictUndefined

            # Text, not HTML: no autoescape; StrictUndefined turns a typo in a user's
            # template into an error instead of an empty alert.
            env = Environment(
                loader=FileSystemLoader(str(_PACKAGED)),
                autoescape=False,
                undefined=StrictUndefined,
                keep_trailing_newline=False,
            )
            env.filters["headline"] = headline
            subject = env.get_template("subject.j2")
            if self._body_template is None:
                text = env.get_template("text.j2")
            else:
                text = env.from_string(self._body_template.read_text(encoding="utf-8"))
            self._templates = (subject, text)
        return self._templates

    @property
    def subject(self) -> Template:
        return self._compiled()[0]

    @property
    def text(self) -> Template:
        return self._compiled()[1]

    def render(self, payload: dict[str, Any]) -> tuple[str, str]:
        subject_template, text_template = self._compiled()
        context = {"items": [], "count": 0, "since": "", "snippet": "", **payload}
        subject = " ".join(subject_template.render(context).split())
        return subject, text_template.render(context).strip() + "\n"
