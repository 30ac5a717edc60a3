"""The seeds' first lines as a file written in bursts is first tagged on: the short leads
the learned decision must not overrule (decision_words.py scores variants on them, and
tests/tagging/test_decision_words_short.py pins their tags)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.pipeline import Pipeline


def _pipeline() -> Pipeline:
    """The default settings' pipeline (imported here: the measurement does not need it)."""
    from monitor.assembly import build_pipeline
    from monitor.config import Settings

    return build_pipeline(Settings())


def seed_lead(seed: Path, first: int = 600, pipeline: Pipeline | None = None) -> str:
    """The seed's first lines just past `first` characters, cleaned as the pipeline does
    (`pipeline`: one built for many seeds; by default the settings' own): the fragment a
    file written in bursts is first tagged on (tests/test_revisions.py)."""
    from datetime import UTC, datetime

    from monitor.models import Item

    if pipeline is None:
        pipeline = _pipeline()
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    head: list[str] = []
    while lines and sum(map(len, head)) <= first:
        head.append(lines.pop(0))
    raw = "".join(head).encode()
    item = Item(origin=seed.name, raw=raw, kind="text", seen_at=datetime.now(UTC))
    article = pipeline.run(item)
    return (article.title + "\n" if article.title else "") + article.body


def seed_leads(first: int = 600) -> list[str]:
    """seed_lead() of every seed, in name order."""
    pipeline = _pipeline()
    seeds = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
    return [seed_lead(seed, first, pipeline) for seed in seeds]
