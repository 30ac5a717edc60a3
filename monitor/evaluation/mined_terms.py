"""Topic terms mined from the labels, cross-validated by publisher (issue 17, ninth session).

The rules miss 5-10% of topics on new publishers for want of evidence. Could the labelled
set itself name the words they miss? For each topic, every word and run of two or three
words (neither starting nor ending with a function word, nor a digit or a word under three
letters at its edges) that excerpts labelled with the topic hold at least `--min-pos`
times, from at least `--min-pubs` publishers, with precision at least `--min-prec` among
all the excerpts holding it, and that no term of the topic already covers, is added to
the topic at `--weight` (a taxonomy override, as config.toml's [topics.*] would add it).

Scored out of fold: the nine bar batches' publishers in `--folds` folds; the terms are
mined from the readable splits and the other folds, and the held-out fold is tagged by the
shipped pipeline (decision and beat gate) with and without them. Only aggregates are
printed; no unseen batch is read. Not adopted (docs/tagging.md, "Tried and not adopted").

    python -m monitor.evaluation.mined_terms ar|en [--weight 1] [--min-prec 0.8] ...
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from monitor.evaluation.decision import TRAIN_SPLITS
from monitor.evaluation.decision_bars import BAR_SPLITS
from monitor.evaluation.real_news import read_real
from monitor.evaluation.tagging import shipped_topics
from monitor.extract.vocabulary import load_vocabulary
from monitor.tagging.taxonomy import Taxonomy, load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger

# the readable splits the terms may be mined from beside the bar batches' training folds
MINED_FROM = (*TRAIN_SPLITS, "fresh3", "fresh13")


def grams(tokens: list[str], stop: frozenset[str], longest: int = 3) -> set[str]:
    """The excerpt's candidate terms: runs of 1 to `longest` tokens with content edges."""
    out = set()
    for n in range(1, longest + 1):
        for k in range(len(tokens) - n + 1):
            run = tokens[k : k + n]
            edges = (run[0], run[-1])
            if any(w in stop or len(w) < 3 or w.isdigit() for w in edges):
                continue
            out.add(" ".join(run))
    return out


def covered(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Each topic's terms as tokens: a candidate inside one, or holding one, adds nothing."""
    return {
        topic: {" ".join(Document(t.lstrip("=").rstrip("*")).tokens) for t in rule.terms}
        for topic, rule in taxonomy.topics.items()
    }


def mine(
    items: Iterable[dict],
    grams_of: Mapping[str, set[str]],
    known: Mapping[str, set[str]],
    min_pos: int,
    min_prec: float,
    min_pubs: int,
) -> dict[str, list[str]]:
    """The new terms per topic (see the module's docstring for the tests they pass)."""
    pos: dict[str, Counter[str]] = defaultdict(Counter)
    pubs: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen: Counter[str] = Counter()
    for item in items:
        for g in grams_of[item["id"]]:
            seen[g] += 1
            for topic in item["topics"]:
                pos[topic][g] += 1
                pubs[topic, g].add(item["publisher"])
    out: dict[str, list[str]] = {}
    for topic, counts in pos.items():
        inside = [f" {c} " for c in known.get(topic, ())]
        for g, p in counts.items():
            if p < min_pos or p / (seen[g] + 1) < min_prec or len(pubs[topic, g]) < min_pubs:
                continue
            if any(f" {g} " in c or c in f" {g} " for c in inside):
                continue
            out.setdefault(topic, []).append(g)
    return out


def _score(tagger: TopicTagger, items: list[dict]) -> Counter[str]:
    c: Counter[str] = Counter()
    for item in items:
        got = {t.topic for t in tagger.tag(Document(item["text"]))}
        want = set(item["topics"])
        c["tp"] += len(got & want)
        c["fp"] += len(got - want)
        c["fn"] += len(want - got)
        c["offbeat tagged"] += item["kind"] == "offbeat" and bool(got)
    return c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lang", choices=["ar", "en"])
    parser.add_argument("--weight", type=int, default=1)
    parser.add_argument("--min-pos", type=int, default=5)
    parser.add_argument("--min-prec", type=float, default=0.8)
    parser.add_argument("--min-pubs", type=int, default=4)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    items = [i for i in read_real() if i["lang"] == args.lang]
    stop = load_vocabulary().stopwords.get(args.lang, frozenset())
    grams_of = {i["id"]: grams(Document(i["text"]).tokens, stop) for i in items}
    base = load_taxonomy()
    known = covered(base)
    shipped = shipped_topics(base)
    publishers = sorted({i["publisher"] for i in items if i["split"] in BAR_SPLITS})
    random.Random(45).shuffle(publishers)
    fold = {p: k % args.folds for k, p in enumerate(publishers)}
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    terms = 0
    for k in range(args.folds):
        held = [i for i in items if i["split"] in BAR_SPLITS and fold[i["publisher"]] == k]
        train = [
            i
            for i in items
            if i["split"] in MINED_FROM or (i["split"] in BAR_SPLITS and fold[i["publisher"]] != k)
        ]
        new = mine(train, grams_of, known, args.min_pos, args.min_prec, args.min_pubs)
        terms += sum(map(len, new.values()))
        over = {t: {"terms": dict.fromkeys(gs, args.weight)} for t, gs in new.items()}
        before += _score(shipped, held)
        after += _score(shipped_topics(load_taxonomy(overrides=over)), held)
    print(f"{args.lang}: {terms / args.folds:.0f} terms a fold, the bar batches out of fold")
    for name, c in (("shipped", before), ("with the mined terms", after)):
        print(f"  {name}: tp {c['tp']}, fp {c['fp']}, fn {c['fn']}; off-beat tagged "
              f"{c['offbeat tagged']}")  # fmt: skip


if __name__ == "__main__":
    main()
