"""How well articles are grouped into stories: scored against labelled events.

Two label sets:
- the seeds (tests/data/gold/seeds.json names each seed's story), ingested as files through
  the real daemon path, in file order and in random orders;
- own sets (tests/data/stories/*.jsonl): short Arabic and English reports of real events
  of the beat, several outlets per event, with many look-alike events (the same actors a
  few weeks apart) and Arabic/English pairs. `dev.jsonl` is what the story step is tuned
  on; `heldout.jsonl` is scored, never tuned on.
- the real set (tests/data/stories/real.jsonl, when present): excerpts of real articles
  with their URLs, each record's `split` (`dev` or `test`, apart by event) scored as a set
  of its own: tune on `real dev`, report `real test`.

Every set is scored in both modes: as a backlog (batches) and as a stream (one article at
a time, each stored before the next), and the seeds in SEED_ORDERS random stream orders.

Each own set is ingested in several random orders (a backlog dropped at once arrives in
any order), through the real pipeline and store, as text items with the title, date and
outlet given as hints, the way a feed entry gives them (feed entries themselves are HTML
and go through trafilatura first; here the text is already clean, so the score is the
story step's alone). Scores are B-cubed precision and recall (per article: how much of
its predicted story is its event, how much of its event is in its story), averaged over
the orders, plus the share of same-event Arabic/English pairs put together; and again
for the dated articles alone, which is what a stream of feed entries looks like.

    python -m monitor.evaluation.stories [--data FILE ...] [--orders N] [--no-seeds]
        [--split dev] [--ids-from r-209] [--config try.toml]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.config import Settings, load
from monitor.evaluation.loaders import GOLD, SEEDS, gold_stories, read_jsonl
from monitor.evaluation.loaders import STORIES as DATA
from monitor.evaluation.metrics import bcubed, cross_language, f1
from monitor.models import Item
from monitor.ops.logging import configure
from monitor.service import Service

__all__ = [
    "DATA",
    "Score",
    "bcubed",
    "cross_language",
    "named_sets",
    "read_records",
    "score_records",
]
SEEN = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # when the backlog is dropped in
SEED_ORDERS = 12
MODES = {
    "backlog": "all at once, grouped in batches (a folder dropped in, a full inbox at start)",
    "stream": "one at a time, each stored before the next arrives",
}
_CONFIG = '[inbox]\npaths = ["inbox"]\n[alerts]\nconsole = false\n'


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    cross_language: float | None  # same-event ar/en pairs grouped; None: no such pairs
    stories: int
    events: int

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def _settings(root: Path, extra: str = "") -> Settings:
    (root / "inbox").mkdir(exist_ok=True)
    (root / "config.toml").write_text(_CONFIG + extra, encoding="utf-8")
    settings = load(root / "config.toml")
    # In-process: the sets are small, and worker processes would only add start-up time.
    pipeline = settings.pipeline.model_copy(update={"workers": 0})
    return settings.model_copy(update={"pipeline": pipeline})


def _group(feed: Callable[[Service], None], gold: dict[str, str], extra: str) -> dict[str, str]:
    """A fresh store and service, fed by `feed`, then each stored article's story by its
    origin; every labelled article must have been stored."""
    with tempfile.TemporaryDirectory(prefix="monitor-stories-") as tmp:
        service = Service.build(_settings(Path(tmp), extra))
        try:
            feed(service)
            rows = service.store.db.execute("SELECT origin, story FROM articles").fetchall()
        finally:
            service.close()
    predicted = {Path(origin).name: story for origin, story in rows}
    missing = set(gold) - set(predicted)
    if missing:
        raise SystemExit(f"not stored (rejected by the pipeline?): {sorted(missing)}")
    return predicted


def score_records(
    records: list[dict],
    orders: int,
    extra: str = "",
    *,
    backlog: bool = False,
    arrival: bool = False,
) -> Score:
    """`backlog`: the whole set arrives at once (a folder dropped in, the daemon started
    on a full inbox) and is grouped as batches; else one article at a time, each stored
    before the next arrives (a stream). `arrival`: each report arrives near its event's
    day (simulated_arrivals), not all at one moment."""
    gold = {r["id"]: r["event"] for r in records}
    lang = {r["id"]: r["lang"] for r in records}
    totals = [0.0, 0.0, 0.0]
    cross_seen = 0
    stories = 0
    for order in range(orders):
        shuffled = list(records)
        random.Random(order).shuffle(shuffled)

        seen = simulated_arrivals(records, order) if arrival else {}

        def feed(service: Service, batch: list[dict] = shuffled, seen: dict = seen) -> None:
            if backlog:
                service.process_items(_item(record, seen) for record in batch)
                return
            for record in batch:
                service.process_item(_item(record, seen))

        predicted = _group(feed, gold, extra)
        p, r = bcubed(predicted, gold)
        totals[0] += p
        totals[1] += r
        x = cross_language(predicted, gold, lang)
        if x is not None:
            totals[2] += x
            cross_seen += 1
        stories += len(set(predicted.values()))
    return Score(
        precision=totals[0] / orders,
        recall=totals[1] / orders,
        cross_language=totals[2] / cross_seen if cross_seen else None,
        stories=round(stories / orders),
        events=len(set(gold.values())),
    )


def simulated_arrivals(records: list[dict], order: int) -> dict[str, datetime]:
    """When each report arrives in a live stream, simulated: a dated report 0-1 days after
    its date, an undated one 0-2 days after its event's earliest dated report (a report
    is fetched about when it is published; the set does not say when the undated ones
    were). An event with no dated report arrives at SEEN. The labels only place the
    arrival, as the world would; the story step never reads them."""
    rng = random.Random(f"arrival-{order}")
    first: dict[str, str] = {}
    for r in records:
        if r.get("published"):
            day = r["published"][:10]
            first[r["event"]] = min(first.get(r["event"], day), day)
    out = {}
    for r in sorted(records, key=lambda r: r["id"]):
        day = (r.get("published") or "")[:10] or first.get(r["event"])
        if not day:
            out[r["id"]] = SEEN
            continue
        late = rng.randint(0, 1 if r.get("published") else 2)
        out[r["id"]] = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC) + timedelta(
            days=late
        )
    return out


def _item(record: dict, seen: dict[str, datetime] | None = None) -> Item:
    return Item(
        origin=record["id"],
        raw=record["body"].encode(),
        kind="text",
        seen_at=(seen or {}).get(record["id"], SEEN),
        title_hint=record.get("title"),
        published_hint=record.get("published"),
        source_hint=record.get("source"),
    )


def score_seeds(
    gold_file: Path = GOLD,
    seeds: Path = SEEDS,
    extra: str = "",
    order: int | None = None,
    *,
    backlog: bool = True,
) -> Score:
    """The seed files through the real file path; their stories from the gold file. In
    file order (as `monitor ingest seeds/` reads them), or shuffled with seed `order`;
    as one backlog (as `monitor ingest seeds/` and a daemon started on them read them),
    or one file at a time, each stored before the next (`backlog=False`)."""
    gold = gold_stories(gold_file)
    files = sorted(seeds / name for name in gold)
    if order is not None:
        random.Random(order).shuffle(files)

    def feed(service: Service) -> None:
        if backlog:
            service.ingest(files)
            return
        for path in files:  # one at a time, in exactly this order
            service.process_file(path)

    predicted = _group(feed, gold, extra)
    p, r = bcubed(predicted, gold)
    return Score(p, r, None, len(set(predicted.values())), len(set(gold.values())))


def seeds_in_orders(
    orders: int, extra: str = "", *, backlog: bool = True
) -> tuple[int, float, float]:
    """How many of `orders` random orders reproduce the seed stories exactly, and the mean
    B-cubed precision and recall: with five articles, the order can be part of the result."""
    scores = [score_seeds(extra=extra, order=k, backlog=backlog) for k in range(orders)]
    exact = sum(s.precision == 1.0 and s.recall == 1.0 for s in scores)
    n = len(scores)
    return exact, sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n


def read_records(path: Path) -> list[dict]:
    return read_jsonl(path)


def named_sets(
    paths: Iterable[Path], only: str | None = None, ids_from: str | None = None
) -> list[tuple[str, list[dict]]]:
    """Each file as a set; a file whose records carry a `split` (the real set: `dev` or
    `test`, kept apart by event) as one set per split, so what is tuned on and what is
    reported are never mixed. `only`: of such a file, that split alone (tuning runs read
    `dev` without printing `test`). `ids_from`: only the records with this id or a later
    one (`r-209`: the events added to the real dev split in issue 18's sixth round, scored
    as unseen before any setting was chosen on them)."""
    out = []
    for path in paths:
        records = read_records(path)
        if ids_from is not None:
            records = [r for r in records if _id_key(r["id"]) >= _id_key(ids_from)]
        splits = sorted({r["split"] for r in records if r.get("split")})
        if not splits:
            out.append((path.name, records))
            continue
        for split in splits:
            if only is not None and split != only:
                continue
            out.append((f"{path.stem} {split}", [r for r in records if r.get("split") == split]))
    return out


def _id_key(record_id: str) -> tuple[str, int]:
    """`r-209` as ("r", 209): ids compare by their number, not as text."""
    prefix, _, number = record_id.rpartition("-")
    return prefix, int(number) if number.isdigit() else -1


def report(name: str, score: Score) -> str:
    cross = "" if score.cross_language is None else f"  ar/en pairs {score.cross_language:.3f}"
    return (
        f"{name:22s} B3 P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  "
        f"stories {score.stories} for {score.events} events{cross}"
    )


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="*", default=sorted(DATA.glob("*.jsonl")))
    parser.add_argument("--orders", type=int, default=3, help="random ingest orders per set")
    parser.add_argument("--no-seeds", action="store_true")
    parser.add_argument(
        "--config", type=Path, help="extra config.toml sections, e.g. a [stories] to try"
    )
    parser.add_argument(
        "--split",
        help="of a set with splits (the real set), score this one alone, e.g. dev while tuning",
    )
    parser.add_argument(
        "--ids-from",
        help="score only the records with this id or a later one, e.g. r-209 (events added later)",
    )
    parser.add_argument(
        "--arrival",
        action="store_true",
        help="each report arrives near its event's day (simulated), not all at one moment",
    )
    args = parser.parse_args(None if argv is None else list(argv))
    configure("error", "json")  # the per-article log lines would bury the scores
    extra = args.config.read_text(encoding="utf-8") if args.config else ""
    for mode, backlog in (("backlog", True), ("stream", False)):
        print(f"-- as a {mode}: {MODES[mode]}")
        if not args.no_seeds:
            print(report("seeds, file order", score_seeds(extra=extra, backlog=backlog)))
            exact, p, r = seeds_in_orders(SEED_ORDERS, extra, backlog=backlog)
            print(
                f"{'  random orders':22s} B3 P {p:.3f}  R {r:.3f}  "
                f"exact in {exact} of {SEED_ORDERS} orders"
            )
        for name, records in named_sets(args.data, args.split, args.ids_from):
            print(
                report(
                    name,
                    score_records(
                        records, args.orders, extra, backlog=backlog, arrival=args.arrival
                    ),
                )
            )
            # Feeds nearly always carry dates: the same set as a feed reader would see it.
            dated = [r for r in records if r.get("published")]
            print(
                report(
                    "  dated only",
                    score_records(dated, args.orders, extra, backlog=backlog, arrival=args.arrival),
                )
            )


if __name__ == "__main__":
    main()
