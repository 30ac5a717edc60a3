"""Check the labelled tagging set and the gazetteer it refers to (standard library only).

Why a separate script: the labelled set is data that people edit by hand, and a typo in a
topic id or an entity name would silently turn a recall test into a precision test. Running
this before committing catches that, without needing the package or its dependencies.

    python3 tests/data/tagging/check_passages.py            # check both files, exit 1 on error
    python3 tests/data/tagging/check_passages.py --overlaps # also list aliases contained in
                                                            # another entity's alias

The folding below mirrors monitor/text/normalize.py (NFKC, marks, tatweel, Arabic letter
forms, Latin accents, case) and splits on non-word characters, so two aliases that the
matcher cannot tell apart are reported as one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PASSAGES = HERE / "passages.jsonl"
GAZETTEER = ROOT / "monitor" / "tagging" / "data" / "gazetteer.toml"

# The topic ids are the shipped taxonomy's tables: read, not copied, so a topic added
# there is known here.
TAXONOMY = ROOT / "monitor" / "tagging" / "data" / "taxonomy.toml"
TOPICS = frozenset(tomllib.loads(TAXONOMY.read_text(encoding="utf-8")))
KINDS = frozenset({"person", "country", "organisation", "place"})
PASSAGE_KINDS = frozenset({"positive", "negative", "lookalike"})
LANGS = frozenset({"ar", "en"})
MIN_PASSAGES = 100
MIN_PER_LANGUAGE = 40
MIN_NEGATIVE_SHARE = 0.5
ID_PATTERN = re.compile(r"^(ar|en)-\d{3}$")
# Single-letter Arabic proclitics: the matcher adds them, so an alias must not carry them.
PROCLITICS = "وفبكل"

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                       "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"})  # fmt: skip
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Fold like the matcher does and join the word tokens with single spaces."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLD)
    text = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize("NFC", re.sub("[\u0300-\u036f]", "", text)).casefold()
    return " ".join(_WORD.findall(text))


def is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def check_gazetteer(path: Path) -> tuple[dict[str, dict], list[str], list[str]]:
    """Return (entities, errors, notes). Errors make the check fail; notes are advice."""
    errors: list[str] = []
    notes: list[str] = []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: cannot read gazetteer: {exc}"], notes
    owner: dict[str, str] = {}
    for name, entry in data.items():
        where = f"{path.name} [{name!r}]"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected a table with kind and aliases")
            continue
        if entry.get("kind") not in KINDS:
            errors.append(
                f"{where}: kind must be one of {sorted(KINDS)}, got {entry.get('kind')!r}"
            )
        aliases = entry.get("aliases")
        if (
            not isinstance(aliases, list)
            or not aliases
            or not all(isinstance(a, str) and a.strip() for a in aliases)
        ):
            errors.append(f"{where}: aliases must be a non-empty list of non-empty strings")
            continue
        unknown = set(entry) - {"kind", "aliases"}
        if unknown:
            notes.append(f"{where}: keys this checker does not know: {sorted(unknown)}")
        seen_here: dict[str, str] = {}
        folded_aliases = {fold(a) for a in aliases}
        for alias in aliases:
            key = fold(alias)
            if not key:
                errors.append(f"{where}: alias {alias!r} has no word characters")
                continue
            if key in seen_here:
                notes.append(
                    f"{where}: {alias!r} folds like {seen_here[key]!r} (redundant, harmless)"
                )
            seen_here.setdefault(key, alias)
            other = owner.get(key)
            if other is not None and other != name:
                errors.append(f"{where}: alias {alias!r} also belongs to {other!r}")
            owner.setdefault(key, name)
            first = key.split(" ")[0]
            if is_arabic(alias) and len(first) > 3 and first[0] in PROCLITICS:
                stripped = " ".join([first[1:], *key.split(" ")[1:]])
                if stripped in folded_aliases:
                    errors.append(
                        f"{where}: alias {alias!r} is another alias with a proclitic; drop it"
                    )
        if fold(name) not in folded_aliases:
            notes.append(f"{where}: canonical name is not itself an alias (deliberate?)")
    return data, errors, notes


def overlaps(entities: dict[str, dict]) -> list[str]:
    """Aliases whose words occur inside a longer alias of another entity.

    The matcher must prefer the longest match there (كيم inside كيم يو جونغ).
    """
    rows = []
    folded = [(fold(a), name) for name, e in entities.items() for a in e.get("aliases", [])]
    for short, short_name in folded:
        for long, long_name in folded:
            if long_name != short_name and len(long) > len(short) and f" {short} " in f" {long} ":
                rows.append(f"{short!r} ({short_name}) inside {long!r} ({long_name})")
    return sorted(set(rows))


def check_passages(path: Path, entities: dict[str, dict]) -> tuple[list[dict], list[str]]:
    errors: list[str] = []
    rows: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [], [f"{path}: cannot read passages: {exc}"]
    ids: Counter[str] = Counter()
    for number, line in enumerate(lines, 1):
        where = f"{path.name}:{number}"
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not valid JSON ({exc.msg}); one object per line")
            continue
        if not isinstance(row, dict):
            errors.append(f"{where}: expected a JSON object")
            continue
        missing = {"id", "lang", "text", "topics", "entities", "kind", "note"} - set(row)
        if missing:
            errors.append(f"{where}: missing keys {sorted(missing)}")
            continue
        ids[row["id"]] += 1
        if not ID_PATTERN.match(str(row["id"])) or not str(row["id"]).startswith(str(row["lang"])):
            errors.append(f"{where}: id {row['id']!r} should look like '{row['lang']}-001'")
        if row["lang"] not in LANGS:
            errors.append(f"{where}: lang must be one of {sorted(LANGS)}")
        text = row["text"]
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: text must be a non-empty string")
            continue
        if row["lang"] == "ar" and not is_arabic(text):
            errors.append(f"{where}: lang is ar but the text has no Arabic letters")
        if row["lang"] == "en" and is_arabic(text):
            errors.append(f"{where}: lang is en but the text has Arabic letters")
        topics = row["topics"]
        if not isinstance(topics, list) or len(set(topics)) != len(topics):
            errors.append(f"{where}: topics must be a list without repeats")
        elif set(topics) - TOPICS:
            errors.append(
                f"{where}: unknown topics {sorted(set(topics) - TOPICS)}; use {sorted(TOPICS)}"
            )
        names = row["entities"]
        if not isinstance(names, list) or len(set(names)) != len(names):
            errors.append(f"{where}: entities must be a list without repeats")
        else:
            for name in names:
                if name not in entities:
                    errors.append(
                        f"{where}: entity {name!r} is not a canonical name in {GAZETTEER.name}"
                    )
        if row["kind"] not in PASSAGE_KINDS:
            errors.append(f"{where}: kind must be one of {sorted(PASSAGE_KINDS)}")
        elif row["kind"] != "positive" and not str(row["note"]).strip():
            errors.append(f"{where}: a {row['kind']} needs a note saying why")
        elif row["kind"] == "positive" and not topics:
            errors.append(f"{where}: a positive passage needs at least one topic")
        rows.append(row)
    for dup, count in ids.items():
        if count > 1:
            errors.append(f"{path.name}: id {dup!r} used {count} times")
    return rows, errors


def summary(rows: list[dict]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    out: list[str] = []
    langs = Counter(r["lang"] for r in rows)
    kinds = Counter((r["lang"], r["kind"]) for r in rows)
    hard = sum(1 for r in rows if r["kind"] in {"negative", "lookalike"})
    out.append(f"passages: {len(rows)}  by language: {dict(sorted(langs.items()))}")
    out.append(f"by language and kind: {dict(sorted(kinds.items()))}")
    share = hard / len(rows) if rows else 0.0
    out.append(f"negatives + lookalikes: {hard} ({share:.0%})")
    topic_counts = Counter(t for r in rows for t in r["topics"])
    out.append("topic occurrences: " + ", ".join(f"{t}={topic_counts[t]}" for t in sorted(TOPICS)))
    out.append(f"passages with no topic: {sum(1 for r in rows if not r['topics'])}")
    if len(rows) < MIN_PASSAGES:
        errors.append(f"only {len(rows)} passages; need at least {MIN_PASSAGES}")
    for lang in sorted(LANGS):
        lang_hard = sum(1 for r in rows if r["lang"] == lang and r["kind"] != "positive")
        lang_share = lang_hard / langs[lang] if langs[lang] else 0.0
        out.append(f"{lang}: negatives + lookalikes {lang_hard}/{langs[lang]} ({lang_share:.0%})")
        if lang_share < MIN_NEGATIVE_SHARE:
            errors.append(f"{lang}: negatives + lookalikes are {lang_share:.0%}; need at least 50%")
        if langs[lang] < MIN_PER_LANGUAGE:
            errors.append(f"only {langs[lang]} {lang} passages; need at least {MIN_PER_LANGUAGE}")
    if share < MIN_NEGATIVE_SHARE:
        errors.append(
            f"negatives + lookalikes are {share:.0%}; need at least {MIN_NEGATIVE_SHARE:.0%}"
        )
    for topic in sorted(TOPICS):
        for lang in sorted(LANGS):
            if not any(topic in r["topics"] for r in rows if r["lang"] == lang):
                errors.append(f"topic {topic} has no {lang} passage")
    return out, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=Path, default=PASSAGES)
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER)
    parser.add_argument("--overlaps", action="store_true", help="list aliases inside other aliases")
    parser.add_argument("--notes", action="store_true", help="show advisory notes")
    args = parser.parse_args(argv)

    entities, errors, notes = check_gazetteer(args.gazetteer)
    kinds = Counter(e.get("kind") for e in entities.values() if isinstance(e, dict))
    aliases = sum(len(e.get("aliases", [])) for e in entities.values() if isinstance(e, dict))
    print(f"gazetteer: {len(entities)} entities {dict(sorted(kinds.items()))}, {aliases} aliases")
    if args.notes:
        print(*notes, sep="\n")
    if args.overlaps:
        print("aliases contained in another entity's alias (matcher must prefer the longest):")
        print(*(f"  {row}" for row in overlaps(entities)), sep="\n")
    if args.passages.exists() or args.passages != PASSAGES:
        rows, passage_errors = check_passages(args.passages, entities)
        errors += passage_errors
        lines, summary_errors = summary(rows)
        errors += summary_errors
        print(*lines, sep="\n")
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
