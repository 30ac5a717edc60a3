"""Candidate features for the learned topic decision, measured before any is shipped
(issue 17, tag17aj): where and how often a tag's evidence falls.

The shipped features (monitor/tagging/decide.py) place a tag's hits by words: the first
hit's position, the share in the first 40 words, hits per 100 words. An analyst reads by
sentences: a topic that holds one clause of one sentence is named in passing, one that
runs through most sentences, or the headline, is the story. These read that, from the
Document the tagger built, and are appended to a candidate's features by
word_folds.word_candidates(extra=...), so a variant is judged by the same nested
folds as the shipped decision. Nothing here is imported by the runtime. `headline` and
`first_sentence` were adopted, for English's own model only, as decide.py's in_headline
and in_first_sentences (the same values); the others did not pay (docs/tagging.md).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from monitor.models import TopicTag
from monitor.tagging.decide import SENTENCE_END, first_sentences_end, headline_end
from monitor.tagging.terms import Document


def sentence_starts(doc: Document) -> list[int]:
    """The token index where each sentence starts (lines split at sentence ends)."""
    starts: list[int] = []
    for line, first in zip(doc.lines, doc.line_start, strict=True):
        at = first
        for piece in SENTENCE_END.split(line):
            n = len(Document(piece).tokens)
            if n:
                starts.append(at)
                at += n
    return starts or [0]


def _positions(tag: TopicTag) -> list[int]:
    return [p for m in tag.matches for p in m.positions]


def sentence_share(tag: TopicTag, tags: Sequence[TopicTag], doc: Document) -> float:
    """The share of the excerpt's sentences that hold a hit of the tag's topic."""
    starts = sentence_starts(doc)
    held = {bisect_right(starts, p) - 1 for p in _positions(tag)}
    return len(held) / len(starts)


def headline(tag: TopicTag, tags: Sequence[TopicTag], doc: Document) -> float:
    """1 when the excerpt opens with a headline (decide.headline_end) that holds a hit of
    the tag's topic: decide's in_headline."""
    end = headline_end(doc)
    return 1.0 if any(p < end for p in _positions(tag)) else 0.0


def first_sentence(tag: TopicTag, tags: Sequence[TopicTag], doc: Document) -> float:
    """1 when the excerpt's first two sentences (decide.first_sentences_end) hold a hit of
    the tag's topic: decide's in_first_sentences."""
    end = first_sentences_end(doc)
    return 1.0 if any(p < end for p in _positions(tag)) else 0.0


def own_sentences(tag: TopicTag, tags: Sequence[TopicTag], doc: Document) -> float:
    """The share of the tag's hit sentences that hold no hit of the article's strongest
    other topic: a passing mention shares the main story's sentences ("sanctions over the
    war"), a second story has sentences of its own."""
    starts = sentence_starts(doc)
    mine = {bisect_right(starts, p) - 1 for p in _positions(tag)}
    others = [t for t in tags if t.topic != tag.topic]
    if not others or not mine:
        return 1.0
    top = max(others, key=lambda t: t.score)
    theirs = {bisect_right(starts, p) - 1 for p in _positions(top)}
    return len(mine - theirs) / len(mine)


EXTRA: dict[str, Callable[[TopicTag, Sequence[TopicTag], Document], float]] = {
    "sentence_share": sentence_share,
    "headline": headline,
    "first_sentence": first_sentence,
    "own_sentences": own_sentences,
}
