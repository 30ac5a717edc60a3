#!/usr/bin/env python3
"""Validate the labelled story-grouping data (dev.jsonl, heldout.jsonl).

Run from anywhere with plain python3 (stdlib only):

    python3 tests/data/stories/check_stories.py [--min-dev-events 26] [--min-heldout-events 14]

Exits 1 and lists every problem if a check fails; prints per-file stats either way.
"""
import argparse
import collections
import datetime
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
FIELDS = {"id": str, "event": str, "lang": str, "title": str, "published": (str, type(None)),
          "source": str, "body": str}
LANGS = {"ar", "en"}
ID_PREFIX = {"dev": "d", "heldout": "h"}
MIN_WORDS, MAX_WORDS = 120, 450
MAX_PER_EVENT = 5
MAX_EVENT_SPAN_DAYS = 5          # first to last dated article of one event
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN = re.compile(r"[A-Za-z]")
# The two seed events must stay out of the data, not even as background.
EXCLUDED = [re.compile(p, re.I) for p in (
    r"vostochny", r"فوستوشني",
    r"putin'?s? (?:state )?(?:visit|trip) to (?:pyongyang|north korea)",
    r"kim(?: jong un)?'?s? (?:visit|trip|journey) to russia",
    r"زيارة (?:الرئيس )?(?:الروسي )?(?:فلاديمير )?بوتين (?:إلى|الى|ل)\s?(?:بيونغ|كوريا)",
    r"زيارة (?:الزعيم )?(?:الكوري الشمالي )?كيم .{0,20}(?:إلى|الى) روسيا",
)]


def parse_date(value):
    """The date of a YYYY-MM-DD string, or None if it is not one."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def arabic_share(text):
    ar = len(ARABIC.findall(text))
    lat = len(LATIN.findall(text))
    return ar / (ar + lat) if ar + lat else 0.0


def load(path, errors):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{n}: bad JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path.name}:{n}: not an object")
            continue
        obj["_line"] = n
        rows.append(obj)
    return rows


def check_row(split, r, errors):
    where = f"{split}:{r['_line']}:{r.get('id', '?')}"
    for name, typ in FIELDS.items():
        if name not in r:
            errors.append(f"{where}: missing field {name!r}")
        elif not isinstance(r[name], typ):
            errors.append(f"{where}: field {name!r} has type {type(r[name]).__name__}")
    extra = set(r) - set(FIELDS) - {"_line"}
    if extra:
        errors.append(f"{where}: unexpected fields {sorted(extra)}")
    if any(not isinstance(r.get(k), FIELDS[k]) for k in FIELDS):
        return False
    if not re.fullmatch(ID_PREFIX[split] + r"-\d{3}", r["id"]):
        errors.append(f"{where}: id should look like {ID_PREFIX[split]}-001")
    if not SLUG.match(r["event"]):
        errors.append(f"{where}: event {r['event']!r} is not a lower-case slug")
    if r["lang"] not in LANGS:
        errors.append(f"{where}: lang {r['lang']!r} not in {sorted(LANGS)}")
    for k in ("title", "source", "body"):
        if not r[k].strip():
            errors.append(f"{where}: empty {k}")
    if r["published"] is not None:
        d = parse_date(r["published"])
        if d is None:
            errors.append(f"{where}: published {r['published']!r} is not YYYY-MM-DD or null")
        elif not datetime.date(2022, 1, 1) <= d <= datetime.date(2025, 12, 31):
            errors.append(f"{where}: published {d} outside 2022-2025")
    words = len(r["body"].split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"{where}: body has {words} words, want {MIN_WORDS}-{MAX_WORDS}")
    paras = [p for p in r["body"].split("\n") if p.strip()]
    if len(paras) < 3:
        errors.append(f"{where}: body has {len(paras)} paragraphs, want at least 3")
    share = arabic_share(r["title"] + " " + r["body"])
    if r["lang"] == "ar" and share < 0.8:
        errors.append(f"{where}: lang ar but only {share:.0%} of letters are Arabic")
    if r["lang"] == "en" and share > 0.02:
        errors.append(f"{where}: lang en but {share:.0%} of letters are Arabic")
    text = r["title"] + "\n" + r["body"]
    for pat in EXCLUDED:
        if pat.search(text):
            errors.append(f"{where}: mentions an excluded seed event ({pat.pattern})")
    return True


def check_split(split, rows, min_events, errors):
    ids = collections.Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"{split}: id {i} used {c} times")
    good = [r for r in rows if check_row(split, r, errors)]
    by_event = collections.defaultdict(list)
    for r in good:
        by_event[r["event"]].append(r)
    if len(by_event) < min_events:
        errors.append(f"{split}: {len(by_event)} events, want at least {min_events}")
    seen_titles = {}
    for r in good:
        t = r["title"].strip().lower()
        if t in seen_titles:
            errors.append(f"{split}: {r['id']} repeats the title of {seen_titles[t]}")
        seen_titles.setdefault(t, r["id"])
    for ev, items in by_event.items():
        if len(items) > MAX_PER_EVENT:
            errors.append(f"{split}: event {ev} has {len(items)} articles, max {MAX_PER_EVENT}")
        dates = sorted(d for d in (parse_date(r["published"]) for r in items) if d)
        if dates and (dates[-1] - dates[0]).days > MAX_EVENT_SPAN_DAYS:
            errors.append(f"{split}: event {ev} spans {dates[0]}..{dates[-1]}")
        sources = collections.Counter(r["source"] for r in items)
        for s, c in sources.items():
            if c > 1:
                errors.append(f"{split}: event {ev} has {c} articles from {s!r}")
        if len(items) > 1 and len({r["body"][:80] for r in items}) < len(items):
            errors.append(f"{split}: event {ev} has articles with the same opening")
    return good, by_event


def stats(split, good, by_event):
    langs = collections.Counter(r["lang"] for r in good)
    sizes = collections.Counter(len(v) for v in by_event.values())
    mixed = sum(1 for v in by_event.values() if len({r["lang"] for r in v}) > 1)
    dated = sum(1 for r in good if r["published"])
    words = sorted(len(r["body"].split()) for r in good)
    print(f"== {split}: {len(good)} articles, {len(by_event)} events")
    print(f"   languages: " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    print(f"   events by size: " + ", ".join(f"{k}:{v}" for k, v in sorted(sizes.items()))
          + f"  (singletons {sizes.get(1, 0)}, mixed ar+en {mixed})")
    if good:
        print(f"   dated {dated}/{len(good)} ({dated / len(good):.0%}); body words "
              f"min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}")
    for ev in sorted(by_event):
        c = collections.Counter(r["lang"] for r in by_event[ev])
        print(f"     {ev:48s} " + " ".join(f"{k}={c[k]}" for k in sorted(LANGS)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=pathlib.Path, default=HERE)
    ap.add_argument("--min-dev-events", type=int, default=26)
    ap.add_argument("--min-heldout-events", type=int, default=14)
    ap.add_argument("--quiet", action="store_true", help="no per-event listing")
    args = ap.parse_args()
    errors = []
    results = {}
    for split, mn in (("dev", args.min_dev_events), ("heldout", args.min_heldout_events)):
        path = args.dir / f"{split}.jsonl"
        if not path.exists():
            errors.append(f"missing {path}")
            continue
        rows = load(path, errors)
        results[split] = check_split(split, rows, mn, errors)
    if len(results) == 2:
        shared = set(results["dev"][1]) & set(results["heldout"][1])
        for ev in sorted(shared):
            errors.append(f"event {ev} appears in both dev and heldout")
        ids = {r["id"] for r in results["dev"][0]} & {r["id"] for r in results["heldout"][0]}
        for i in sorted(ids):
            errors.append(f"id {i} appears in both files")
    for split, (good, by_event) in results.items():
        if args.quiet:
            print(f"== {split}: {len(good)} articles, {len(by_event)} events")
        else:
            stats(split, good, by_event)
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
