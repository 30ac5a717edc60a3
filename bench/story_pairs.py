"""Why Arabic/English reports of one event end in different stories, as a stream, on the
real set's dev split (issue 18's target: such pairs in one story >= 0.70).

    .venv/bin/python bench/story_pairs.py [--orders 3,5] [--arrival] [--config try.toml]

For each order (the shuffles of bench/story_folds.py and the evaluation: random.Random(n)),
the reports are fed one at a time; at the end every same-event pair in two languages that
ends in two stories is read back to the moment its later report arrived: which report came
first, whether each is dated, what the two share (names, event numbers, words, event
concepts: their cut vectors), what the story then holding the earlier one was told in, and
what the story step judged of it (not a candidate; ruled out by the time or name rules; its
score against the bar it had to clear). The pairs are then counted by class, and the
classes once more by the later report (an event of 3 + 3 reports is 9 pairs, but the
reports that missed are what a rule must bring in).

A diagnostic, not a test: it wraps SameEvent.judge in this process to see each score and
bar (the story step keeps none; the bar is read from the judging frame by a profile hook).
Dev split only: the test split is never read here (the filter is not an option).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from monitor.crosslingual import (
    ARABIC,
    CONCEPT,
    ENTITY,
    LATIN,
    NUMBER,
    concept_cosine,
    name_cosine,
    scripts,
)
from monitor.evaluation import stories as ev
from monitor.novelty import name_novelty
from monitor.ops.logging import configure
from monitor.same_event import SameEvent
from monitor.stories import Stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="0,1", help="comma-separated shuffle seeds")
    parser.add_argument("--arrival", action="store_true")
    parser.add_argument("--config", type=Path, help="extra config.toml sections")
    parser.add_argument("--quiet", action="store_true", help="counts only, no pair lines")
    args = parser.parse_args()
    configure("error", "json")
    extra = args.config.read_text(encoding="utf-8") if args.config else ""
    (records,) = [r for _, r in ev.named_sets([ev.DATA / "real.jsonl"], "dev")]
    gold = {r["id"]: r["event"] for r in records}
    lang = {r["id"]: r["lang"] for r in records}
    dated = {r["id"]: bool(r.get("published")) for r in records}

    needs: list[tuple[object, float, float]] = []  # (group, score, need) of each _judge
    code = SameEvent._judge.__code__

    def hook(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "return" and frame.f_code is code and arg is not None:
            loc = frame.f_locals
            needs.append((loc.get("group"), loc.get("score"), loc.get("need")))

    judged: list[tuple] = []
    judge = SameEvent.judge

    def watched(self: SameEvent, group, row):  # type: ignore[no-untyped-def]
        needs.clear()
        sys.setprofile(hook)
        try:
            out = judge(self, group, row)
        finally:
            sys.setprofile(None)
        need = next((n for g, _, n in needs if g is group), None)
        m = group.members
        judged.append(
            (
                row.id,
                out,
                need,
                scripts(row.profile),
                sum(name_cosine(f.cut, row.profile, self.concept_share) for f in m) / len(m),
                sum(concept_cosine(f.cut, row.profile) or 0.0 for f in m) / len(m),
                name_novelty(m, row.profile),
                row.date_lo is not None,
                len(m),
                m[0] if len(m) == 1 else None,
            )
        )
        return out

    SameEvent.judge = watched  # type: ignore[method-assign]
    planned: list = []  # the features of the arriving report (a stream batch of one)
    plan = Stories.plan

    def watched_plan(self: Stories, articles, index):  # type: ignore[no-untyped-def]
        out = plan(self, articles, index)
        if len(articles) == 1:
            planned[:] = list(out.features.values())
        return out

    Stories.plan = watched_plan  # type: ignore[method-assign]
    pair_kinds: Counter[str] = Counter()
    report_kinds: Counter[str] = Counter()
    shares: Counter[str] = Counter()
    for order in [int(o) for o in args.orders.split(",")]:
        shuffled = list(records)
        random.Random(order).shuffle(shuffled)
        seen = ev.simulated_arrivals(records, order) if args.arrival else {}
        at: dict[str, dict] = {}  # report -> what was judged when it arrived

        def feed(service, batch=shuffled, seen=seen, at=at):  # type: ignore[no-untyped-def]
            def stories() -> dict[str, str]:
                return dict(service.store.db.execute("SELECT origin, story FROM articles"))

            for k, record in enumerate(batch):
                before = stories()
                judged.clear()
                planned.clear()
                service.process_item(ev._item(record, seen))
                own = [j for j in judged if j[8] == 1 and j[9] is not None]
                at[record["id"]] = {
                    "k": k,
                    "before": before,
                    "after": stories(),
                    "judged": {j[0]: j for j in own},
                    "merged": {j[0]: j for j in judged if j[8] > 1},
                    "features": planned[0] if planned else None,
                }

        predicted = ev._group(feed, gold, extra)
        lines = []
        for a in sorted(gold):
            for b in sorted(gold):
                if not (a < b and gold[a] == gold[b] and lang[a] != lang[b]):
                    continue
                if predicted[a] == predicted[b]:
                    continue
                first, second = sorted((a, b), key=lambda i: at[i]["k"])
                kind, line = _classify(first, second, at, lang, dated, gold)
                pair_kinds[kind] += 1
                shares[share_class(at[first]["features"], at[second]["features"])] += 1
                lines.append((kind, second, f"{kind:58s} {first}->{second} {line}"))
        for kind, _second in sorted({(k, s) for k, s, _ in lines}):
            report_kinds[kind] += 1
        if not args.quiet:
            print(f"order {order}: {len(lines)} pairs apart")
            for _, _, line in sorted(lines):
                print("  " + line)
    print("\npairs apart by class (all orders):")
    for kind, n in pair_kinds.most_common():
        print(f"{n:5d}  {kind}")
    print("\npairs apart by what the two reports share (all orders):")
    for kind, n in shares.most_common():
        print(f"{n:5d}  {kind}")
    print("\nlater reports of those pairs, by class (all orders):")
    for kind, n in report_kinds.most_common():
        print(f"{n:5d}  {kind}")


def _shared(a, b) -> str:  # type: ignore[no-untyped-def]
    """What two reports' cut vectors share: names, event numbers, words, concepts."""
    if a is None or b is None:
        return "?"
    return describe(a, b)[1]


def share_class(a, b) -> str:  # type: ignore[no-untyped-def]
    """names only, names and numbers, names and words (or more)."""
    return "?" if a is None or b is None else describe(a, b)[0]


def describe(a, b) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """_shared's class and line."""
    both = set(a.cut) & set(b.cut)
    names = sorted(t for t in both if t.startswith(ENTITY))
    numbers = sorted(t for t in both if t.startswith(NUMBER) or t.isdigit())
    concepts = sorted(t for t in both if t.startswith(CONCEPT) and not t.startswith(NUMBER))
    words = sorted(t for t in both if t[:1] not in (ENTITY, CONCEPT) and not t.isdigit())
    kind = "names" + (" + numbers" if numbers else "") + (" + words" if words else "")
    return kind, (
        f"names {len(names)} numbers {','.join(numbers) or '-'} words {','.join(words) or '-'} "
        f"concepts {len(concepts)}"
    )


def _classify(
    first: str, second: str, at: dict, lang: dict, dated: dict, gold: dict
) -> tuple[str, str]:
    """The class of a pair apart, and a line saying why."""
    when = at[second]
    target = when["before"].get(first)
    dates = (
        ("dated" if dated[first] else "undated") + "/" + ("dated" if dated[second] else "undated")
    )
    share = _shared(at[first]["features"], when["features"])
    head = f"{lang[first]}/{lang[second]} {dates} {share}"
    if target is None:
        return "first not stored?", head
    held = Counter(gold[i] for i, s in when["before"].items() if s == target and i in gold)
    if held.most_common(1)[0][0] != gold[first]:
        return f"first in a look-alike's story ({dates})", f"{head} | {dict(held)}"
    if when["after"].get(second) == when["after"].get(first):
        return f"joined, parted later ({dates})", head
    j = when["judged"].get(target)
    if j is None:
        return f"not a candidate ({dates})", head
    _, out, need, theirs, names, concepts, novelty, story_dated, _, _ = j
    if out is None:
        return f"ruled out ({dates})", head
    told = {ARABIC | LATIN: "both", ARABIC: "ar", LATIN: "en"}.get(theirs, "?")
    mine = lang[second]
    where = "both" if told == "both" else ("other" if told != mine[:2] else "own")
    kind = f"under its bar, story in {where} language(s) ({dates})"
    if out[1]:  # cleared it, and joined another story it scored higher with
        went = when["after"].get(second)
        there = Counter(gold[i] for i, s in when["after"].items() if s == went and i != second)
        best = when["judged"].get(went)
        kind = f"cleared its bar, joined another ({dates})"
        head += f" | went to {dict(there) or 'a new story'} at {best[1][0] if best else '-'}"
        asked = when["merged"].get(target)
        head += (
            " | merge not asked"
            if asked is None
            else " | merge ruled out"
            if asked[1] is None
            else f" | merge {asked[1][0]:.3f} bar {asked[2]} names {asked[4]:.2f} "
            f"concepts {asked[5]:.2f} new {asked[6]:.2f} of {asked[8]}"
        )
    return kind, (
        f"{head} | story {told} {'dated' if story_dated else 'undated'} score {out[0]:.3f} "
        f"bar {need if need is None else round(need, 3)} names {names:.2f} concepts "
        f"{concepts:.2f} new {novelty:.2f}"
    )


if __name__ == "__main__":
    main()
