"""Does the learned topic decision gain from the article's WORDS? (issue 17, measured)

The decision (monitor/tagging/decide.py) reads evidence only: scores, positions, the
strongest topic, pairs, background cues. Fresh collections keep bringing senses no veto
names, and the words around a topic's hits are what an analyst reads to tell them apart.
This adds ONE feature per tag: a naive-Bayes log-count ratio of "this topic's tag is
right" over the folded words of the excerpt (or of a window around the topic's hits),
learned from the train split's rule tags, per topic with a pooled back-off.

It must never be in-sample: inside every fold the word score of the fold's training tags
is itself computed out-of-fold (inner folds by publisher), and the held-out tags' score
comes from the training tags alone; the bars are chosen inside each fold as
`python -m monitor.evaluation.decision` does (nested_keep, below). The comparison is the honest
estimate's lower of precision and recall per language, averaged over 4, 5, 6 and 7 folds,
with and without the feature.

    python -m monitor.evaluation.decision_words [--scope doc|window] [--mode ...]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np

from monitor.evaluation.decision import (
    NEVER_TRAIN,
    _tagged,
    choose_bars,
    is_top,
    item_langs,
    scores,
    train_splits,
)
from monitor.evaluation.decision_bars import (
    BAR_SPLITS,
    Row,
    by_batch,
    choose,
    figures,
    held_out_margins,
    paired_interval,
    row,
)
from monitor.evaluation.decision_variants import EXTRA
from monitor.evaluation.real_news import REAL, read_real
from monitor.evaluation.seed_leads import seed_leads
from monitor.evaluation.word_folds import (
    SHIPPED_OPTIONS_KW,
    Options,
    WordCand,
    cross_validate,
    fit_predict,
    nested_keep,
    word_candidates,
)
from monitor.tagging.beat import load_beat_gate
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


def honest(
    wc: list[WordCand],
    missed: dict[str, set[str]],
    topics: list[str],
    items: list[dict[str, Any]],
    k: int,
    o: Options | None,
) -> dict[str, tuple[float, float, float, int]]:
    """Per language: precision, recall, lower of the two, off-beat excerpts tagged."""
    keep = nested_keep(wc, missed, topics, items, k, o)
    cands = [c.cand for c in wc]
    out = {}
    for lang in ("ar", "en"):
        c = scores(cands, keep, missed, lang, item_langs(items))
        off = {i["id"] for i in items if i["kind"] == "offbeat" and i["lang"] == lang}
        out[lang] = (
            c.precision,
            c.recall,
            min(c.precision, c.recall),
            len(_tagged(cands, keep, lang) & off),
        )
    return out


def on_fresh(
    wc: list[WordCand],
    missed: dict[str, set[str]],
    topics: list[str],
    items: list[dict[str, Any]],
    fresh: list[dict[str, Any]],
    tagger: TopicTagger,
    o: Options | None,
    leads: Sequence[str] = (),
) -> dict[str, tuple[float, float, int, int]]:
    """Per language on the fresh split: precision, recall, off-beat tagged, off-beat
    excerpts, with the model, the word tables and the bars all from the train split
    alone (as `decision --write` ships them): the unseen-text check of a variant."""
    cands = [c.cand for c in wc]
    p = cross_validate(wc, topics, 5, o)
    top = is_top(cands)
    joint = o is not None and o.joint_bars
    bars = {
        lang: choose_bars(cands, p, top, missed, items, None if joint else lang)
        for lang in ("ar", "en")
    }
    fresh_wc, fresh_missed = word_candidates(fresh, tagger, 0, o.extra if o else ())
    held, pf = fit_predict(wc, fresh_wc, topics, o)
    held_top = is_top(held)
    keep = np.array(
        [pf[j] >= bars[c.lang][0 if held_top[j] else 1] for j, c in enumerate(held)],
        dtype=bool,
    )
    out: dict[str, tuple[float, float, int, int]] = {}
    if leads:
        # Seeds' leads (a first burst of a file): how many rule tags the model refuses.
        lead_items = [
            {"id": f"lead-{n}", "publisher": "lead", "lang": "ar" if any(
                "\u0600" <= ch <= "\u06ff" for ch in t) else "en",
             "topics": [], "text": t, "kind": "positive"}
            for n, t in enumerate(leads)
        ]  # fmt: skip
        lw, _ = word_candidates(lead_items, tagger, 0, o.extra if o else ())
        lh, pl = fit_predict(wc, lw, topics, o)
        lead_top = is_top(lh)
        refused = [
            f"{c.item}:{c.topic}:{pl[j]:.2f}"
            for j, c in enumerate(lh)
            if pl[j] < bars[c.lang][0 if lead_top[j] else 1]
        ]
        out["leads"] = (float(len(lh)), float(len(refused)), 0, 0)
        print("  lead refusals: " + ", ".join(refused), flush=True)
    for lang in ("ar", "en"):
        c = scores(held, keep, fresh_missed, lang, item_langs(fresh))
        off = {i["id"] for i in fresh if i["kind"] == "offbeat" and i["lang"] == lang}
        out[lang] = (c.precision, c.recall, len(_tagged(held, keep, lang) & off), len(off))
    return out


def bar_rows(
    wc: list[WordCand],
    topics: list[str],
    tagger: TopicTagger,
    o: Options | None,
    longest: int,
    also: Sequence[str] = (),
) -> list[Row]:
    """The nine bar batches (decision_bars.BAR_SPLITS, new publishers nothing trains on) as
    the daemon would tag them with a model fitted on `wc` (its word score out-of-fold, as
    decision --write fits it): the beat gate as shipped, texts over max_words left to the
    rules: the probabilities decision_bars reads, so that on_bar_batches counts each batch
    at the bars the other eight choose and a variant is compared with the shipped options
    on new publishers without reading an excerpt of them. `also`: readable batches counted
    beside them. The rows are in the real set's order, so two variants' pair up."""
    batch = [i for i in read_real(REAL) if i["split"] in (*BAR_SPLITS, *also)]
    window, extra = (o.window, o.extra) if o is not None else (0, ())
    held, _missed = word_candidates(batch, tagger, window, extra)
    cands, p = fit_predict(wc, held, topics, o)
    top = is_top(cands)
    judged: dict[str, list[tuple[str, float, bool]]] = {}
    for c, pr, t in zip(cands, p, top, strict=True):
        judged.setdefault(c.item, []).append((c.topic, float(pr), bool(t)))
    gate = load_beat_gate()
    max_words = round(1.25 * longest)  # as decision --write sets it
    table = []
    for item in batch:
        doc = Document(item["text"])
        tags = list(tagger.tag(doc))
        if len(doc.tokens) > max_words:  # the rules' tags stand, as decide.py leaves them
            table.append(row(item, doc, tags, gate, {t.topic for t in tags}, []))
        else:
            table.append(row(item, doc, tags, gate, set(), judged.get(item["id"], [])))
    return table


def on_bar_batches(table: list[Row]) -> dict[str, tuple[int, int, int, int, int]]:
    """Per language: tp, fp, fn, off-beat tagged, off-beat excerpts of the bar batches,
    each at the bars the other eight choose; under "LANG+also", the other splits' count at
    the bars all nine choose (as shipped)."""
    out = {}
    for lang in ("ar", "en"):
        bars = [r for r in table if r.lang == lang and r.split in BAR_SPLITS]
        c, tagged, off = by_batch(bars)
        out[lang] = (c.tp, c.fp, c.fn, tagged, off)
        others = [r for r in table if r.lang == lang and r.split not in BAR_SPLITS]
        if others:
            c, tagged, off = figures(others, *choose(bars))
            out[f"{lang}+also"] = (c.tp, c.fp, c.fn, tagged, off)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--window", type=int, default=0)
    parser.add_argument("--mode", default="both")
    parser.add_argument("--alpha", type=float, default=1.0)
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--shrink", type=float, default=20.0)
    parser.add_argument("--cap", type=int, default=0)
    parser.add_argument("--form-shrink", type=float, default=0.0)
    parser.add_argument("--form-clip", type=float, default=0.0)
    parser.add_argument("--known-only", action="store_true")
    parser.add_argument("--nontop", action="store_true")
    parser.add_argument("--top-shrink", type=float, default=0.0)
    parser.add_argument(
        "--lang", default="shared", choices=["shared", "offsets", "interact", "split", "scale"],
        help="How the model treats the two languages (decision.LangSpec).",
    )  # fmt: skip
    parser.add_argument(
        "--own", nargs="*", default=[], choices=["ar", "en"],
        help="Languages decided by a model of their own (the others: the shared one).",
    )  # fmt: skip
    parser.add_argument(
        "--joint-bars", action="store_true", help="One pair of bars for both languages."
    )
    parser.add_argument("--lang-l2", type=float, default=1.0, help="L2 on the Arabic offsets.")
    parser.add_argument(
        "--lang-words", action="store_true", help="A word table per language and topic."
    )
    parser.add_argument(
        "--right", type=float, default=1.0, help="A right tag's weight in the fit (wrong: 1)."
    )
    parser.add_argument("--pair-l2", type=float, default=0.0, help="L2 on the pair features.")
    parser.add_argument(
        "--passing", type=float, default=1.0, help="A wrong tag's weight on an on-beat excerpt."
    )
    parser.add_argument(
        "--stage", action="store_true", help="A second model for tags not the strongest."
    )
    parser.add_argument(
        "--extra", nargs="*", default=[], choices=sorted(EXTRA),
        help="decision_variants features to add (measured only).",
    )  # fmt: skip
    parser.add_argument(
        "--extra-own", action="store_true", help="The --extra features for --own models only."
    )
    parser.add_argument("--folds", type=int, nargs="*", default=[4, 5, 6, 7])
    parser.add_argument("--baseline", action="store_true", help="Also run without words.")
    parser.add_argument(
        "--fresh", action="store_true", help="Also score the fresh split (fit on train)."
    )
    parser.add_argument(
        "--train-splits",
        type=train_splits,
        default=("train",),
        help=f"Comma-separated splits the folds are drawn from (default: train; {NEVER_TRAIN}).",
    )
    parser.add_argument(
        "--splits", nargs="*", default=[], choices=["fresh", "hard", "fresh2"],
        help="Also score these read dev splits (fit on train), without the seeds' leads.",
    )  # fmt: skip
    parser.add_argument(
        "--bar-batches",
        action="store_true",
        help="Also fit on the train splits and count the nine bar batches, each at the bars "
        "the other eight choose (decision_bars --by-batch's count), paired with the shipped "
        "options; --folds with no number skips the folds.",
    )
    parser.add_argument(
        "--also",
        nargs="*",
        default=[],
        choices=["fresh3", "fresh13"],
        help="With --bar-batches: also count these readable batches (no training split) at "
        "the bars the nine choose.",
    )
    args = parser.parse_args()
    items = [i for i in read_real(REAL) if i["split"] in args.train_splits]
    tagger = TopicTagger(load_taxonomy())
    topics = tagger.taxonomy.topic_ids()
    wc, missed = word_candidates(items, tagger, args.window, tuple(args.extra))
    n_off = {
        lang: sum(1 for i in items if i["kind"] == "offbeat" and i["lang"] == lang)
        for lang in ("ar", "en")
    }
    o = Options(
        args.window, args.mode, args.alpha, args.min_df, args.shrink, args.cap,
        args.form_shrink, args.form_clip, args.known_only, args.nontop,
        args.top_shrink, args.lang, args.lang_l2, args.lang_words, args.joint_bars,
        tuple(args.own), args.right, args.pair_l2, args.passing, args.stage, tuple(args.extra),
        args.extra_own,
    )  # fmt: skip
    runs: list[tuple[str, Options | None]] = [("words", o)]
    if args.baseline:
        runs.insert(0, ("evidence only", None))
    shipped: list[Row] = []
    if args.bar_batches:
        # What each run is paired with: the shipped options on the same training splits.
        longest = max(len(Document(i["text"]).tokens) for i in items)
        plain = wc if not (args.window or args.extra) else word_candidates(items, tagger, 0)[0]
        ships = Options(**SHIPPED_OPTIONS_KW, own=("en",))  # type: ignore[arg-type]
        shipped = bar_rows(plain, topics, tagger, ships, longest)
    for name, opt in runs:
        if args.bar_batches:
            table = bar_rows(wc, topics, tagger, opt, longest, args.also)
            bars = on_bar_batches(table)
            for lang in ("ar", "en"):
                mine = [r for r in table if r.lang == lang and r.split in BAR_SPLITS]
                base = [r for r in shipped if r.lang == lang]
                gain, lo, hi = paired_interval(held_out_margins(base), held_out_margins(mine))
                print(
                    f"{name} {lang}: tp-fp against the shipped options {gain:+d} "
                    f"(90% interval {lo:+.0f} to {hi:+.0f}, excerpts resampled)",
                    flush=True,
                )
            print(
                f"{name} bar batches, each held out: "
                + "; ".join(
                    f"{lang} tp {tp} fp {fp} fn {fn} (tp-fp {tp - fp}) off {n}/{m}"
                    for lang, (tp, fp, fn, n, m) in bars.items()
                ),
                flush=True,
            )
        lows: dict[str, list[float]] = {"ar": [], "en": []}
        for k in args.folds:
            r = honest(wc, missed, topics, items, k, opt)
            cells = []
            for lang in ("ar", "en"):
                p, rec, low, off = r[lang]
                lows[lang].append(low)
                cells.append(f"{lang} P {p:.3f} R {rec:.3f} low {low:.3f} off {off}/{n_off[lang]}")
            print(f"{name} k={k}: " + "; ".join(cells), flush=True)
        if args.folds:
            print(
                f"{name} {opt}: mean low ar {np.mean(lows['ar']):.4f} en {np.mean(lows['en']):.4f}",
                flush=True,
            )
        for split in args.splits:
            batch = [i for i in read_real(REAL) if i["split"] == split]
            _print_batch(f"{name} {split}", on_fresh(wc, missed, topics, items, batch, tagger, opt))
        if args.fresh:
            fresh = [i for i in read_real(REAL) if i["split"] == "fresh"]
            if not fresh:
                # The last fresh batch joined train once it was read; a new one is labelled
                # with "split": "fresh" (tests/data/tagging/REAL.md) before it is scored.
                raise SystemExit(
                    "--fresh: no excerpt of the real set has split 'fresh' (a fresh batch "
                    "moves to train once read); label a new batch as 'fresh' first"
                )
            r2 = on_fresh(wc, missed, topics, items, fresh, tagger, opt, seed_leads())
            _print_batch(f"{name} fresh", r2)


def _print_batch(label: str, scores: dict[str, tuple[float, float, int, int]]) -> None:
    """One line for a batch scored with a model fitted on train: P, R and off-beat tagged."""
    print(
        f"{label}: "
        + "; ".join(
            f"{lang} P {p:.3f} R {r:.3f} off {n}/{m}" for lang, (p, r, n, m) in scores.items()
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
