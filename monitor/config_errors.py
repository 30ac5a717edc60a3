"""pydantic's validation errors -> messages that name the key and the nearest valid one.

Apart from config.py so that the settings' models stay readable; the root model is passed
in (config.Settings) rather than imported, which keeps this module free of the settings.
"""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The settings models an annotation can hold (through tuples, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings model that owns the key at loc, to suggest its valid keys."""
    candidates: list[type[BaseModel]] = [root]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue  # an index into a list of tables
        tagged = [m for m in candidates if _type_tag(m) == part]
        if tagged:  # pydantic puts a discriminated union's tag in the location
            candidates = tagged
            continue
        field = next(
            (m.model_fields[str(part)] for m in candidates if str(part) in m.model_fields), None
        )
        if field is None:
            return None
        candidates = _models_in(field.annotation)
    return candidates[0] if len(candidates) == 1 else None


def _type_tag(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("type")
    args = typing.get_args(field.annotation) if field else ()
    return str(args[0]) if len(args) == 1 else None


def explain(path: Path, exc: ValidationError, root: type[BaseModel]) -> str:
    """One line a wrong key, naming the nearest valid key, as config.py's docstring promises."""
    lines = [f"{path}: invalid configuration"]
    for err in exc.errors():
        loc = err["loc"]
        key = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            model = _model_at(root, loc)
            valid = sorted(model.model_fields) if model else []
            valid = [v for v in valid if v != "source_path"]
            near = difflib.get_close_matches(str(loc[-1]), valid, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            lines.append(f"  {key}: unknown key{hint} (valid keys here: {', '.join(valid)})")
        else:
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            lines.append(f"  {key}: {err['msg']}{shown}")
    return "\n".join(lines)
