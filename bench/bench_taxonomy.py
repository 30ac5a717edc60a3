"""Memory and time to compile a large taxonomy: what the config limits bound.

Each case builds the tagging Matcher for N made-up terms in a fresh process and reports
the process's peak RSS, the RSS kept after the build, and the wall time. The baseline is
the same process with no terms (interpreter, numpy-free imports), in the same run.

    .venv/bin/python bench/bench_taxonomy.py            # 5,000 terms per case
    .venv/bin/python bench/bench_taxonomy.py --terms 1000

Why made-up words: the cost is in the surface forms each word expands to (clitics and
suffixes), which depends on the word's length and script, not on its meaning.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time

LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"

_CHILD = r"""
import json, resource, sys, time
from monitor.tagging.terms import Matcher, Term
terms = json.loads(sys.stdin.read())
def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
start = time.perf_counter()
matcher = Matcher([Term(t, "topic") for t in terms]) if terms else None
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak": peak, "kept": rss_mb(), "seconds": seconds}))
"""


def arabic_word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7)))


def english_word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 9)))


def cases(n: int, rng: random.Random) -> dict[str, list[str]]:
    firsts = [arabic_word(rng) for _ in range(4)]
    return {
        "no terms (baseline)": [],
        "Arabic one-word terms": [arabic_word(rng) for _ in range(n)],
        "Arabic two-word phrases": [f"{arabic_word(rng)} {arabic_word(rng)}" for _ in range(n)],
        "Arabic phrases sharing 4 first words": [
            f"{firsts[i % 4]} {arabic_word(rng)}" for i in range(n)
        ],
        "English one-word terms": [english_word(rng) for _ in range(n)],
    }


def measure(terms: list[str]) -> dict[str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(terms),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    result["wall"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=5000, help="terms per case")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"| {args.terms:,} terms | peak RSS MB | RSS kept MB | build s |")
    print("| --- | ---: | ---: | ---: |")
    for name, terms in cases(args.terms, rng).items():
        r = measure(terms)
        print(f"| {name} | {r['peak']:.0f} | {r['kept']:.0f} | {r['seconds']:.2f} |")


if __name__ == "__main__":
    main()
