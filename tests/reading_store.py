"""A store for the reading room's tests, filled by the real `monitor ingest`: the seeds, a
byte copy of seed 001 (a copy to fold under its original), and an alert rule with a
webhook nobody answers (a delivery waiting for a retry) beside the log channel."""

from __future__ import annotations

import shutil
from pathlib import Path

from running import cli
from servers import free_port

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def make_store(folder: Path) -> Path:
    """Seeds plus a byte copy of seed 001, ingested by the real CLI; returns the store."""
    inbox = folder / "inbox"
    inbox.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(seed, inbox / seed.name)
    shutil.copy2(next(SEEDS.glob("001_*.txt")), inbox / "zz_copy_of_001.txt")
    config = folder / "config.toml"
    config.write_text(
        '[inbox]\npaths = ["inbox"]\nsettle_seconds = 0.3\n[store]\npath = "monitor.db"\n'
        '[pipeline]\nworkers = 0\n[alerts]\nlog = "alerts.jsonl"\nconsole = false\n'
        "backoff_seconds = 3600\n"
        f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\n'
        f'url = "http://127.0.0.1:{free_port()}/hook"\ntimeout = 2\n'
        '[[alerts.rules]]\nname = "dprk-arms"\ntopics = ["arms_transfers"]\n'
        'entities = ["North Korea"]\nchannels = ["ops", "log"]\n',
        encoding="utf-8",
    )
    cli(config, "ingest", str(inbox))
    return folder / "monitor.db"
