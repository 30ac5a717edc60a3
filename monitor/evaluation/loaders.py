"""Where the labelled data live and how they are read, for every evaluation.

The label files are data a person edits by hand, so a bad one fails with a message that
names the file and what is wrong (LabelsError), never with a KeyError from deep inside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
SEEDS = REPO / "seeds"
GOLD = DATA / "gold" / "seeds.json"  # the seeds' labels: lines, metadata, tags, stories
CLEAN_LABELS = DATA / "clean" / "labels.json"  # own set for the cleaner
PASSAGES = DATA / "tagging" / "passages.jsonl"  # tagging: the development set
HELDOUT = DATA / "tagging" / "heldout.jsonl"  # tagging: written blind, never tuned on
STORIES = DATA / "stories"  # story sets: dev.jsonl (tuned on), heldout.jsonl


class LabelsError(ValueError):
    """A labels file or an article it names cannot be used; the message says which."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelsError(f"{path}: cannot read labels: {exc}") from exc


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """One JSON object per non-empty line (the passages and story sets)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{path}: cannot read labels: {exc}") from exc
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{number}: not a JSON object: {exc}") from exc
    return out


def gold_articles(path: Path) -> dict[str, Any]:
    """The 'articles' object of a seeds.json-shaped file: file name -> its labels."""
    doc = read_json(path)
    articles = doc.get("articles") if isinstance(doc, dict) else None
    if not isinstance(articles, dict) or not articles:
        raise LabelsError(f"{path}: needs an 'articles' object mapping file names to labels")
    return articles


def gold_stories(path: Path) -> dict[str, str]:
    """File name -> its story, from the 'stories' object (story -> file names)."""
    doc = read_json(path)
    stories = doc.get("stories") if isinstance(doc, dict) else None
    if not isinstance(stories, dict) or not stories:
        raise LabelsError(f"{path}: needs a 'stories' object mapping stories to file names")
    return {name: story for story, names in stories.items() for name in names}
