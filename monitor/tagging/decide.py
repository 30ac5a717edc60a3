"""A learned second opinion on each topic the rules give: is the article about it, or does
it only mention it in passing?

The rules say whether an article uses a topic's words; real news also names a topic in
passing (a sanctions story that recalls "the war in Ukraine", a Security Council story
that calls the meeting "diplomatic"). An analyst labels those as not about the topic.
What tells them apart is in the evidence itself: how far the score is above the
threshold, how many distinct terms, where the first one is, how the topic compares with
the article's strongest topic, and which topic that is (a second topic in a sanctions
story reads differently from one in a launch report). A logistic regression over those
evidence features,
and one read from the article's words (word_score.py: does the excerpt read like the
topic's on-beat stories?), trained on the real set's train split and cross-validated
there by publisher (monitor/evaluation/decision.py), decides; the rules' evidence stays
what `monitor show` prints, and a refused tag says so with the model's probability and
the words that weighed most against it. For the article's strongest topic the word
evidence shrinks with the excerpt's length (WordForm.top_shrink): a lead carries too few
words to overrule what the rules found strongest.

Shipped as a small JSON file (data/decision.json: feature names, weights, threshold and
the cross-validated figures it was chosen by); inference is a dot product in pure Python.
A language may have a model of its own (the file's "languages": weights, biases and word
tables for the same features): English does since tag17y, where a model fitted on the
English excerpts alone raised its folds (0.904 to 0.917) and no model of Arabic's own
raised Arabic's, which the model fitted on both languages decides.
Topics the file does not name (a user's own) are left to the rules alone.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from monitor.config import ConfigError
from monitor.models import TopicTag
from monitor.tagging.context import Refusal, language
from monitor.tagging.terms import Document
from monitor.tagging.word_score import excerpt_words, weighed_most, word_score

SHIPPED = Path(__file__).parent / "data" / "decision.json"
LEAD = 40  # words: the title and first sentence, where a story says what it is about
# Words that make what follows a reason or a date, not the story: "amid Russia's invasion",
# "since the West imposed sanctions", "بسبب الحرب", "على خلفية", "في أعقاب". A topic whose
# hits follow them (within BACKGROUND_WINDOW words) is named as background, which is how
# a bread-price or concert story names the war (found on the real set's train split).
# "over" and "in response to" give a measure's reason ("sanctions over the invasion of
# Ukraine", "in response to ballistic missile tests"): added with the thirteenth English
# collection, they raised the lower of precision and recall in both languages (folds by
# publisher, bars chosen inside each fold, averaged over 4 to 7 folds).
BACKGROUND_CUES = (
    "amid", "since", "following", "due", "because", "wake", "over", "response",
    "منذ", "أعقاب", "خلفية", "بسبب", "نتيجة", "إثر", "جراء", "وسط", "ظل",
)  # fmt: skip
BACKGROUND_WINDOW = 6
_CUE_TOKENS = frozenset(Document(cue).tokens[0] for cue in BACKGROUND_CUES)
# Where an analyst reads what a story is about: its headline, and its first two sentences
# (the headline and the lead's first, when there is a headline). A topic named there is
# rarely in passing, however few its hits (tag17aj, English's own model; docs/tagging.md).
# A sentence ends at . ! ? or ؟ before a space, or at a line's end; a first line of at most
# HEADLINE_WORDS words with more lines after it is a headline.
SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+")
HEADLINE_WORDS = 25
FIRST_SENTENCES = 2

FEATURES = (
    "log_score_over_threshold",
    "log_distinct_terms",
    "log_hits",
    "first_position",
    "in_lead",
    "share_of_scores",
    "is_top",
    "topics_given",
    "log_words",
    "arabic",
    "lead_share",
    "hits_per_100_words",
    "background_share",
    "in_headline",
    "in_first_sentences",
)
# Features only a language's own model reads (the shared model, which decides Arabic, holds
# them at 0 weight: with them, the Arabic test-split floor failed; tag17aj).
OWN_ONLY = ("in_headline", "in_first_sentences")
OWN_ONLY_COLUMNS = tuple(FEATURES.index(f) for f in OWN_ONLY)
# One more feature per topic the file names: "the article's strongest topic is T" (0 for
# the strongest tag itself, and for all of them when the strongest is a topic the file does
# not name). Written in the file as STRONGEST + topic id, after FEATURES.
STRONGEST = "strongest_is:"
# And one per ordered pair of those topics: "the strongest is A and this tag is B". Which
# second topic a story carries depends on what leads it: a nuclear test beside a Security
# Council meeting is the story, a weapons programme named in a sanctions notice mostly is
# not; the strongest topic alone cannot say both (on the train split's folds the pairs
# raised English from 0.899 to 0.908 and left Arabic level). Written as PAIR + "A>B", after
# the STRONGEST features; a file without them still loads and decides without them.
PAIR = "pair:"
# And last, one feature read from the article's words (word_score.py): the excerpt's
# naive-Bayes log-count ratio for this tag's topic, from the file's "words" tables. Its
# shipped form (shrunk for the article's strongest tag, so a short lead keeps the topic its
# rules found strongest) left the train folds level (0.883 / 0.882 against 0.882 / 0.881)
# and raised precision on a fresh batch of 80 excerpts from new publishers, held out from
# the fit (Arabic 0.800 to 0.812, English 0.781 to 0.806); figures and the forms tried:
# docs/tagging.md. A file without it still loads and decides without it.
WORDS = "word_score"


class WordForm(NamedTuple):
    """How the word tables' ratios make the feature (word_score.word_score's arguments),
    written in the file as "word_form" (a file without it: the plain sum, as first shipped)."""

    shrink: float = 0.0
    clip: float = 0.0
    known_only: bool = False
    # For the article's strongest tag only, the score times n / (n + top_shrink), n the
    # excerpt's distinct words: a lead or a feed summary carries too few words to refuse
    # the topic the rules found strongest (a summit report's first 600 characters did).
    top_shrink: float = 0.0


def pair_names(topics: Sequence[str]) -> list[str]:
    """The pair features' names for these topics, in the order features() gives them."""
    return [f"{PAIR}{a}>{b}" for a in topics for b in topics if a != b]


def features(
    tag: TopicTag,
    threshold: float,
    tags: Sequence[TopicTag],
    doc: Document,
    topics: Sequence[str] = (),
    pairs: bool = False,
    word_tables: Mapping[str, Mapping[str, float]] | None = None,
    doc_words: frozenset[str] | None = None,
    word_form: WordForm | None = None,
    ends: tuple[int, int] | None = None,
) -> list[float]:
    """The evidence of one given tag, as numbers (FEATURES, in order, then one per topic
    of `topics`: whether it is the article's strongest, when this tag is not; with
    `pairs`, then one per ordered pair of `topics`: pair_names(); with `word_tables` (per topic
    the word_score tables), last the excerpt's word score for the tag's topic). `ends`: the
    document's (headline_end, first_sentences_end), computed here when not given."""
    words = max(len(doc.tokens), 1)
    positions = [p for m in tag.matches for p in m.positions]
    first = min(positions, default=words)
    total = sum(t.score for t in tags) or tag.score
    top = max(t.score for t in tags) if tags else tag.score
    strongest = max(tags, key=lambda t: t.score).topic if tag.score < top else None
    headline, lead = ends if ends is not None else (headline_end(doc), first_sentences_end(doc))
    return (
        [
            math.log(max(tag.score, 0.1) / threshold),
            math.log1p(len(tag.matches)),
            math.log1p(sum(m.count for m in tag.matches)),
            first / words,
            1.0 if first < LEAD else 0.0,
            tag.score / total,
            1.0 if tag.score >= top else 0.0,
            float(len(tags)),
            math.log(words),
            1.0 if language(doc) == "ar" else 0.0,
            sum(1 for p in positions if p < LEAD) / max(len(positions), 1),
            100.0 * len(positions) / words,
            _background_share(positions, doc.tokens),
            1.0 if first < headline else 0.0,
            1.0 if first < lead else 0.0,
        ]
        + [1.0 if strongest == t else 0.0 for t in topics]
        + (
            [
                1.0 if strongest == a and tag.topic == b else 0.0
                for a in topics
                for b in topics
                if a != b
            ]
            if pairs
            else []
        )
        + (
            [_word_feature(tag, tag.score >= top, doc, word_tables, doc_words, word_form)]
            if word_tables is not None
            else []
        )
    )


def _word_feature(
    tag: TopicTag,
    is_top: bool,
    doc: Document,
    word_tables: Mapping[str, Mapping[str, float]],
    doc_words: frozenset[str] | None,
    word_form: WordForm | None,
) -> float:
    """The tag's word score (WORDS) in the file's form (WordForm)."""
    words = doc_words if doc_words is not None else excerpt_words(doc.tokens)
    return word_feature(word_tables.get(tag.topic, {}), words, word_form or WordForm(), is_top)


def word_feature(
    table: Mapping[str, float], words: frozenset[str], form: WordForm, strongest: bool
) -> float:
    """The word score (WORDS) of a tag's topic `table` over the excerpt's `words`, in
    `form`; `strongest`: the tag is the article's strongest (the is_top feature). One
    function for the daemon and the training (evaluation/word_folds.py), so the feature the
    weights were fitted on is the one they are applied to."""
    score = word_score(table, words, form.shrink, form.clip, form.known_only)
    if form.top_shrink and strongest:
        score *= len(words) / (len(words) + form.top_shrink)
    return score


def headline_end(doc: Document) -> int:
    """The token index where the headline ends (0: the text opens with no headline, that
    is with no first line of at most HEADLINE_WORDS words followed by more lines)."""
    if len(doc.line_start) < 2 or doc.line_start[1] > HEADLINE_WORDS:
        return 0
    return doc.line_start[1]


def first_sentences_end(doc: Document, n: int = FIRST_SENTENCES) -> int:
    """The token index where the excerpt's sentence n + 1 starts (the number of tokens when
    it has n sentences or fewer). Only the first sentences are tokenised again."""
    found = 0
    for line, at in zip(doc.lines, doc.line_start, strict=True):
        for piece in SENTENCE_END.split(line):
            words = len(Document(piece).tokens)
            if words:
                found += 1
                if found > n:
                    return at
                at += words
    return len(doc.tokens)


def _background_share(positions: Sequence[int], tokens: Sequence[str]) -> float:
    """The share of a tag's hits that follow a background cue (BACKGROUND_CUES)."""
    if not positions:
        return 0.0
    cued = sum(
        1
        for p in positions
        if any(tokens[q] in _CUE_TOKENS for q in range(max(0, p - BACKGROUND_WINDOW), p))
    )
    return cued / len(positions)


@dataclass(frozen=True)
class LanguageModel:
    """One language's own weights, topic biases and word tables, in place of the shared
    ones (a file's "languages": the two languages' evidence is not on one scale, and
    each one's folds can choose a model fitted on its excerpts alone)."""

    weights: tuple[float, ...]
    bias: dict[str, float]
    words: Mapping[str, Mapping[str, float]] | None = None


@dataclass(frozen=True)
class Decision:
    """A logistic regression per topic: shared feature weights plus a bias per topic (a
    language in `languages` has its own of both)."""

    weights: tuple[float, ...]
    bias: dict[str, float]  # per topic id; a topic not here is not decided
    # Per language ("ar", "en"): the two languages' evidence reads differently (Arabic
    # clitics, shorter wire leads), so each has the bar its own folds chose.
    threshold: dict[str, float]
    source: str
    top_threshold: dict[str, float] = field(default_factory=dict)  # the strongest topic's
    # The longest text it decides, in words: it learned from excerpts (the longest train
    # excerpt, with a margin), and a whole article's evidence reads differently (more
    # topics, later first hits), so longer texts are left to the rules.
    max_words: int = 250
    strongest: tuple[str, ...] = ()  # the topics of the "strongest_is:" features, in order
    pairs: bool = False  # whether the PAIR features of those topics follow them
    # Per topic, the word_score table (WORDS, the last feature); None: no word feature.
    words: Mapping[str, Mapping[str, float]] | None = None
    word_form: WordForm = field(default_factory=WordForm)
    # Per language, a model of its own in place of the shared weights, biases and words.
    languages: Mapping[str, LanguageModel] = field(default_factory=dict)

    @cached_property
    def _shared(self) -> LanguageModel:
        return LanguageModel(self.weights, self.bias, self.words)

    def model(self, lang: str) -> LanguageModel:
        """The language's model: its own, or the shared one (built once, not a call)."""
        return self.languages.get(lang) or self._shared

    def probability(self, topic: str, x: Sequence[float], lang: str | None = None) -> float:
        return _probability(self.model(lang or ""), topic, x)

    def probabilities(
        self, tags: Sequence[TopicTag], thresholds: dict[str, float], doc: Document
    ) -> list[tuple[TopicTag, float | None, bool]]:
        """Each tag with the probability it gives it (None: a topic it does not decide) and
        whether it is the article's strongest. Apart from review() so that the bars can be
        chosen on the probabilities of many articles (evaluation/decision_bars.py)."""
        return self._probabilities(tags, thresholds, doc, self.model(language(doc)))[0]

    def _probabilities(
        self,
        tags: Sequence[TopicTag],
        thresholds: dict[str, float],
        doc: Document,
        model: LanguageModel,
    ) -> tuple[list[tuple[TopicTag, float | None, bool]], frozenset[str] | None]:
        """probabilities() under the document's language model (its caller has picked it),
        and the document's words the word score read (review() names the ones against a
        refused topic)."""
        out: list[tuple[TopicTag, float | None, bool]] = []
        top = max(t.score for t in tags)
        doc_words = excerpt_words(doc.types) if model.words is not None else None
        # Where the headline and the first sentences end: read once a document, and only
        # by a model that weighs them (the shared one holds them at 0: OWN_ONLY).
        ends = (
            (headline_end(doc), first_sentences_end(doc))
            if any(model.weights[i] for i in OWN_ONLY_COLUMNS)
            else (0, 0)
        )
        for tag in tags:
            if tag.topic not in model.bias:
                out.append((tag, None, False))
                continue
            x = features(
                tag, thresholds[tag.topic], tags, doc, self.strongest, self.pairs,
                model.words, doc_words, self.word_form, ends,
            )  # fmt: skip
            out.append((tag, _probability(model, tag.topic, x), tag.score >= top))
        return out, doc_words

    def review(
        self, tags: Sequence[TopicTag], thresholds: dict[str, float], doc: Document
    ) -> tuple[list[TopicTag], list[Refusal]]:
        """The tags it keeps, and those it refuses with the probability it gave them."""
        kept: list[TopicTag] = []
        refused: list[Refusal] = []
        lang = language(doc)
        model = self.model(lang)
        decided, doc_words = self._probabilities(tags, thresholds, doc, model)
        for tag, p, strongest in decided:
            if p is None:
                kept.append(tag)
                continue
            # The article's strongest topic has a lower bar of its own: a passing mention
            # is what else an article names; whether it is on the beat at all is mostly the
            # rules' call (anchors, vetoes), which say why in words.
            bar = (self.top_threshold if strongest else self.threshold).get(lang, 0.5)
            if p >= bar:
                kept.append(tag)
            else:
                what = (
                    "weak evidence even for the article's main topic"
                    if strongest
                    else "the evidence reads as a passing mention"
                )
                # The bar as written in the file (0.575 stays 0.575): p=0.57 < 0.57 would not read.
                reason = f"learned decision: p={p:.2f} < {bar:g} ({what})"
                if model.words is not None and doc_words is not None:
                    table = model.words.get(tag.topic, {})
                    against = weighed_most(table, doc_words, against=True)
                    if against:
                        reason += "; words against it: " + ", ".join(against)
                refused.append(Refusal(tag.topic, tag.score, reason))
        return kept, refused


def _probability(model: LanguageModel, topic: str, x: Sequence[float]) -> float:
    z = model.bias[topic] + sum(w * v for w, v in zip(model.weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _per_language(value: Any) -> dict[str, float]:
    """{"ar": x, "en": y}, or one number for both (files written before the split)."""
    if isinstance(value, dict):
        return {str(k): float(v) for k, v in value.items()}
    return {lang: float(value) for lang in ("ar", "en")}


def _words(tables: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    return {str(t): {str(w): float(v) for w, v in table.items()} for t, table in tables.items()}


def _language_model(data: Mapping[str, Any], features: int, words: bool) -> LanguageModel:
    """A file's "languages" entry: weights for the same features as the shared ones."""
    if len(data["weights"]) != features + words:
        raise ValueError(f"{len(data['weights'])} language weights for {features + words}")
    if words != ("words" in data):
        raise ValueError("a language's model has word tables when the shared one does")
    return LanguageModel(
        weights=tuple(float(w) for w in data["weights"]),
        bias={str(k): float(v) for k, v in data["bias"].items()},
        words=_words(data["words"]) if words else None,
    )


def load_decision(path: Path | None = None) -> Decision | None:
    """The decision file (the shipped one by default); None when it does not exist."""
    path = path or SHIPPED
    if not path.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        names = list(data["features"])
        words = None
        if names and names[-1] == WORDS:
            names = names[:-1]
            words = _words(data["words"])
        extra = names[len(FEATURES) :]
        strongest = [n[len(STRONGEST) :] for n in extra if n.startswith(STRONGEST)]
        rest = extra[len(strongest) :]
        if (
            names[: len(FEATURES)] != list(FEATURES)
            or extra[: len(strongest)] != [STRONGEST + t for t in strongest]
            or rest not in ([], pair_names(strongest))
        ):
            raise ValueError(
                f"features {names} are not {list(FEATURES)}, then {STRONGEST}<topic> "
                f"and optionally {PAIR}<topic>><topic> for every ordered pair of them, "
                f"then optionally {WORDS}"
            )
        if len(data["weights"]) != len(names) + (words is not None):
            raise ValueError(f"{len(data['weights'])} weights for {len(data['features'])} features")
        return Decision(
            weights=tuple(float(w) for w in data["weights"]),
            bias={str(k): float(v) for k, v in data["bias"].items()},
            threshold=_per_language(data["threshold"]),
            top_threshold=_per_language(data["top_threshold"]),
            source=str(path),
            max_words=int(data["max_words"]),
            strongest=tuple(strongest),
            pairs=bool(rest),
            words=words,
            word_form=WordForm(**data.get("word_form", {})),
            languages={
                str(lang): _language_model(m, len(names), words is not None)
                for lang, m in data.get("languages", {}).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{path}: not a decision file ({exc}); rebuild it with "
            "`python -m monitor.evaluation.decision --write`, or delete it to use the rules alone"
        ) from exc
