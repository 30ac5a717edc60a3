"""The beat gate: does the article's lead read like an on-beat story at all?

The rules find the beat's words; real news uses them in other senses, and new publishers
bring senses no veto names. The learned decision (decide.py) weighs each tag's evidence
but learned from the rule tags of the train split, where the rules tag almost no off-beat
article, so it cannot tell an off-beat article from an on-beat one: on new publishers a
quarter of the off-beat items still got a topic. The gate is learned from every labelled
excerpt, on-beat against off-beat, tagged or not (monitor/evaluation/beat_gate.py): a
logistic regression over the lead's folded words, one per language. Under its bar the
article's decided topics are refused, each with the probability and the words that
weighed most against the beat, which `monitor show --why` prints.

It reads the first LEAD_WORDS words, whatever the article's length: the labelled
excerpts it learned from are leads of that size, and a story says what it is about there.
Topics the file does not name (a user's own) are left alone; a missing file is no gate.
Shipped as data/beat.json; inference is a sum of the present words' weights.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.config import ConfigError
from monitor.models import TopicTag
from monitor.tagging.context import Refusal, language
from monitor.tagging.terms import Document
from monitor.tagging.word_score import excerpt_words, weighed_most

SHIPPED = Path(__file__).parent / "data" / "beat.json"
LEAD_WORDS = 250  # the labelled excerpts it learned from have at most 256 words
# Shorter texts (a feed summary, a news flash) are left to the rules and the decision: 99%
# of the labelled excerpts it learned from have 40 words or more, and on one-sentence
# passages (tests/data/tagging, written here, 13-42 words) it refused on-beat items as
# often as look-alikes.
MIN_WORDS = 40


def judged(doc: Document) -> bool:
    """Whether the gate judges this text at all (MIN_WORDS): in the daemon and in the
    training's folds alike."""
    return len(doc.tokens) >= MIN_WORDS


def lead_words(doc: Document) -> frozenset[str]:
    """The distinct folded words of the article's first LEAD_WORDS words: what the gate
    reads, in training and in the daemon alike."""
    # Each distinct token folded once (a lead repeats a third of its words); a text no
    # longer than the lead reuses the set of its tokens the matchers already made.
    if len(doc.tokens) <= LEAD_WORDS:
        return excerpt_words(doc.types)
    return excerpt_words(set(doc.tokens[:LEAD_WORDS]))


@dataclass(frozen=True)
class LanguageGate:
    weights: dict[str, float]
    bias: float
    bar: float
    # The weights of the words a refusal may name: all but the language's most common
    # words ("the", "and", في), which weigh but say nothing about what an article is about.
    named: dict[str, float]

    def probability(self, words: frozenset[str]) -> float:
        z = self.bias + sum(self.weights.get(w, 0.0) for w in words)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class BeatGate:
    languages: dict[str, LanguageGate]
    topics: frozenset[str]  # the topics it decides: those its labels name (the shipped ones)
    source: str

    def review(
        self, tags: Sequence[TopicTag], doc: Document
    ) -> tuple[list[TopicTag], list[Refusal]]:
        """The tags it keeps, and those it refuses, with why."""
        gate = self.languages.get(language(doc))
        mine = [t for t in tags if t.topic in self.topics]
        if gate is None or not mine or not judged(doc):
            return list(tags), []
        words = lead_words(doc)
        p = gate.probability(words)
        if p >= gate.bar:
            return list(tags), []
        against = weighed_most(gate.named, words, against=True)
        reason = f"off the beat: the lead reads like no on-beat story (p={p:.2f} < {gate.bar:g})"
        if against:
            reason += "; words against it: " + ", ".join(against)
        kept = [t for t in tags if t.topic not in self.topics]
        return kept, [Refusal(t.topic, t.score, reason) for t in mine]


def load_beat_gate(path: Path | None = None) -> BeatGate | None:
    """The gate file (the shipped one by default); None when it does not exist. A file
    that does not parse is a configuration error that names it and says what to do."""
    path = path or SHIPPED
    if not path.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        languages = {}
        for lang, g in data["languages"].items():
            weights = {str(w): float(v) for w, v in g["weights"].items()}
            common = set(g.get("common", ()))
            languages[str(lang)] = LanguageGate(
                weights=weights,
                bias=float(g["bias"]),
                bar=float(g["bar"]),
                named={w: v for w, v in weights.items() if w not in common},
            )
        topics = frozenset(str(t) for t in data["topics"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{path}: not a beat gate file ({exc}); rebuild it with `python -m "
            "monitor.evaluation.beat_gate --write`, or set [tagging] beat_gate = false"
        ) from exc
    return BeatGate(languages, topics, str(path))
