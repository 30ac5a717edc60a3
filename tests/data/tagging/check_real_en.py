"""Check the labelled set of real English news excerpts (issue 17), standard library only.

Why a separate script: real_en.jsonl is edited by hand and read by the tagger's evaluation.
A topic id with a typo, a surface form that is not in the text, or a publisher that sits in
both splits would quietly corrupt the test figures, so this runs before every commit and in
the test suite (tests/tagging/test_real_set_en.py).

    python3 tests/data/tagging/check_real_en.py [FILE]    # exit 1 on any error, counts on stdout

Checks: one JSON object per line with exactly the expected keys; unique ids (ren-001 ...);
lang "en"; an http(s) URL and a publisher; split train|test; text of at most 1,500 characters;
topics among the eight taxonomy ids, without repeats; entities with name, a kind among
person/country/org/place and a surface that occurs in the text, each entity once; kind positive
(with topics) or offbeat (without topics, with a note); no publisher in both splits; at least 40%
offbeat.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL_EN = HERE / "real_en.jsonl"

TOPICS = frozenset(
    {
        "arms_transfers",
        "sanctions",
        "nuclear_missile",
        "space_satellites",
        "diplomacy_summits",
        "military_exercises",
        "ukraine_war",
        "un_security_council",
    }
)
KEYS = {"id", "lang", "url", "publisher", "split", "text", "topics", "entities", "kind", "note"}
ENTITY_KINDS = frozenset({"person", "country", "org", "place"})
MAX_CHARS = 1500
MIN_OFFBEAT = 0.40


def check(path: Path) -> tuple[list[str], list[dict]]:
    """Return (errors, records); each error names the file, line and what is wrong."""
    errors: list[str] = []
    records: list[dict] = []
    ids: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not line.strip():
            errors.append(f"{where}: empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not JSON ({exc})")
            continue
        if not isinstance(r, dict) or set(r) != KEYS:
            got = sorted(r) if isinstance(r, dict) else type(r).__name__
            errors.append(f"{where}: keys must be {sorted(KEYS)}, got {got}")
            continue
        where = f"{where} ({r['id']})"
        records.append(r)
        if not re.fullmatch(r"ren-\d{3}", str(r["id"])):
            errors.append(f"{where}: id should look like ren-001")
        if r["id"] in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(r["id"])
        if r["lang"] != "en":
            errors.append(f"{where}: lang must be 'en'")
        if not re.match(r"https?://\S+$", str(r["url"])):
            errors.append(f"{where}: url must be an http(s) URL")
        if not isinstance(r["publisher"], str) or not r["publisher"].strip():
            errors.append(f"{where}: publisher is empty")
        if r["split"] not in ("train", "test"):
            errors.append(f"{where}: split must be train or test")
        text = r["text"]
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: text is empty")
            continue
        if len(text) > MAX_CHARS:
            errors.append(f"{where}: text has {len(text)} characters, at most {MAX_CHARS}")
        topics = r["topics"]
        if not isinstance(topics, list) or len(set(topics)) != len(topics):
            errors.append(f"{where}: topics must be a list without repeats")
        elif bad := sorted(set(topics) - TOPICS):
            errors.append(f"{where}: unknown topic ids {bad}")
        if r["kind"] == "positive" and not topics:
            errors.append(f"{where}: a positive item needs at least one topic")
        elif r["kind"] == "offbeat":
            if topics:
                errors.append(f"{where}: an offbeat item has no topics")
            if not str(r["note"]).strip():
                errors.append(f"{where}: an offbeat item needs a note saying why")
        elif r["kind"] not in ("positive", "offbeat"):
            errors.append(f"{where}: kind must be positive or offbeat")
        if not isinstance(r["entities"], list):
            errors.append(f"{where}: entities must be a list")
            continue
        names: set[str] = set()
        for e in r["entities"]:
            if not isinstance(e, dict) or set(e) != {"name", "kind", "surface"}:
                errors.append(f"{where}: entity {e!r} needs exactly name, kind, surface")
                continue
            if e["name"] in names:
                errors.append(f"{where}: entity {e['name']!r} listed twice (keep one surface)")
            names.add(e["name"])
            if e["kind"] not in ENTITY_KINDS:
                errors.append(f"{where}: entity {e['name']!r} has kind {e['kind']!r}")
            if not str(e["name"]).strip():
                errors.append(f"{where}: entity with empty name")
            if not e["surface"] or e["surface"] not in text:
                errors.append(f"{where}: surface {e['surface']!r} of {e['name']!r} not in text")
    splits: dict[str, set[str]] = defaultdict(set)
    for r in records:
        splits[r["publisher"]].add(r["split"])
    for pub, s in sorted(splits.items()):
        if len(s) > 1:
            errors.append(f"{path.name}: publisher {pub!r} is in both splits")
    if records:
        share = sum(r["kind"] == "offbeat" for r in records) / len(records)
        if share < MIN_OFFBEAT:
            errors.append(f"{path.name}: {share:.0%} offbeat, need at least {MIN_OFFBEAT:.0%}")
    return errors, records


def summary(records: list[dict]) -> str:
    """Counts per split, kind and topic, and the publishers, for REAL_EN.md."""
    lines = [f"{len(records)} excerpts"]
    for split in ("train", "test"):
        rs = [r for r in records if r["split"] == split]
        kinds = Counter(r["kind"] for r in rs)
        pubs = len({r["publisher"] for r in rs})
        lines.append(
            f"  {split}: {len(rs)} ({kinds['positive']} positive, {kinds['offbeat']} offbeat)"
            f" from {pubs} publishers"
        )
    for topic in sorted(TOPICS):
        per = Counter(r["split"] for r in records if topic in r["topics"])
        lines.append(f"  {topic}: train {per['train']}, test {per['test']}")
    top = Counter(r["publisher"] for r in records).most_common(3)
    lines.append("  most items from one publisher: " + ", ".join(f"{p} {n}" for p, n in top))
    lines.append(f"  entities: {sum(len(r['entities']) for r in records)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else REAL_EN
    errors, records = check(path)
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(summary(records))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
