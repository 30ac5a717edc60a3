"""Decoding a text dump: what mojibake repair costs, and a per-line repair weighed against it.

    .venv/bin/python bench/bench_decode.py --corpus /work/shared/corpora/aeb [--rounds 5] [--diff]

`decode.decode` repairs a text that ftfy's check finds bad with one `ftfy.fix_encoding`
of the whole text (`mojibake.repair`). ftfy's own `fix_text` instead fixes each line on
its own (`max_decode_length`), and most lines of an English page are ASCII, so the
candidate here (issue 19, ingest19k) repairs only the lines `mojibake.is_bad` flags,
each with `ftfy.fix_encoding`, split at "\\n" alone as ftfy does (`str.splitlines` would
also split at \\x85 and \\x1c-\\x1e, C1 bytes that are part of a mis-decoded UTF-8
character). Both are timed in the same process, in alternating order, the best of the
rounds (CPU time), on the aeb corpus's text dumps, seeds/ and tests/data/clean, after
a warm-up (ftfy compiles and caches its codecs and expressions on first use); with
`--diff` every line on which the two disagree is printed.
The candidate was not adopted: docs/service.md, "Tried and not adopted".
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from monitor.text import mojibake  # noqa: E402
from monitor.text.decode import decode  # noqa: E402


def per_line(text: str) -> str:
    """The candidate: `mojibake.repair` (ftfy's `fix_encoding` where `is_bad` flags it) of
    each line of a text the whole-text check flags."""
    if not mojibake.is_bad(text):
        return text
    return "\n".join(map(mojibake.repair, text.split("\n")))


def best_ms(fn: Callable[[str], str], texts: list[str], rounds: int) -> float:
    """The fastest round's CPU ms a text."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            fn(text)
        best = min(best, time.process_time() - start)
    return 1000 * best / max(1, len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="the aeb corpus's folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--diff", action="store_true", help="print the lines that differ")
    args = parser.parse_args()
    sets = {
        "aeb text dumps": sorted((args.corpus / "text").glob("*.txt")),
        "seeds": sorted((HERE.parent / "seeds").glob("*.txt")),
        "tests/data/clean": sorted((HERE.parent / "tests/data/clean").glob("*.txt")),
    }
    for name, files in sets.items():
        raws = [f.read_bytes() for f in files]
        texts = [raw.decode("utf-8") for raw in raws]  # all are UTF-8
        for text in texts:  # warm-up
            mojibake.repair(text), per_line(text)
        bad = [t for t in texts if mojibake.repair(t) != t]
        whole_ms, line_ms, decode_ms = [], [], []
        for i in range(args.rounds):
            pair = [(mojibake.repair, whole_ms), (per_line, line_ms)]
            for fn, out in pair if i % 2 == 0 else pair[::-1]:
                out.append(best_ms(fn, texts, 1))
            start = time.process_time()
            for raw in raws:
                decode(raw)
            decode_ms.append(1000 * (time.process_time() - start) / max(1, len(raws)))
        differ = [
            (f, t) for f, t in zip(files, texts, strict=True) if mojibake.repair(t) != per_line(t)
        ]
        print(
            f"{name}: {len(files)} files, {len(bad)} repaired; CPU ms a file: decode "
            f"{min(decode_ms):.2f}, whole-text repair {min(whole_ms):.2f}, per-line "
            f"{min(line_ms):.2f}; the repaired ones alone: whole "
            f"{best_ms(mojibake.repair, bad, args.rounds):.2f}, per-line "
            f"{best_ms(per_line, bad, args.rounds):.2f}; {len(differ)} files differ"
        )
        for f, text in differ if args.diff else []:
            print(f"  {f.name}")
            whole, line = mojibake.repair(text).split("\n"), per_line(text).split("\n")
            for a, b in zip(whole, line, strict=False):  # fix_encoding keeps the line breaks
                if a != b:
                    pairs = enumerate(zip(a, b, strict=False))
                    at = max(0, next((i for i, (x, y) in pairs if x != y), 0) - 60)
                    print(f"    whole: {a[at : at + 120]!r}\n    line:  {b[at : at + 120]!r}")


if __name__ == "__main__":
    main()
