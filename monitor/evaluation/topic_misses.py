"""The train split's topic misses, out of fold, sorted by what lost them (issue 17, tag17ad).

Recall is lost in two places, and each needs its own mend. Either the rules found no
evidence (no term of the topic in the excerpt, terms under the threshold, a veto, terms
blocked by a NOT list, no anchor): a term, a word form or a context rule is missing, and
the taxonomy is where to write it. Or the rules gave the topic and the learned decision
refused it (its probability under the bar): the decision's features or bars are where to
look. This lists every labelled topic of the train split that the shipped pipeline
loses with the bars chosen inside each fold (word_folds.nested_keep, 5 folds by
publisher, as `python -m monitor.evaluation.decision` reports), with its class, per
language and topic, and counts them.

For a refusal it names the three features that pulled the probability down most (weight
times the excerpt's value less the language's mean, under a model fitted on all of
train on today's rules: what a rebuild would weigh; the shipped file is held fixed
across changes to the terms, docs/tagging.md); for a rules miss, the topic's terms found and
their summed weight, or the rules' own refusal ("veto", "terms blocked", "no anchor").
Only the train split is read.

    python -m monitor.evaluation.topic_misses [--folds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

import numpy as np

from monitor.evaluation import word_folds as wf
from monitor.evaluation.decision import fit
from monitor.evaluation.real_news import REAL, read_real
from monitor.tagging.decide import FEATURES, STRONGEST, WORDS, pair_names
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


def rule_miss(tagger: TopicTagger, text: str, topic: str) -> dict[str, Any]:
    """Why the rules did not give `topic` to this excerpt: their refusal, or the weighted
    terms found (none: "no term"; too few: "under the threshold")."""
    doc = Document(text)
    tags, refused = tagger.decide(doc)
    why = {r.topic: r.reason for r in refused}
    found: dict[str, float] = defaultdict(float)
    for hit in tagger.matcher.find(doc):
        if tagger._topic_of[hit.term] == topic and tagger._weights[hit.term] > 0:
            found[tagger.matcher.terms[hit.term].text] += tagger._weights[hit.term]
    if topic in why:
        reason = why[topic]
        kind = (
            "veto" if reason.startswith("veto")
            else "no anchor" if reason.startswith("no anchor")
            else "terms blocked"
        )  # fmt: skip
    else:
        kind = "under the threshold" if found else "no term"
        reason = f"terms weigh {sum(found.values()):g}" if found else ""
    return {
        "class": f"rules: {kind}",
        "why": reason,
        "terms": dict(found),
        "given": [t.topic for t in tags],
    }


def held_back(cand: Any, weights: np.ndarray, mean: np.ndarray, names: list[str]) -> list[str]:
    """The three features that pulled a refused tag's probability down most."""
    pull = weights * (np.array(cand.x) - mean)
    return [f"{names[k]}={cand.x[k]:.2f} ({pull[k]:+.2f})" for k in np.argsort(pull)[:3]]


def misses(folds: int) -> list[dict[str, Any]]:
    """Every labelled train topic lost out of fold, with its class and evidence."""
    items = [i for i in read_real(REAL) if i["split"] == "train"]
    tagger = TopicTagger(load_taxonomy())
    topics = tagger.taxonomy.topic_ids()
    options = wf.Options(**wf.SHIPPED_OPTIONS_KW, own=("en",))  # type: ignore[arg-type]
    wc, missed = wf.word_candidates(items, tagger, 0)
    seen: dict[int, tuple[Any, float, float]] = {}
    keep = wf.nested_keep(wc, missed, topics, items, folds, options, seen)
    names = list(FEATURES) + [STRONGEST + t for t in topics] + pair_names(topics) + [WORDS]
    models = {"ar": fit(wf.out_of_fold(wc, options), topics, prices=wf.shared_prices(options))[0]}
    english = [c for c in wc if c.cand.lang == "en"]
    alone = replace(options, own=())
    models["en"] = fit(wf.out_of_fold(english, alone), topics, prices=wf.prices(alone))[0]
    held = [seen[i][0] for i in range(len(wc))]
    means = {lang: np.array([c.x for c in held if c.lang == lang]).mean(axis=0) for lang in models}
    out: list[dict[str, Any]] = []
    for i, (cand, p, bar) in sorted(seen.items()):
        if cand.right and not keep[i]:
            out.append({
                "id": cand.item, "lang": cand.lang, "topic": cand.topic,
                "class": "decision: strongest topic" if cand.x[FEATURES.index("is_top")]
                else "decision: passing mention",
                "why": f"p={p:.3f} < {bar:g}",
                "held_back": held_back(cand, models[cand.lang], means[cand.lang], names),
            })  # fmt: skip
    by_id = {i["id"]: i for i in items}
    for item, lost in sorted(missed.items()):
        for topic in sorted(lost):
            row = rule_miss(tagger, by_id[item]["text"], topic)
            out.append({"id": item, "lang": by_id[item]["lang"], "topic": topic, **row})
    return sorted(out, key=lambda r: (r["lang"], r["class"], r["topic"], r["id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="One JSON line a miss.")
    args = parser.parse_args()
    rows = misses(args.folds)
    for r in rows:
        if args.json:
            print(json.dumps(r, ensure_ascii=False))
            continue
        extra = r.get("held_back") or [f"{t} {w:g}" for t, w in r.get("terms", {}).items()]
        print(f"{r['lang']} {r['topic']:<20} {r['id']:<8} {r['class']:<28} {r['why']}; "
              + ", ".join(extra))  # fmt: skip
    for lang in ("ar", "en"):
        mine = [r for r in rows if r["lang"] == lang]
        print(f"{lang}: {len(mine)} misses; " + ", ".join(
            f"{k} {n}" for k, n in Counter(r["class"] for r in mine).most_common()))  # fmt: skip
        per_topic = Counter((r["class"].split(":")[0], r["topic"]) for r in mine)
        print("  " + ", ".join(f"{c} {t} {n}" for (c, t), n in sorted(per_topic.items())))


if __name__ == "__main__":
    main()
