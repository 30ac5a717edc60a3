"""Do two checkouts store the same thing? Ingest one folder with each, compare the stores.

    git archive main monitor | tar -x -C /tmp/main-tree
    .venv/bin/python bench/compare_stores.py --other /tmp/main-tree [FOLDER ...] [--workers 0]

For a change meant to make the store's writes cheaper and nothing else (issue 19): each
checkout runs `monitor ingest` of the same files (the aeb text dumps and seeds/ when no
folder is given) as a real process into a fresh store, with this venv and the checkout
first on PYTHONPATH. Then every table of the two stores, the full-text indexes' own
tables (their `_data`, `_idx`, `_docsize` blobs) included, is read whole and compared
row by row. Times of day (ingested_at, processed_at, a story's first and last seen...),
the store's random id and the alert keys made with it, and the runs' folders differ
between any two runs and are masked; everything else (ids, stories, tags, removed lines,
document frequencies, LSH bands) must be equal.
Exit status 1 and the first differences when it is not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MONITOR = str(Path(sys.executable).parent / "monitor")
# An ISO timestamp with a time of day: when something ran, not what it found.
_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
# An alert's idempotency key hashes the store's random id (alerts/rules.py: alert_key).
_KEY = re.compile(r"\b[0-9a-f]{32}\b")
_SKIP = {"daemon", "store_meta", "sqlite_sequence", "sqlite_stat1", "ingest_requests"}


def ingest(checkout: Path, files: list[Path], workers: int, root: Path) -> Path:
    """`monitor ingest` of the files into a fresh store under root: the store's path."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for f in files:
        shutil.copy2(f, inbox / f.name)
    config = root / "config.toml"
    config.write_text(
        f'[inbox]\npaths = ["inbox"]\n[alerts]\nconsole = false\n[pipeline]\nworkers = {workers}\n',
        encoding="utf-8",
    )
    subprocess.run(
        [MONITOR, "--config", str(config), "ingest", str(inbox)],
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=root,  # not a checkout: the forkserver's `python -c` puts it first on sys.path
        check=True,
        capture_output=True,
    )
    found = [p for p in root.rglob("*.db") if p.is_file()] + list(root.rglob("*.sqlite"))
    if len(found) != 1:
        raise SystemExit(f"{root}: expected one store, found {found}")
    return found[0]


def _mask(value: object) -> object:
    if isinstance(value, str):
        value = value.replace("/this/inbox/", "/<run>/inbox/").replace(
            "/other/inbox/", "/<run>/inbox/"
        )
        return _KEY.sub("<key>", _TIME.sub("<time>", value))
    return value


def contents(store: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, times masked."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        out = {}
        for name in names:
            if name in _SKIP or name.endswith("_config"):
                continue
            try:
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            except sqlite3.OperationalError:  # a virtual table without content
                continue
            out[name] = sorted((tuple(_mask(v) for v in r) for r in rows), key=repr)
        return out
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--other", type=Path, required=True, help="another checkout's root")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    folders = args.folders or [Path("/work/shared/corpora/aeb/text"), HERE.parent / "seeds"]
    files = sorted(
        (f for d in folders for f in d.iterdir() if f.is_file() and f.suffix in (".txt", ".html")),
        key=lambda f: f.name,
    )
    base = Path(tempfile.mkdtemp(prefix="monitor-compare-"))
    try:
        a = contents(ingest(HERE.parent, files, args.workers, base / "this"))
        b = contents(ingest(args.other.resolve(), files, args.workers, base / "other"))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    differ = 0
    for name in sorted(set(a) | set(b)):
        mine, theirs = a.get(name), b.get(name)
        if mine == theirs:
            print(f"  same: {name} ({len(mine or [])} rows)")
            continue
        differ += 1
        print(f"  DIFFERENT: {name}: {len(mine or [])} rows here, {len(theirs or [])} there")
        for x, y in zip(mine or [], theirs or [], strict=False):
            if x != y:
                print(f"    here:  {str(x)[:300]}\n    there: {str(y)[:300]}")
                break
    print(f"{len(files)} files; {differ} tables differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
