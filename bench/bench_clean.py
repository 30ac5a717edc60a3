"""Text cleaning speed, and the HTML path against trafilatura alone, in one run.

    .venv/bin/python bench/bench_clean.py [--texts N] [--pages N] [--repeat R]
        [--aeb FOLDER] [--baseline TREE] [--instructions] [--alternate ROUNDS]

1. Text: N seed-sized documents (the seeds, each with a distinct closing line, as the
   ingest benchmark makes them) through clean_text() on one core: documents per second
   of CPU time (as for 2.). Target: >= 2,000 docs/s.
2. Text, real pages: the 181 naive text dumps of the aeb corpus (real sites, 9.6 KB and
   193 lines on average; --aeb FOLDER, skipped when the folder is missing) through
   clean_text(): the learned line model's path, in dumps per second of CPU time (one
   core's rate; the wall-clock rate beside it). Target: >= 1,000 dumps/s. With
   --baseline TREE (a folder holding another version's monitor/ package, e.g. from
   `git archive main monitor | tar -x -C TREE`; bench/baseline.py), that version's
   clean_text() is timed on the same dumps, interleaved, and the ratio printed: the
   machine is shared, and a ratio within one run does not move with its load.
   With --alternate ROUNDS and --baseline, only the two versions dump by dump, each
   call's CPU time of the thread summed (aeb_alternating): a ratio a few percent wide.
   With --instructions (needs valgrind), the same dumps are cleaned under valgrind's
   callgrind, by this version and by --baseline's, and the instructions a dump are
   printed: a count that, unlike any time, does not move with the machine's load (the
   process cleans every dump once to warm up, then callgrind_control zeroes the counts,
   it cleans them again, and the counts are dumped).
3. HTML: N real-looking pages (bench/pages.py: navigation, share bar, figure, related
   list, comment form, footer) through monitor's extract_html() and through trafilatura
   alone, called for the text and metadata (with_metadata=True, the options of NOTES.md)
   and for the text only, interleaved per repetition; best of R repetitions. Target:
   monitor within 10% of trafilatura alone; judged against the text-only call, since
   monitor's metadata takes a fraction of what with_metadata=True spends.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline import load_baseline
from callgrind import control
from pages import REPO, page

from monitor.extract.clean import Cleaner, clean_text
from monitor.extract.html import DATE_PARAMS, extract_html
from monitor.extract.vocabulary import load_vocabulary
from monitor.text.mojibake import repair


def texts(n: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    return [f"{seeds[i % len(seeds)]}\nتحديث رقم {i} من المراسل مساء اليوم.\n" for i in range(n)]


def best_rate(run: object, items: list, repeat: int) -> float:
    """Items per second of CPU time (process_time: one core's rate, which the time spent
    waiting for a core on a shared machine does not lower), best of `repeat`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            run(item)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return len(items) / best


def text_speed(n: int, repeat: int) -> None:
    docs = texts(n)
    clean_text(docs[0])  # build the vocabulary outside the timing, as a worker does once
    size = sum(len(d.encode()) for d in docs) // n
    rate = best_rate(clean_text, docs, repeat)
    rules_rate = best_rate(Cleaner(load_vocabulary(), model=None).clean, docs, repeat)
    verdict = "ok" if rate >= 2000 else "BELOW TARGET"
    print(
        f"Text cleaning, {n} docs of {size / 1024:.1f} KB, 1 core: {rate:8.0f} docs/s "
        f"of CPU time ({verdict}); hand rules alone {rules_rate:.0f} docs/s"
    )


def aeb_dumps(folder: Path) -> list[str]:
    """The aeb corpus's text dumps, repaired as decode() gives them (none: no corpus)."""
    return [repair(p.read_text(encoding="utf-8")) for p in sorted((folder / "text").glob("*.txt"))]


def aeb_speed(folder: Path, repeat: int, baseline: Path | None = None) -> None:
    docs = aeb_dumps(folder)
    if not docs:
        print(f"Text cleaning, aeb dumps: skipped ({folder} has no text/*.txt)")
        return
    runs = {
        "model": clean_text,
        "rules": Cleaner(load_vocabulary(), model=None).clean,  # the hand rules alone
    }
    if baseline is not None:
        runs["baseline"] = load_baseline(baseline).clean_text
    for run in runs.values():
        run(docs[0])  # vocabularies and models built outside the timing
    # CPU time of this (single-threaded) process: what one core does, not moved by the
    # time the process waits for a core on a loaded machine; wall time shown beside it.
    best = {key: [float("inf"), float("inf")] for key in runs}
    for _ in range(repeat):  # interleaved: all see much the same machine state
        for key, run in runs.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for doc in docs:
                run(doc)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            best[key] = [min(best[key][0], cpu), min(best[key][1], wall)]
    n = len(docs)
    size = sum(len(d.encode()) for d in docs) // n
    rate = n / best["model"][0]
    verdict = "ok" if rate >= 1000 else "BELOW TARGET"
    print(
        f"Text cleaning, {n} aeb dumps of {size / 1024:.1f} KB, 1 core: {rate:8.0f} dumps/s "
        f"of CPU time ({verdict}; wall {n / best['model'][1]:.0f}/s); hand rules alone "
        f"{n / best['rules'][0]:.0f} dumps/s (wall {n / best['rules'][1]:.0f}/s)"
    )
    if baseline is not None:
        print(
            f"  baseline {baseline}: {n / best['baseline'][0]:.0f} dumps/s of CPU time "
            f"(wall {n / best['baseline'][1]:.0f}/s); this version "
            f"{best['baseline'][0] / best['model'][0]:.2f}x as fast "
            f"(wall {best['baseline'][1] / best['model'][1]:.2f}x)"
        )


def aeb_alternating(folder: Path, baseline: Path, rounds: int) -> None:
    """This version against --baseline's, dump by dump: each dump cleaned by both in turn
    (which goes first swapped every dump and every round), each call timed in CPU time
    of the thread. Two versions a few percent apart are told apart here when a run of
    bench_clean's passes is not: a pass of all dumps per version leaves seconds between
    the two versions' timings, in which a shared host's speed moves by as much."""
    docs = aeb_dumps(folder)
    if not docs:
        print(f"Text cleaning, aeb dumps: skipped ({folder} has no text/*.txt)")
        return
    other = load_baseline(baseline).clean_text
    for doc in docs:  # vocabularies, models and caches built outside the timing
        clean_text(doc)
        other(doc)
    mine = theirs = 0.0
    for r in range(rounds):
        for i, doc in enumerate(docs):
            swapped = (i + r) % 2 == 1
            first, second = (other, clean_text) if swapped else (clean_text, other)
            t0 = time.thread_time()
            first(doc)
            t1 = time.thread_time()
            second(doc)
            t2 = time.thread_time()
            a, b = (t2 - t1, t1 - t0) if swapped else (t1 - t0, t2 - t1)
            mine, theirs = mine + a, theirs + b
    n = rounds * len(docs)
    print(
        f"Text cleaning, aeb dumps alternating with {baseline}, {rounds} rounds: this version "
        f"{n / mine:.0f} dumps/s, baseline {n / theirs:.0f}: {theirs / mine:.3f}x as fast"
    )


def callgrind_pass(folder: Path, baseline: Path | None) -> None:
    """Run under callgrind by aeb_instructions(): one warm pass, then one counted pass."""
    clean = clean_text if baseline is None else load_baseline(baseline).clean_text
    docs = aeb_dumps(folder)
    for doc in docs:
        clean(doc)
    control("-z")  # counts from here ...
    for doc in docs:
        clean(doc)
    control("-d")  # ... to here, dumped to <out>.1


def aeb_instructions(folder: Path, baseline: Path | None) -> None:
    n = len(list((folder / "text").glob("*.txt")))
    if not n:  # a relative --aeb from another folder than the checkout's, most often
        raise SystemExit(f"--instructions: {folder} has no text/*.txt (give the aeb folder)")
    counts = {}
    runs = [("this version", None), *([(f"baseline {baseline}", baseline)] if baseline else [])]
    for name, tree in runs:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "callgrind.out"
            command = [
                "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                sys.executable, __file__, "--callgrind-pass", "--aeb", str(folder),
                *(["--baseline", str(tree)] if tree is not None else []),
            ]  # fmt: skip
            try:
                subprocess.run(command, check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise SystemExit(
                    f"--instructions needs valgrind (apt-get install valgrind): {exc}"
                ) from exc
            dump = out.with_name(out.name + ".1").read_text(encoding="utf-8", errors="replace")
        total = next(int(x.split()[1]) for x in dump.splitlines() if x.startswith("summary:"))
        counts[name] = total / n
        print(f"  {name}: {total / n / 1e6:.2f} M instructions a dump (callgrind)")
    if len(counts) == 2:
        ours, base = counts.values()
        print(f"  this version: {base / ours:.3f}x fewer instructions than the baseline")


def html_speed(n: int, repeat: int) -> None:
    rng = random.Random(1)
    pages = [page(i, rng) for i in range(n)]
    extract_html(pages[0])

    def with_metadata(raw: bytes) -> object:
        # trafilatura as one calls it for the text and the metadata we keep (NOTES.md)
        return trafilatura.bare_extraction(
            raw,
            with_metadata=True,
            include_comments=False,
            deduplicate=False,
            date_extraction_params=DATE_PARAMS,
        )

    def text_only(raw: bytes) -> object:
        return trafilatura.bare_extraction(raw, include_comments=False, deduplicate=False)

    runs = {"meta": with_metadata, "text": text_only, "ours": extract_html}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):  # interleaved: all see much the same machine state
        for key, run in runs.items():
            start = time.perf_counter()
            for raw in pages:
                run(raw)
            best[key] = min(best[key], time.perf_counter() - start)
    size = sum(len(p) for p in pages) // n
    # The target compares like with like: trafilatura's text alone plus what we add to it
    # (one parse shared, three metadata fields, the cleaner) must stay within 10%.
    over_text = best["ours"] / best["text"] - 1
    verdict = "ok" if over_text <= 0.10 else "BELOW TARGET"
    print(f"HTML, {n} pages of {size / 1024:.0f} KB, 1 core:")
    print(f"  trafilatura alone, with metadata: {n / best['meta']:7.1f} pages/s")
    print(f"  trafilatura alone, text only    : {n / best['text']:7.1f} pages/s")
    print(
        f"  monitor extract_html            : {n / best['ours']:7.1f} pages/s "
        f"({best['ours'] / best['meta'] - 1:+.1%} time vs with metadata, "
        f"{over_text:+.1%} vs text only: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--aeb", type=Path, default=REPO.parent / "shared" / "corpora" / "aeb")
    parser.add_argument("--baseline", type=Path, help="another version's tree (baseline.py)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions a dump (valgrind)"
    )
    parser.add_argument(
        "--alternate",
        type=int,
        metavar="ROUNDS",
        help="with --baseline: both versions dump by dump, ROUNDS times (aeb_alternating)",
    )
    parser.add_argument("--callgrind-pass", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callgrind_pass:
        callgrind_pass(args.aeb, args.baseline)
        return
    if args.alternate:
        if args.baseline is None:
            parser.error("--alternate needs --baseline TREE")
        aeb_alternating(args.aeb, args.baseline, args.alternate)
        return
    if args.instructions:
        print(f"Text cleaning, aeb dumps, instructions (valgrind; some minutes): {args.aeb}")
        aeb_instructions(args.aeb, args.baseline)
        return
    text_speed(args.texts, args.repeat)
    aeb_speed(args.aeb, args.repeat, args.baseline)
    html_speed(args.pages, args.repeat)


if __name__ == "__main__":
    main()
