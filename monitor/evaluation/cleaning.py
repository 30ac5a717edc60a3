"""Score the text cleaner against hand labels, line by line.

    python -m monitor.evaluation.cleaning LABELS.json [FOLDER] [--fail-under-f1 0.95]

LABELS.json has the schema of shared/gold/seeds.json: under "articles", per file name, the
expected title, published (ISO date) and source, and the 1-based line numbers labelled
boilerplate, metadata and caption; every other non-empty line is body. A line counts as
kept when the cleaner did not list it in `removed` (the title line and a line that lost
only its dateline are kept: their text is stored). FOLDER defaults to the labels file's
own folder, or ../seeds beside it (the layout of shared/).

Body-line precision and recall are micro-averaged over all lines of all articles; the
worst article is the one that lost most body lines, because losing the article's own
sentences is the failure users cannot see.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from monitor.evaluation.loaders import LabelsError, gold_articles
from monitor.evaluation.metrics import Counts
from monitor.extract.clean import Cleaner, CleanText, default_cleaner
from monitor.text.decode import decode
from monitor.text.normalize import normalize

__all__ = ["LabelsError", "Report", "evaluate", "main", "score_article"]


@dataclass(frozen=True)
class ArticleScore:
    name: str
    body: int  # body lines in the labels
    lost: tuple[int, ...]  # body lines the cleaner removed
    leaked: tuple[int, ...]  # non-body lines the cleaner kept
    title_ok: bool
    date_ok: bool
    source_ok: bool
    got: CleanText = field(repr=False)


@dataclass(frozen=True)
class Report:
    articles: tuple[ArticleScore, ...]
    precision: float
    recall: float
    f1: float
    title_accuracy: float
    date_accuracy: float
    source_accuracy: float

    @property
    def worst(self) -> ArticleScore | None:
        return max(self.articles, key=lambda a: (len(a.lost), len(a.leaked)), default=None)

    @property
    def max_lost(self) -> int:
        return max((len(a.lost) for a in self.articles), default=0)

    def text(self) -> str:
        lines = [
            f"{len(self.articles)} articles; body lines: precision {self.precision:.3f}, "
            f"recall {self.recall:.3f}, F1 {self.f1:.3f}",
            f"title {self.title_accuracy:.0%}, date {self.date_accuracy:.0%}, "
            f"source {self.source_accuracy:.0%} exact",
        ]
        worst = self.worst
        if worst is not None:
            lines.append(
                f"worst article: {worst.name}: {len(worst.lost)} body lines lost "
                f"{list(worst.lost)}, {len(worst.leaked)} non-body lines kept {list(worst.leaked)}"
            )
        for a in self.articles:
            problems = []
            if a.lost:
                problems.append(f"lost body lines {list(a.lost)}")
            if a.leaked:
                problems.append(f"kept non-body lines {list(a.leaked)}")
            if not a.title_ok:
                problems.append(f"title {a.got.title!r}")
            if not a.date_ok:
                problems.append(f"date {a.got.published!r}")
            if not a.source_ok:
                problems.append(f"source {a.got.source!r}")
            if problems:
                lines.append(f"  {a.name}: " + "; ".join(problems))
        return "\n".join(lines)


def _same(a: str | None, b: str | None) -> bool:
    return (a or None) == (b or None) or (
        a is not None and b is not None and normalize(a) == normalize(b)
    )


def _line_numbers(entry: dict[str, object], key: str, where: str) -> set[int]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(n, int) for n in value):
        raise LabelsError(f"{where}: '{key}' must be a list of line numbers")
    return set(value)


def score_article(name: str, text: str, entry: dict[str, object], cleaner: Cleaner) -> ArticleScore:
    where = f"labels for {name}"
    not_body = set()
    for key in ("boilerplate", "metadata", "caption"):
        not_body |= _line_numbers(entry, key, where)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    non_empty = {n for n, line in enumerate(lines, 1) if line.strip()}
    got = cleaner.clean(text)
    removed = {r.line for r in got.removed}
    body = non_empty - not_body
    kept = non_empty - removed
    return ArticleScore(
        name=name,
        body=len(body),
        lost=tuple(sorted(body - kept)),
        leaked=tuple(sorted((non_empty & not_body) & kept)),
        title_ok=_same(got.title, entry.get("title")),  # type: ignore[arg-type]
        date_ok=_same(got.published, entry.get("published")),  # type: ignore[arg-type]
        source_ok=_same(got.source, entry.get("source")),  # type: ignore[arg-type]
        got=got,
    )


def _default_folder(labels: Path) -> Path:
    sibling = labels.parent.parent / "seeds"
    return labels.parent if any(labels.parent.glob("*.txt")) or not sibling.is_dir() else sibling


def evaluate(labels: Path, folder: Path | None = None, cleaner: Cleaner | None = None) -> Report:
    """Score the cleaner on every article of the labels file. Raises LabelsError."""
    articles = gold_articles(labels)
    folder = folder or _default_folder(labels)
    cleaner = cleaner or default_cleaner()
    scores = []
    for name, entry in sorted(articles.items()):
        path = folder / name
        if not isinstance(entry, dict):
            raise LabelsError(f"{labels}: articles.{name} must be an object")
        try:
            text, _ = decode(path.read_bytes())
        except OSError as exc:
            raise LabelsError(f"{labels}: article {name} not found in {folder}: {exc}") from exc
        scores.append(score_article(name, text, entry, cleaner))
    lost = sum(len(a.lost) for a in scores)
    lines = Counts(  # body lines kept, other lines kept, body lines lost
        tp=sum(a.body for a in scores) - lost, fp=sum(len(a.leaked) for a in scores), fn=lost
    )
    n = len(scores)
    return Report(
        articles=tuple(scores),
        precision=lines.precision,
        recall=lines.recall,
        f1=lines.f1,
        title_accuracy=sum(a.title_ok for a in scores) / n,
        date_accuracy=sum(a.date_ok for a in scores) / n,
        source_accuracy=sum(a.source_ok for a in scores) / n,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m monitor.evaluation.cleaning",
        description="Score the text cleaner against a labels file (schema of seeds.json).",
    )
    parser.add_argument("labels", type=Path, help="labels JSON, e.g. tests/data/gold/seeds.json")
    parser.add_argument("folder", type=Path, nargs="?", help="folder holding the articles")
    parser.add_argument("--fail-under-f1", type=float, default=None, help="exit 1 below this")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.labels, args.folder)
    except LabelsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.text())
    if args.fail_under_f1 is not None and report.f1 < args.fail_under_f1:
        print(f"body-line F1 {report.f1:.3f} is below {args.fail_under_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
