"""The decision's word score and its folds: what decision.py trains with and
decision_words.py measures (issue 17).

A naive-Bayes log-count ratio of "this topic's tag is right" over the folded words of the
excerpt (or of a window around the topic's hits), learned from the training tags, per
topic with a pooled back-off; computed out-of-fold wherever a fold's own tags are scored,
and the bars chosen inside each fold as `python -m monitor.evaluation.decision` does
(nested_keep). Kept apart from the measuring command so that the decision's training
imports the machinery, not a command-line tool.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from monitor.evaluation.decision import (
    SHARED_FROZEN,
    Candidate,
    LangSpec,
    Prices,
    _probabilities,
    choose_bars,
    fit,
    folds_by_publisher,
    is_top,
)
from monitor.evaluation.decision_variants import EXTRA
from monitor.tagging.decide import FEATURES, WordForm, features, word_feature
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger
from monitor.tagging.word_score import UNSEEN, excerpt_words, fold_word

# What decision.py ships (chosen here: per topic, unseen words counted, each topic's 400
# words furthest from an unseen word's ratio, the strongest tag's score times n/(n+100) so
# that a lead cannot lose its main topic to its words; see docs/tagging.md for the table,
# measured with --fresh: the fresh split and the seeds' leads beside the folds).
SHIPPED_OPTIONS_KW = {"mode": "unseen", "min_df": 2, "cap": 400, "top_shrink": 100.0}


def words_of(tokens: Sequence[str], positions: Sequence[int], window: int) -> set[str]:
    """The folded words of the excerpt (window 0) or within `window` words of a hit."""
    if window <= 0:
        return set(excerpt_words(tokens))
    out: set[str] = set()
    for p in positions:
        for t in tokens[max(0, p - window) : p + window + 1]:
            if len(t) > 2 and not t.isdigit():
                out.add(fold_word(t))
    return out


@dataclass
class WordCand:
    cand: Candidate
    words: frozenset[str]


@dataclass(frozen=True)
class Options:
    window: int = 0  # 0: the whole excerpt
    mode: str = "both"  # "topic", "global" or "both" (per topic, backed off to pooled)
    alpha: float = 1.0
    min_df: int = 2
    shrink: float = 20.0  # pseudo-count: a topic's own ratio counts n/(n+shrink)
    cap: int = 0  # "lean": keep each topic's `cap` words of largest |ratio| (0: all)
    # How the lean table's ratios make one number (word_score.word_score's arguments).
    form_shrink: float = 0.0
    form_clip: float = 0.0
    known_only: bool = False
    nontop: bool = False  # the word score only for tags that are not the article's strongest
    top_shrink: float = 0.0  # for the strongest tag, the score times n / (n + top_shrink)
    # How the model treats the two languages (decision.LangSpec: shared, offsets,
    # interact, split) and the penalty on the Arabic offsets; lang_words: a word table
    # per language and topic instead of per topic (tag17y).
    lang: str = "shared"
    lang_l2: float = 1.0
    lang_words: bool = False
    joint_bars: bool = False  # one pair of bars for both languages (tag17y, measured)
    # Languages decided by a model of their own, fitted (weights, biases, word tables) on
    # that language's tags alone; the others by the model fitted on both (tag17y).
    own: tuple[str, ...] = ()
    # tag17aj's variants (measured, not shipped): the weight of a right tag in the fit,
    # the L2 on the pair features (decision.Prices), and a second model, fitted on the
    # tags that are not their article's strongest alone, deciding those (passing mentions).
    right: float = 1.0
    pair_l2: float = 0.0
    passing: float = 1.0
    stage: bool = False
    extra: tuple[str, ...] = ()  # decision_variants.EXTRA features, after the pairs
    extra_own: bool = False  # the extra features for the languages' own models only
    # A feature learned from the training tags, appended after the word score: given a
    # fit's training tags, the scorer of a tag (encoder_feature.py's centroid score;
    # measured only, decision.json has no such feature).
    learned: Callable[[list[WordCand]], Callable[[WordCand], float]] | None = None


def prices(o: Options | None) -> Prices:
    """The options' decision.Prices (the shipped fit's without options)."""
    return Prices(o.right, o.pair_l2, o.passing) if o is not None else Prices()


def shared_prices(o: Options | None) -> Prices:
    """The shared model's prices: the options', with decide.OWN_ONLY's columns held at 0
    when a language has a model of its own."""
    p = prices(o)
    return replace(p, frozen=SHARED_FROZEN) if o is not None and o.own else p


def spec(o: Options | None) -> LangSpec:
    """The options' LangSpec (the shared model without options)."""
    return LangSpec(o.lang, o.lang_l2) if o is not None else LangSpec()


def table_key(o: Options, cand: Candidate) -> str:
    """The word table a candidate reads: its topic's, or its language's and topic's."""
    return f"{cand.lang}:{cand.topic}" if o.lang_words else cand.topic


def word_model(train: list[WordCand], o: Options) -> Callable[[WordCand], float]:
    """The log-count-ratio score fitted on `train`: the mean ratio of an excerpt's words."""
    if o.mode in ("lean", "unseen"):
        table = lean_table(train, o)
        form = WordForm(
            shrink=o.form_shrink, clip=o.form_clip, known_only=o.known_only, top_shrink=o.top_shrink
        )
        top = FEATURES.index("is_top")

        def lean(c: WordCand) -> float:
            strongest = c.cand.x[top] == 1.0
            if o.nontop and strongest:
                return 0.0
            return word_feature(table.get(table_key(o, c.cand), {}), c.words, form, strongest)

        return lean

    df: Counter[str] = Counter()
    for c in train:
        df.update(c.words)
    vocab = {w for w, n in df.items() if n >= o.min_df}
    pos: dict[str, Counter[str]] = defaultdict(Counter)
    neg: dict[str, Counter[str]] = defaultdict(Counter)
    npos: Counter[str] = Counter()
    nneg: Counter[str] = Counter()
    for c in train:
        key = c.cand.topic
        ws = c.words & vocab
        for k in (key, "*"):
            if c.cand.right:
                pos[k].update(ws)
                npos[k] += 1
            else:
                neg[k].update(ws)
                nneg[k] += 1

    def ratio(k: str, w: str) -> float:
        a = o.alpha
        p = (pos[k][w] + a) / (npos[k] + 2 * a)
        q = (neg[k][w] + a) / (nneg[k] + 2 * a)
        return math.log(p / q)

    def score(c: WordCand) -> float:
        ws = [w for w in c.words if w in vocab]
        if not ws:
            return 0.0
        t = c.cand.topic
        total = 0.0
        for w in ws:
            g = ratio("*", w)
            if o.mode == "global":
                total += g
                continue
            own = ratio(t, w)
            if o.mode == "topic":
                total += own
                continue
            n = pos[t][w] + neg[t][w]
            lam = n / (n + o.shrink)
            total += lam * own + (1 - lam) * g
        return total / math.sqrt(len(ws))

    return score


def lean_table(train: list[WordCand], o: Options) -> dict[str, dict[str, float]]:
    """Per topic, the log-count ratio of the words seen in at least min_df of its tags
    (the `cap` of largest |ratio| when cap is set): what decision.json ships."""
    out: dict[str, dict[str, float]] = {}
    by_topic: dict[str, list[WordCand]] = defaultdict(list)
    for c in train:
        by_topic[table_key(o, c.cand)].append(c)
    a = o.alpha
    for topic, cands in by_topic.items():
        pos: Counter[str] = Counter()
        neg: Counter[str] = Counter()
        for c in cands:
            (pos if c.cand.right else neg).update(c.words)
        npos = sum(c.cand.right for c in cands)
        nneg = len(cands) - npos
        r = {
            w: math.log(((pos[w] + a) / (npos + 2 * a)) / ((neg[w] + a) / (nneg + 2 * a)))
            for w in set(pos) | set(neg)
            if pos[w] + neg[w] >= o.min_df
        }
        # A word never seen with the topic: the ratio of two zero counts.
        unseen = math.log((nneg + 2 * a) / (npos + 2 * a)) if o.mode == "unseen" else 0.0
        if o.cap:
            # The words whose ratio is furthest from an unseen word's: the rest read as
            # unseen (weighting by how many tags carry a word measured worse).
            r = {w: r[w] for w in sorted(r, key=lambda w: (-abs(r[w] - unseen), w))[: o.cap]}
        out[topic] = {**r, UNSEEN: unseen} if o.mode == "unseen" else r
    return out


def augment(train: list[WordCand], target: list[WordCand], o: Options | None) -> list[Candidate]:
    """The target tags with the features learned from `train`: the word score, then the
    options' `learned` feature when they have one."""
    if o is None:
        return [c.cand for c in target]
    score = word_model(train, o)
    if o.learned is None:
        return [replace(c.cand, x=[*c.cand.x, score(c)]) for c in target]
    more = o.learned(train)
    return [replace(c.cand, x=[*c.cand.x, score(c), more(c)]) for c in target]


def out_of_fold(train: list[WordCand], o: Options | None, k: int = 5) -> list[Candidate]:
    """The training tags with a word score from models that never saw their publisher."""
    if o is None:
        return [c.cand for c in train]
    pubs = folds_by_publisher([c.cand for c in train], k)
    out: dict[int, Candidate] = {}
    for fold in pubs:
        rest = [c for c in train if c.cand.publisher not in fold]
        idx = [i for i, c in enumerate(train) if c.cand.publisher in fold]
        for i, c in zip(idx, augment(rest, [train[i] for i in idx], o), strict=True):
            out[i] = c
    return [out[i] for i in range(len(train))]


def fit_predict(
    train: list[WordCand], held: list[WordCand], topics: list[str], o: Options | None
) -> tuple[list[Candidate], np.ndarray]:
    """The held-out tags (with their word score) and the probabilities a model fitted on
    `train` gives them: the shared model's, or for a language in `o.own` its own's; with
    `o.stage`, a tag that is not its article's strongest gets a second model's, fitted on
    such tags alone."""
    cands, p = _fit_predict(train, held, topics, o)
    if o is None or not o.stage:
        return cands, p
    top = FEATURES.index("is_top")
    train2 = [c for c in train if c.cand.x[top] != 1.0]
    idx = [i for i, c in enumerate(held) if c.cand.x[top] != 1.0]
    if train2 and idx:
        c2, p2 = _fit_predict(train2, [held[i] for i in idx], topics, replace(o, stage=False))
        p[idx] = p2
        for i, c in zip(idx, c2, strict=True):
            cands[i] = c
    return cands, p


def _fit_predict(
    train: list[WordCand], held: list[WordCand], topics: list[str], o: Options | None
) -> tuple[list[Candidate], np.ndarray]:
    shared = shared_prices(o)
    if o is not None and o.extra_own and o.extra and train:
        n = len(train[0].cand.x)
        shared = replace(shared, frozen=tuple(range(n - len(o.extra), n)))
    w, b = fit(out_of_fold(train, o), topics, spec(o), shared)
    cands = augment(train, held, o)
    p = _probabilities(cands, topics, np.concatenate([w, b]), spec(o))
    for lang in o.own if o is not None else ():
        alone = replace(o, own=())
        mine = [c for c in train if c.cand.lang == lang]
        idx = [i for i, c in enumerate(held) if c.cand.lang == lang]
        if not mine or not idx:
            continue
        w, b = fit(out_of_fold(mine, alone), topics, spec(alone), prices(alone))
        own = augment(mine, [held[i] for i in idx], alone)
        p[idx] = _probabilities(own, topics, np.concatenate([w, b]), spec(alone))
        for i, c in zip(idx, own, strict=True):
            cands[i] = c
    return cands, p


def cross_validate(wc: list[WordCand], topics: list[str], k: int, o: Options | None) -> np.ndarray:
    p = np.zeros(len(wc))
    for fold in folds_by_publisher([c.cand for c in wc], k):
        train = [c for c in wc if c.cand.publisher not in fold]
        idx = [i for i, c in enumerate(wc) if c.cand.publisher in fold]
        _held, p[idx] = fit_predict(train, [wc[i] for i in idx], topics, o)
    return p


def nested_keep(
    wc: list[WordCand],
    missed: dict[str, set[str]],
    topics: list[str],
    items: list[dict[str, Any]],
    k: int,
    o: Options | None,
    seen: dict[int, tuple[Candidate, float, float]] | None = None,
) -> np.ndarray:
    """Which tags a model keeps when even its bars never saw the publisher: for each fold,
    the bars are chosen on the other folds' own cross-validation, and the model fitted on
    them decides the fold, with the word score computed inside every fold. The plain
    cross-validated figures choose the bars on the same predictions they report, so they
    flatter a little; this is the honest estimate. `seen`, when given, gets each tag's
    held-out candidate, probability and bar (topic_misses.py lists the refusals)."""
    cands = [c.cand for c in wc]
    keep = np.zeros(len(wc), dtype=bool)
    for fold in folds_by_publisher(cands, k):
        inner = [c for c in wc if c.cand.publisher not in fold]
        inner_items = [i for i in items if i["publisher"] not in fold]
        inner_missed = {i["id"]: missed[i["id"]] for i in inner_items if i["id"] in missed}
        p_inner = cross_validate(inner, topics, k - 1, o)
        idx = [i for i, c in enumerate(wc) if c.cand.publisher in fold]
        held, p = fit_predict(inner, [wc[i] for i in idx], topics, o)
        inner_c = [c.cand for c in inner]
        held_top = is_top(held)
        for lang in ("ar", "en"):
            tt, t = choose_bars(
                inner_c, p_inner, is_top(inner_c), inner_missed, inner_items,
                None if o is not None and o.joint_bars else lang,
            )  # fmt: skip
            for j, i in enumerate(idx):
                if held[j].lang == lang:
                    keep[i] = p[j] >= (tt if held_top[j] else t)
                    if seen is not None:
                        seen[i] = (held[j], float(p[j]), tt if held_top[j] else t)
    return keep


def word_candidates(
    items: list[dict[str, Any]], tagger: TopicTagger, window: int, extra: Sequence[str] = ()
) -> tuple[list[WordCand], dict[str, set[str]]]:
    """The rules' tags on the train items, each with its words, and the labelled topics
    the rules missed (per item: the model cannot add a tag, so those stay misses);
    `extra`: decision_variants.EXTRA features appended to each tag's (measured only)."""
    out: list[WordCand] = []
    missed: dict[str, set[str]] = {}
    thresholds = {t: r.threshold for t, r in tagger.taxonomy.topics.items()}
    topics = tagger.taxonomy.topic_ids()
    for item in items:
        doc = Document(item["text"])
        tags = tagger.tag(doc)
        want = set(item["topics"])
        missed[item["id"]] = want - {t.topic for t in tags}
        for tag in tags:
            x = features(tag, thresholds[tag.topic], tags, doc, topics, pairs=True)
            x += [EXTRA[name](tag, tags, doc) for name in extra]
            positions = [p for m in tag.matches for p in m.positions]
            cand = Candidate(
                item["id"], item["publisher"], item["lang"], tag.topic, x, tag.topic in want,
                item["kind"] == "offbeat",
            )  # fmt: skip
            out.append(WordCand(cand, frozenset(words_of(doc.tokens, positions, window))))
    return out, missed
