#!/usr/bin/env python3
"""Validate the labelled set of real article excerpts (real.jsonl).

Run from anywhere with plain python3 (stdlib only):

    python3 tests/data/stories/check_real_stories.py [--min-articles 150] [--min-events 40]

Why a second script: the team-written sets (dev.jsonl, heldout.jsonl) have rules that
real text cannot meet (120-450 words, three paragraphs, invented outlets, no seed
events), while real excerpts need rules of their own (a URL, a length cap for quoting,
a split per event, dates that say where they came from).

Exits 1 and lists every problem if a check fails; prints statistics either way.
"""

import argparse
import collections
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
# Lines, dates and the script share are read as the written sets' checker reads them.
sys.path.insert(0, str(HERE))
from check_stories import arabic_share, load, parse_date  # noqa: E402

FIELDS = (
    "id",
    "event",
    "lang",
    "title",
    "published",
    "date_from",
    "source",
    "url",
    "split",
    "body",
)
LANGS = ("ar", "en")
SPLITS = ("dev", "test", "fresh")  # fresh: a later batch of its own file (fresh.jsonl)
DATE_FROM = ("page", "text", "")
MAX_BODY_CHARS = 1500  # quoting limit for excerpts
MAX_PER_EVENT = 6
MAX_EVENT_SPAN_DAYS = 5  # first to last dated article of one event
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^[rf]-\d{3}$")  # r-: real.jsonl, f-: fresh.jsonl
# Arabic excerpts quote Latin acronyms (KCNA, SPFS, NHK); English ones quote no Arabic.
MIN_AR_SHARE_AR, MAX_AR_SHARE_EN = 0.85, 0.0


def check_row(n, r, errors):
    """Field-level checks; True if the row is well-formed enough for set-level checks."""
    where = f"line {n} ({r.get('id', '?')})"
    missing = [k for k in FIELDS if k not in r]
    extra = sorted(set(r) - set(FIELDS))
    if missing:
        errors.append(f"{where}: missing fields {missing}")
    if extra:
        errors.append(f"{where}: unexpected fields {extra}")
    bad_type = [k for k in FIELDS if k in r and not isinstance(r[k], str)]
    if bad_type:
        errors.append(f"{where}: fields {bad_type} must be strings")
    if missing or bad_type:
        return False
    if not ID.match(r["id"]):
        errors.append(f"{where}: id should look like r-001 (or f-001 in fresh.jsonl)")
    if not SLUG.match(r["event"]):
        errors.append(f"{where}: event {r['event']!r} is not a lower-case slug")
    if r["lang"] not in LANGS:
        errors.append(f"{where}: lang {r['lang']!r} not in {LANGS}")
    if r["split"] not in SPLITS:
        errors.append(f"{where}: split {r['split']!r} not in {SPLITS}")
    for k in ("title", "source", "body", "url"):
        if not r[k].strip():
            errors.append(f"{where}: empty {k}")
    if not re.match(r"^https?://\S+$", r["url"]):
        errors.append(f"{where}: url {r['url']!r} is not an http(s) address")
    if len(r["body"]) > MAX_BODY_CHARS:
        errors.append(f"{where}: body has {len(r['body'])} characters, max {MAX_BODY_CHARS}")
    if r["date_from"] not in DATE_FROM:
        errors.append(f"{where}: date_from {r['date_from']!r} not in {DATE_FROM}")
    if r["published"]:
        if parse_date(r["published"]) is None:
            errors.append(f"{where}: published {r['published']!r} is not YYYY-MM-DD or ''")
        if not r["date_from"]:
            errors.append(f"{where}: published is set but date_from is empty")
    elif r["date_from"]:
        errors.append(f"{where}: date_from {r['date_from']!r} but no published date")
    share = arabic_share(r["title"] + " " + r["body"])
    if r["lang"] == "ar" and share < MIN_AR_SHARE_AR:
        errors.append(f"{where}: lang ar but only {share:.0%} of letters are Arabic")
    if r["lang"] == "en" and share > MAX_AR_SHARE_EN:
        errors.append(f"{where}: lang en but {share:.0%} of letters are Arabic")
    return True


def check_set(rows, errors):
    """Set-level checks: unique ids and URLs, one split per event, event sizes and spans."""
    for key in ("id", "url"):
        counts = collections.Counter(r[key] for r in rows)
        errors.extend(f"{key} {v!r} used {c} times" for v, c in counts.items() if c > 1)
    by_event = collections.defaultdict(list)
    for r in rows:
        by_event[r["event"]].append(r)
    for ev, items in sorted(by_event.items()):
        splits = {r["split"] for r in items}
        if len(splits) > 1:
            errors.append(f"event {ev} is in more than one split: {sorted(splits)}")
        if len(items) > MAX_PER_EVENT:
            errors.append(f"event {ev} has {len(items)} articles, max {MAX_PER_EVENT}")
        sources = collections.Counter(r["source"] for r in items)
        errors.extend(
            f"event {ev} has {c} articles from {s!r}" for s, c in sources.items() if c > 1
        )
        if len({r["body"][:80] for r in items}) < len(items):
            errors.append(f"event {ev} has two articles with the same opening")
        dates = sorted(d for d in (parse_date(r["published"]) for r in items) if d)
        if dates and (dates[-1] - dates[0]).days > MAX_EVENT_SPAN_DAYS:
            errors.append(f"event {ev} spans {dates[0]}..{dates[-1]}")
    return by_event


def check_written_overlap(by_event, here, errors):
    """Keep held-out held out across both kinds of set.

    A real test event must not be one the written dev.jsonl tunes on, and a real dev
    event must not be one the written heldout.jsonl measures on.
    """
    for name, split in (("dev.jsonl", "test"), ("heldout.jsonl", "dev")):
        path = here / name
        if not path.exists():
            continue
        written = {
            json.loads(line)["event"]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        for ev, items in sorted(by_event.items()):
            if items[0]["split"] == split and ev in written:
                errors.append(f"{split} event {ev} is also an event of the written {name}")


def check_fresh_apart(by_event, path, errors):
    """A fresh batch (split `fresh`, its own file) measures what nobody tuned on: none of
    its events may be an event of real.jsonl, and real.jsonl holds no `fresh` rows."""
    real = path.parent / "real.jsonl"
    fresh = {ev for ev, items in by_event.items() if items[0]["split"] == "fresh"}
    if path.name == "real.jsonl":
        errors.extend(f"event {ev} is `fresh` inside real.jsonl" for ev in sorted(fresh))
        return
    if not fresh or not real.exists():
        return
    known = {
        json.loads(line)["event"]
        for line in real.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    errors.extend(f"fresh event {ev} is also in real.jsonl" for ev in sorted(fresh & known))


def summary(rows, by_event):
    """Counts the README and REAL.md quote; a dict so tests can read it too."""

    def mixed(events):
        return sum(1 for e in events if len({r["lang"] for r in by_event[e]}) > 1)

    out = {
        "articles": len(rows),
        "events": len(by_event),
        "langs": dict(collections.Counter(r["lang"] for r in rows)),
        "mixed_events": mixed(by_event),
        "singletons": sum(1 for v in by_event.values() if len(v) == 1),
        "dated": sum(1 for r in rows if r["published"]),
        "splits": {},
    }
    for s in SPLITS:
        events = [e for e, v in by_event.items() if v[0]["split"] == s]
        arts = [r for e in events for r in by_event[e]]
        out["splits"][s] = {
            "events": len(events),
            "articles": len(arts),
            "langs": dict(collections.Counter(r["lang"] for r in arts)),
            "mixed_events": mixed(events),
        }
    return out


def validate(path, min_articles, min_events, min_ar_share, min_mixed):
    """(errors, summary) for one file; summary is None when the file cannot be read."""
    errors = []
    if not path.exists():
        return [f"missing {path}"], None
    rows = [r for r in load(path, errors) if check_row(r.pop("_line"), r, errors)]
    by_event = check_set(rows, errors)
    check_written_overlap(by_event, path.parent, errors)
    check_fresh_apart(by_event, path, errors)
    s = summary(rows, by_event)
    if s["articles"] < min_articles:
        errors.append(f"{s['articles']} articles, want at least {min_articles}")
    if s["events"] < min_events:
        errors.append(f"{s['events']} events, want at least {min_events}")
    share = s["langs"].get("ar", 0) / s["articles"] if s["articles"] else 0.0
    if share < min_ar_share:
        errors.append(f"Arabic share {share:.0%}, want at least {min_ar_share:.0%}")
    if s["mixed_events"] < min_mixed:
        errors.append(f"{s['mixed_events']} events with ar+en, want at least {min_mixed}")
    return errors, s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=pathlib.Path, default=HERE / "real.jsonl")
    ap.add_argument("--min-articles", type=int, default=150)
    ap.add_argument("--min-events", type=int, default=40)
    ap.add_argument("--min-ar-share", type=float, default=0.35)
    ap.add_argument("--min-mixed", type=int, default=15)
    args = ap.parse_args()
    errors, s = validate(
        args.file, args.min_articles, args.min_events, args.min_ar_share, args.min_mixed
    )
    if s:
        print(
            f"== {args.file.name}: {s['articles']} articles, {s['events']} events, "
            f"languages {s['langs']}, ar+en events {s['mixed_events']}, "
            f"singletons {s['singletons']}, dated {s['dated']}"
        )
        for name, v in s["splits"].items():
            print(
                f"   {name}: {v['events']} events, {v['articles']} articles, "
                f"languages {v['langs']}, ar+en events {v['mixed_events']}"
            )
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
