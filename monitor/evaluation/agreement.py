"""How reproducible the real set's topic labels are: a blind second labelling (issue 17).

Every figure of the tagger is measured against one labeller's calls. If a second careful
labeller, reading the same guide, disagreed often, the topic targets (0.90) would sit near
the labels' own noise and a missed figure would say little about the tagger. So 45
excerpts a language, 15 drawn at random (seed 44) from each of the dev batches `fresh7`,
`fresh9` and `fresh13`, were labelled again by a labeller who saw only their text, URL and
publisher, the README's topic table and the guides' "Labelling decisions" (not the first
labels, the collections' notes or any tagger output):
tests/data/tagging/second_labels.jsonl, one line an excerpt:

    {"id", "lang", "topics": [ids], "kind": "positive" | "offbeat", "doubt"}

This prints, per language, the second labelling scored against the first as the tagger is
(precision and recall over (excerpt, topic) pairs), Cohen's kappa over every (excerpt,
topic) yes/no call, the on-beat/off-beat calls that agree, each disagreement with the
second labeller's doubt, and the shipped tagger's figures on the same excerpts beside them.
Only dev batches are sampled: the unseen splits are never read item by item.

Both labellers were instances of the same kind of assistant given the same guide, so this
measures how reproducible the guide's calls are, not how far two human analysts agree.

    python -m monitor.evaluation.agreement [--second FILE]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.evaluation.loaders import DATA, LabelsError, read_jsonl
from monitor.evaluation.metrics import Counts
from monitor.evaluation.real_news import read_real
from monitor.tagging.shipped import shipped_topics
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document

SECOND = DATA / "tagging" / "second_labels.jsonl"
SAMPLED_SPLITS = ("fresh7", "fresh9", "fresh13")  # dev batches: may be read item by item


@dataclass
class Agreement:
    """One labelling scored against another over the same excerpts."""

    items: int
    topics: Counts  # the second's (excerpt, topic) pairs against the first's
    kappa: float  # Cohen's kappa over every (excerpt, topic) yes/no call
    kind_agree: int  # excerpts both call on-beat or both off-beat
    same_topics: int  # excerpts given the same set of topics
    disagreements: list[tuple[str, list[str], list[str]]]  # (id, first, second)


def cohen_kappa(pairs: Iterable[tuple[bool, bool]]) -> float:
    """Agreement beyond chance of two yes/no labellings (1: always agree; 0: as chance).
    Written out rather than scikit-learn's cohen_kappa_score (the same values to six
    places on random labellings, checked): the tests import this module in every pytest
    worker, and importing scikit-learn costs some 3 s of CPU each."""
    n = both = yes_a = yes_b = 0
    for a, b in pairs:
        n += 1
        both += a == b
        yes_a += a
        yes_b += b
    if not n:
        return 1.0
    observed = both / n
    chance = (yes_a * yes_b + (n - yes_a) * (n - yes_b)) / (n * n)
    return 1.0 if chance == 1.0 else (observed - chance) / (1.0 - chance)


def agreement(
    first: Mapping[str, Iterable[str]], second: Mapping[str, Iterable[str]], topics: Iterable[str]
) -> Agreement:
    """The second labelling against the first, over the excerpts the second labelled (each
    must be in the first)."""
    ids = list(second)
    unknown = [i for i in ids if i not in first]
    if unknown:
        raise LabelsError(f"second labels for excerpts the set lacks: {', '.join(unknown)}")
    every = list(topics)
    counts = Counts()
    calls: list[tuple[bool, bool]] = []
    kind_agree = same = 0
    disagreements = []
    for i in ids:
        a, b = set(first[i]), set(second[i])
        counts.add(b, a)
        calls += [(t in a, t in b) for t in every]
        kind_agree += bool(a) == bool(b)
        if a == b:
            same += 1
        else:
            disagreements.append((i, sorted(a), sorted(b)))
    return Agreement(len(ids), counts, cohen_kappa(calls), kind_agree, same, disagreements)


def read_second(path: Path = SECOND) -> list[dict[str, Any]]:
    """The second labels; a line without a needed key, or whose kind and topics disagree,
    names itself."""
    out = []
    for n, item in enumerate(read_jsonl(path), 1):
        missing = [k for k in ("id", "lang", "topics", "kind") if k not in item]
        if missing:
            raise LabelsError(f"{path}: line {n}: missing {', '.join(missing)}")
        if (item["kind"] == "offbeat") != (not item["topics"]):
            raise LabelsError(f"{path}: line {n}: kind {item['kind']!r} with {item['topics']}")
        out.append(item)
    return out


def tagger_topics(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The shipped tagger's topics for each excerpt (as the daemon gives them)."""
    tagger = shipped_topics(load_taxonomy())
    return {i["id"]: [t.topic for t in tagger.tag(Document(i["text"]))] for i in items}


def _line(name: str, a: Agreement) -> str:
    c = a.topics
    return (
        f"  {name}: P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f} (tp {c.tp}, fp {c.fp}, "
        f"fn {c.fn}); kappa {a.kappa:.3f}; on/off-beat calls agree {a.kind_agree} of "
        f"{a.items}; same topics {a.same_topics} of {a.items}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--second", type=Path, default=SECOND, help="The second labels.")
    args = parser.parse_args()
    second = read_second(args.second)
    real = {i["id"]: i for i in read_real()}
    outside = sorted(
        s["id"] for s in second if real.get(s["id"], {}).get("split") not in SAMPLED_SPLITS
    )
    if outside:
        raise SystemExit(f"{args.second}: not dev-batch excerpts: {', '.join(outside)}")
    topics = load_taxonomy().topic_ids()
    print(f"label agreement: {len(second)} excerpts of {', '.join(SAMPLED_SPLITS)} labelled twice")
    for lang in ("ar", "en"):
        mine = [s for s in second if s["lang"] == lang]
        if not mine:
            continue
        first = {s["id"]: real[s["id"]]["topics"] for s in mine}
        doubts = {s["id"]: s.get("doubt", "") for s in mine}
        human = agreement(first, {s["id"]: s["topics"] for s in mine}, topics)
        tagged = agreement(first, tagger_topics([real[s["id"]] for s in mine]), topics)
        print(f"{lang} ({human.items} excerpts)")
        print(_line("second labeller against the first", human))
        print(_line("shipped tagger against the first ", tagged))
        for i, a, b in human.disagreements:
            print(f"    {i}: first {a}, second {b}; {doubts[i]}")


if __name__ == "__main__":
    main()
