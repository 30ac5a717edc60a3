"""The topic tagger as the daemon runs it: the taxonomy's rules, the learned decision on
each tag (decide.py) and the beat gate on the whole article (beat.py).

Built here by the daemon, `monitor retag`, `make eval`, the benchmarks and the tests
alike, so that no place measures a tagger the daemon does not run (the gate, added
later than the decision, would otherwise have to be remembered at each of them)."""

from __future__ import annotations

from monitor.tagging.beat import load_beat_gate
from monitor.tagging.compiled import VocabularyCache
from monitor.tagging.decide import load_decision
from monitor.tagging.taxonomy import Taxonomy
from monitor.tagging.topics import TopicTagger


def shipped_topics(
    taxonomy: Taxonomy, cache: VocabularyCache | None = None, beat_gate: bool = True
) -> TopicTagger:
    """`taxonomy`'s rules with the shipped learned parts (those whose files exist);
    `beat_gate`: the `[tagging] beat_gate` setting."""
    beat = load_beat_gate() if beat_gate else None
    return TopicTagger(taxonomy, cache, decision=load_decision(), beat=beat)
