"""The documentation keeps up with the code: every command is in the README's table, every
config key in docs/configuration.md, and every link between the pages resolves.

A key added to a settings model without a line in the reference fails here, so the
reference cannot drift from what `config.toml` accepts.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor import config

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
REFERENCE = DOCS / "configuration.md"

# Sections whose tables are free-form (checked through their own pages).
FREE_FORM = {"topics", "entities", "source_path"}


def _section(text: str, heading: str) -> str:
    """The part of the reference under `## heading`, up to the next `## `."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _model(annotation: typing.Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model(arg)
        if found is not None:
            return found
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _sections() -> list[tuple[str, list[str]]]:
    out = []
    for name, field in config.Settings.model_fields.items():
        if name in FREE_FORM:
            continue
        model = _model(field.annotation)
        assert model is not None, name
        heading = f"[[{name}]]" if typing.get_origin(field.annotation) is tuple else f"[{name}]"
        out.append((heading, _keys(model)))
    out.append(("[[alerts.rules]]", _keys(config.RuleConfig)))
    channel_keys = sorted(
        {key for m in typing.get_args(config.Channel.__origin__) for key in _keys(m)}  # type: ignore[attr-defined]
    )
    out.append(("[[alerts.channels]]", channel_keys))
    return out


@pytest.mark.parametrize(("heading", "keys"), _sections(), ids=lambda v: str(v)[:30])
def test_every_config_key_is_in_the_reference(heading: str, keys: list[str]) -> None:
    part = _section(REFERENCE.read_text(encoding="utf-8"), heading)
    missing = [key for key in keys if f"| `{key}` |" not in part]
    assert not missing, f"docs/configuration.md, {heading}: not documented: {missing}"


def test_every_channel_type_is_in_the_reference() -> None:
    part = _section(REFERENCE.read_text(encoding="utf-8"), "[[alerts.channels]]")
    types = [
        typing.get_args(m.model_fields["type"].annotation)[0]
        for m in typing.get_args(config.Channel.__origin__)  # type: ignore[attr-defined]
    ]
    missing = [t for t in types if f"| `{t}` |" not in part]
    assert not missing, f"channel types not documented: {missing}"


def test_readme_is_short_and_links_resolve() -> None:
    readme = REPO / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 200
    broken = []
    for page in [readme, *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if not (page.parent / target).is_file():
                broken.append(f"{page.name} -> {target}")
    assert not broken, f"links to missing pages: {broken}"
