"""Validate labels.json against the article files of the own cleaning set.

Run from anywhere: ``python3 tests/data/clean/check_labels.py [--show]``.
Stdlib only, so it runs without the project's venv. Exit status 0 when every
check passes, 1 otherwise (each problem is printed with the file and line).
``--show`` prints every labelled line with its label, for eyeballing
off-by-one errors after an edit.

Why a checker: the labels are line numbers into files that people edit by
hand; one inserted blank line silently shifts every label after it. The
checks below catch the shifts that can be caught mechanically (labels on
blank lines, a title line that no longer starts with the title, a dateline
that is no longer in the first body line).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("boilerplate", "metadata", "caption")
MIN_PER_LANGUAGE = {"ar": 14, "en": 12, "fr": 9, "de": 9}
BODY_LINES = (5, 30)  # per article, title line not counted
ALLOWED_KEYS = {
    "title",
    "title_note",
    "language",
    "published",
    "source",
    *KINDS,
    *(k + "_why" for k in KINDS),
    "dateline",
    "summary_lines",
}


def read_lines(path: Path) -> list[str]:
    """Lines as a reader numbers them: split on newlines only, blank lines kept."""
    text = path.read_bytes().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def check_article(name: str, entry: dict, lines: list[str], problems: list[str]) -> Counter:
    """Check one article's labels; return its line counts per label."""

    def bad(msg: str) -> None:
        problems.append(f"{name}: {msg}")

    for key in entry:
        if key not in ALLOWED_KEYS:
            bad(f"unknown key {key!r} (allowed: {sorted(ALLOWED_KEYS)})")
    for key in ("title", "language", "published", "source", *KINDS):
        if key not in entry:
            bad(f"missing key {key!r}")

    seen: dict[int, str] = {}
    for kind in KINDS:
        numbers = entry.get(kind, [])
        why = entry.get(kind + "_why", {})
        if numbers != sorted(set(numbers)):
            bad(f"{kind} is not sorted or has repeats: {numbers}")
        for n in numbers:
            if not isinstance(n, int) or not 1 <= n <= len(lines):
                bad(f"{kind} line {n} out of range 1..{len(lines)}")
                continue
            if not lines[n - 1].strip():
                bad(f"{kind} line {n} is blank")
            if n in seen:
                bad(f"line {n} is both {seen[n]} and {kind}")
            seen[n] = kind
            if str(n) not in why:
                bad(f"{kind} line {n} has no reason in {kind}_why")
        for n in why:
            if int(n) not in numbers:
                bad(f"{kind}_why gives a reason for line {n}, which is not listed in {kind}")
        if not numbers and why:
            bad(f"{kind}_why present but {kind} is empty")

    unlisted = [i for i, line in enumerate(lines, 1) if line.strip() and i not in seen]
    title = entry.get("title")
    if title is not None:
        # Gold convention: the title line is listed nowhere; it is the first
        # unlisted non-empty line, and it starts with the stored headline.
        if not unlisted or not lines[unlisted[0] - 1].strip().startswith(title):
            first = lines[unlisted[0] - 1] if unlisted else None
            bad(f"title {title!r} is not the start of the first unlisted line {first!r}")
        body = unlisted[1:]
    else:
        body = unlisted
    if not BODY_LINES[0] <= len(body) <= BODY_LINES[1]:
        bad(f"{len(body)} body lines, the set wants {BODY_LINES[0]} to {BODY_LINES[1]}")

    for n in entry.get("summary_lines", []):
        if n not in body:
            bad(f"summary line {n} is not a body line")

    dateline = entry.get("dateline")
    if dateline is not None and (not body or dateline not in lines[body[0] - 1][:80]):
        bad(f"dateline {dateline!r} not at the start of the first body line")

    published = entry.get("published")
    if published is not None:
        try:
            datetime.date.fromisoformat(published)
        except (TypeError, ValueError):
            bad(f"published {published!r} is not YYYY-MM-DD")
        if not entry.get("metadata"):
            bad("published date given but no metadata line holds it")
    source = entry.get("source")
    if source is not None and not any(source in line for line in lines):
        bad(f"source {source!r} does not occur in the file")

    counts = Counter({kind: len(entry.get(kind, [])) for kind in KINDS})
    counts["body"] = len(body)
    counts["title"] = 0 if title is None else 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every labelled line")
    args = parser.parse_args(argv)

    labels_path = HERE / "labels.json"
    try:
        doc = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{labels_path}: cannot read labels ({exc}); fix the JSON and run again")
        return 1
    articles = doc.get("articles", {})
    problems: list[str] = []
    if "_about" not in doc:
        problems.append("labels.json: no '_about' text")

    files = {p.name for p in HERE.glob("*.txt")}
    for name in sorted(files - set(articles)):
        problems.append(f"{name}: file has no entry in labels.json")
    for name in sorted(set(articles) - files):
        problems.append(f"{name}: labels.json entry has no file")

    totals: Counter = Counter()
    per_lang: dict[str, Counter] = {}
    for name in sorted(files & set(articles)):
        entry = articles[name]
        lines = read_lines(HERE / name)
        counts = check_article(name, entry, lines, problems)
        lang = entry.get("language", "?")
        if f"_{lang}_" not in name:
            problems.append(f"{name}: language {lang!r} does not match the file name")
        per_lang.setdefault(lang, Counter()).update(counts + Counter(articles=1))
        totals.update(counts + Counter(articles=1))
        totals["no_title"] += entry.get("title") is None
        totals["published"] += entry.get("published") is not None
        totals["source"] += entry.get("source") is not None
        totals["dateline"] += "dateline" in entry
        totals["clean"] += sum(counts[k] for k in KINDS) <= 1
        if args.show:
            print(f"== {name}  title={entry.get('title')!r}")
            labelled = sorted((n, kind) for kind in KINDS for n in entry.get(kind, []))
            for n, kind in labelled:
                if 1 <= n <= len(lines):
                    why = entry.get(kind + "_why", {}).get(str(n), "")
                    print(f"  {n:3} {kind[:4].upper()} [{why}] {lines[n - 1][:90]}")

    for lang, minimum in MIN_PER_LANGUAGE.items():
        got = per_lang.get(lang, Counter())["articles"]
        if got < minimum:
            problems.append(f"language {lang}: {got} articles, at least {minimum} wanted")

    cols = ("articles", "body", "boilerplate", "metadata", "caption", "title")
    print("lang  " + "  ".join(f"{c:>11}" for c in cols))
    for lang in sorted(per_lang):
        print(f"{lang:4}  " + "  ".join(f"{per_lang[lang][c]:>11}" for c in cols))
    print("all   " + "  ".join(f"{totals[c]:>11}" for c in cols))
    print(
        f"articles without title: {totals['no_title']}, with a published date: "
        f"{totals['published']}, with a source: {totals['source']}, with a dateline: "
        f"{totals['dateline']}, clean (at most one non-body line): {totals['clean']}"
    )
    for problem in problems:
        print("PROBLEM", problem)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
