"""The scores every evaluation reports, defined once so they mean the same everywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Counts:
    """True and false positives and false negatives; nothing predicted and nothing
    expected count as perfect precision and recall, not as a division by zero."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def add(self, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)


def bcubed(
    predicted: dict[str, str], gold: dict[str, str], over: Collection[str] | None = None
) -> tuple[float, float]:
    """B-cubed precision and recall (Bagga and Baldwin): unlike pair counts, a big event
    does not outweigh the small ones, and a singleton kept alone counts as right.
    `over`: average over these items only (a held-out fold), each still judged against
    its whole story and event."""
    by_story: dict[str, set[str]] = defaultdict(set)
    by_event: dict[str, set[str]] = defaultdict(set)
    for item, story in predicted.items():
        by_story[story].add(item)
    for item, event in gold.items():
        by_event[event].add(item)
    precision = recall = 0.0
    items = gold if over is None else over
    for item in items:
        story, event = by_story[predicted[item]], by_event[gold[item]]
        both = len(story & event)
        precision += both / len(story)
        recall += both / len(event)
    return precision / len(items), recall / len(items)


def cross_language(
    predicted: dict[str, str], gold: dict[str, str], lang: dict[str, str]
) -> float | None:
    """Of the same-event pairs in two languages, the share put in one story."""
    pairs = together = 0
    items = sorted(gold)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if gold[a] == gold[b] and lang[a] != lang[b]:
                pairs += 1
                together += predicted[a] == predicted[b]
    return together / pairs if pairs else None
