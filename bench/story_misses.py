"""Why reports miss their event's story, as a stream, on the real set's dev split.

    .venv/bin/python bench/story_misses.py [--orders 2] [--ids-from r-209] [--config try.toml]

For each report that arrives when some report of its event is already stored, the story
holding most of them then is its event's story. If the report ends elsewhere, this says
why, from what the story step judged (Stories.judge) when it arrived:

- `not a candidate`: the event's story was not among the stories its keys found;
- `ruled out`: the time or name rule excluded it (no shared name, out of the window);
- else the kind of story (told in the other language, in both, in the report's own) and
  whether report and story were dated, with the score it had and its names' and event
  concepts' cosines and the share of its name weight new to the story (novelty.py).

Then the stories that hold more than one event (look-alikes merged). Dev split only: the
test split is never read here (the filter is not an option). A diagnostic, not a test:
it wraps Stories.judge in this process to see each score (the story step keeps none), and
feeds the reports as `python -m monitor.evaluation.stories` does.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from monitor.crosslingual import ARABIC, LATIN, concept_cosine, name_cosine, scripts
from monitor.evaluation import stories as ev
from monitor.novelty import name_novelty
from monitor.ops.logging import configure
from monitor.stories import Stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2)
    parser.add_argument("--ids-from", help="only records from this id on, e.g. r-209")
    parser.add_argument("--config", type=Path, help="extra config.toml sections")
    args = parser.parse_args()
    configure("error", "json")
    extra = args.config.read_text(encoding="utf-8") if args.config else ""
    (records,) = [r for _, r in ev.named_sets([ev.DATA / "real.jsonl"], "dev", args.ids_from)]
    gold = {r["id"]: r["event"] for r in records}
    judged: list[tuple] = []
    judge = Stories.judge

    def watched(self: Stories, group, row):  # type: ignore[no-untyped-def]
        out = judge(self, group, row)
        m = group.members
        judged.append(
            (
                row.id,
                out,
                scripts(row.profile),
                sum(name_cosine(f.cut, row.profile, self.concept_share) for f in m) / len(m),
                sum(concept_cosine(f.cut, row.profile) or 0.0 for f in m) / len(m),
                name_novelty(m, row.profile),
                group.dated,
                row.date_lo is not None,
                group.written,
            )
        )
        return out

    Stories.judge = watched  # type: ignore[method-assign]
    kinds: Counter[str] = Counter()
    lines: list[str] = []
    merged: list[str] = []
    for order in range(args.orders):
        shuffled = list(records)
        random.Random(order).shuffle(shuffled)

        def feed(service, batch=shuffled):  # type: ignore[no-untyped-def]
            def stories() -> dict[str, str]:
                return dict(service.store.db.execute("SELECT origin, story FROM articles"))

            for record in batch:
                before = stories()
                mine = [o for o in before if gold[o] == gold[record["id"]]]
                judged.clear()
                service.process_item(ev._item(record))
                if not mine:
                    continue
                target = Counter(before[o] for o in mine).most_common(1)[0][0]
                after = stories()
                if any(after[o] == after[record["id"]] for o in mine):
                    kinds["joined its event's story"] += 1
                    continue
                lines.append(_why(record, target, judged, kinds, gold))

        predicted = ev._group(feed, gold, extra)
        for story in sorted(set(predicted.values())):
            members = [i for i in predicted if predicted[i] == story]
            events = Counter(gold[i] for i in members)
            if len(events) > 1:
                merged.append(
                    f"order {order}: " + ", ".join(f"{e} x{n}" for e, n in events.items())
                )
    for kind, n in kinds.most_common():
        print(f"{n:5d}  {kind}")
    print("\n".join(lines))
    print("\nstories holding more than one event:")
    print("\n".join(merged))


def _why(
    record: dict, target: str, judged: list[tuple], kinds: Counter[str], gold: dict[str, str]
) -> str:
    head = f"{record['id']} {record['lang']} {gold[record['id']][:40]:40s}"
    seen = [j for j in judged if j[0] == target]
    if not seen:
        kinds["not a candidate"] += 1
        return f"{'not a candidate':55s} {head}"
    _, out, theirs, names, concepts, novelty, dated, story_dated, mine = seen[0]
    if out is None:
        kinds["ruled out (time or name rule)"] += 1
        return f"{'ruled out':55s} {head}"
    if theirs == ARABIC | LATIN:
        kind = "story in both languages"
    elif theirs and mine and not theirs & mine:
        kind = "story in the other language"
    else:
        kind = "story in its own language"
    kind += (", report dated" if dated else ", report undated") + (
        ", story dated" if story_dated else ", story undated"
    )
    kinds[kind] += 1
    return (
        f"{kind:55s} {head} score {out[0]:.3f} names {names:.2f} concepts {concepts:.2f} "
        f"new names {novelty:.2f}"
    )


if __name__ == "__main__":
    main()
