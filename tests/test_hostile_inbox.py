"""Issue 14, the inbox side: a hostile or careless world of files, met by the real
`monitor run` and `monitor ingest` processes, a real watchdog observer, real folders,
real symlinks and real permissions.

Tests run as root here, and root reads a file whatever its mode: the processes whose
permissions matter are started without the capabilities that let root ignore file modes
(setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so chmod 000 stops them as it
stops any user.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from running import Daemon, cli, query, wait_for

from monitor.store.db import Store

SETPRIV = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search",
]


def _unprivileged_prefix() -> list[str]:
    """What to put before a command so that file modes bind it."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: chmod 000 does not stop root's reads")
    probe = subprocess.run([*SETPRIV, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"running as root and setpriv cannot drop capabilities: {probe.stderr!r}")
    return SETPRIV


class BoundDaemon(Daemon):
    """`monitor run` with file modes binding it (see the module docstring)."""

    def __init__(self, config: Path) -> None:
        super().__init__(config, prefix=_unprivileged_prefix())


def write_config(
    tmp_path: Path, *, paths: tuple[str, ...] = ("inbox",), inbox_extra: str = "", extra: str = ""
) -> Path:
    config = tmp_path / "config.toml"
    listed = ", ".join(f'"{p}"' for p in paths)
    config.write_text(
        f"[inbox]\npaths = [{listed}]\nsettle_seconds = 0.3\nrescan_seconds = 0.5\n{inbox_extra}"
        '[store]\npath = "monitor.db"\n'
        '[alerts]\nlog = "alerts.jsonl"\nconsole = false\n' + extra,
        encoding="utf-8",
    )
    return config


@pytest.fixture
def daemons() -> Iterator[Callable[[Path], BoundDaemon]]:
    started: list[BoundDaemon] = []

    def start(config: Path) -> BoundDaemon:
        d = BoundDaemon(config)
        started.append(d)
        return d

    yield start
    for d in started:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()


def stored(db: Path) -> dict[str, int]:
    return dict(query(db, "SELECT origin, id FROM articles"))


# -- 1. symlink loops and other traps -------------------------------------------------------


def test_symlink_loops_and_broken_links_neither_kill_the_daemon_nor_ingest(
    tmp_path: Path, seeds: list[Path], daemons: Callable[[Path], BoundDaemon]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = write_config(tmp_path)
    os.symlink("a", inbox / "b.txt")  # the loop, there before the start-up scan
    os.symlink("b.txt", inbox / "a")
    os.symlink(tmp_path / "nowhere.txt", inbox / "dangling.txt")
    os.mkfifo(inbox / "pipe.txt")
    shutil.copy(seeds[0], inbox / "good.txt")
    d = daemons(config)
    d.wait_event("watching")
    db = tmp_path / "monitor.db"
    wait_for(lambda: str(inbox / "good.txt") in stored(db), "the good file, beside the loop")
    os.symlink("d", inbox / "c.txt")  # a loop made while it runs, found by an event
    os.symlink("c.txt", inbox / "d")
    shutil.copy(seeds[3], inbox / "after.txt")
    wait_for(lambda: str(inbox / "after.txt") in stored(db), "a file dropped after the new loop")
    wait_for(lambda: d.count("symlink loop in the inbox; ignored") >= 4, "the loops reported")
    time.sleep(2.0)  # four rescans (rescan_seconds = 0.5): each would warn again if it could
    assert d.proc.poll() is None
    warned = [
        e["path"] for e in d.events() if e.get("event") == "symlink loop in the inbox; ignored"
    ]
    assert sorted(warned) == sorted(str(inbox / n) for n in ("a", "b.txt", "c.txt", "d"))
    assert d.stop(signal.SIGTERM) == 0
    assert len(stored(db)) == 2

    # The start-up scan meets the loops again: no crash loop.
    d2 = daemons(config)
    d2.wait_event("watching")
    assert d2.stop(signal.SIGTERM) == 0

    # `monitor ingest` walks the same folder, and is named a loop directly.
    result = cli(config, "ingest", "-v", str(inbox), check=False)
    assert result.returncode == 0, result.stderr
    assert "2 unchanged" in result.stdout
    assert "symlink loop" in result.stderr and "broken symlink" in result.stderr
    assert f"skipped {inbox / 'b.txt'}: symlink loop" in result.stderr
    named = cli(config, "ingest", str(inbox / "b.txt"), check=False)
    assert named.returncode == 1 and "symlink loop" in named.stderr
    assert "Traceback" not in result.stderr + named.stderr


# -- 4. a writer that closes between appends ----------------------------------------------


def test_a_file_written_in_appended_bursts_is_not_an_article_per_burst(
    tmp_path: Path, seeds: list[Path], daemons: Callable[[Path], BoundDaemon]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    d = daemons(write_config(tmp_path))
    d.wait_event("watching")
    lines = seeds[1].read_text(encoding="utf-8").splitlines(keepends=True)
    quarter = len(lines) // 4
    parts = [lines[:quarter], lines[quarter : 2 * quarter], lines[2 * quarter : 3 * quarter]]
    parts.append(lines[3 * quarter :])
    target = inbox / "appended.txt"
    for part in parts:  # open, write, close, wait 2 s: the writer
        with target.open("a", encoding="utf-8") as fh:
            fh.write("".join(part))
        time.sleep(2.0)
    full = target.read_text(encoding="utf-8")
    db = tmp_path / "monitor.db"

    def complete_version() -> bool:
        return any(
            size == len(full.encode())
            for (size,) in query(
                db,
                "SELECT r.size FROM articles a JOIN raw r ON r.sha256 = a.raw_sha256 "
                "WHERE a.origin = ?",
                (str(target),),
            )
        )

    wait_for(complete_version, "the complete file stored", timeout=90)
    time.sleep(1.0)
    reads = d.count("article stored", path=str(target)) + d.count("input failed", path=str(target))
    # A close is followed by settle_seconds of quiet before a read, and a file written
    # again after a close waits as long as an open writer: at most the first burst is
    # read early, never one article per burst (4 before the fix).
    assert 1 <= reads <= 2, reads
    assert d.stop(signal.SIGTERM) == 0


# -- 5. ledger keys that two names cannot share --------------------------------------------


def test_names_that_differ_only_in_escaping_are_two_files_read_once_each(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    inbox = os.fsencode(tmp_path / "inbox")
    with open(inbox + b"/r\xe9sum\xe9.txt", "wb") as fh:  # latin-1 bytes: not UTF-8
        fh.write(seeds[0].read_bytes())
    with open(inbox + b"/r\\xe9sum\\xe9.txt", "wb") as fh:  # a literal backslash, x, e, 9
        fh.write(seeds[3].read_bytes())
    first = cli(config, "ingest", str(tmp_path / "inbox"))
    assert "2 new" in first.stdout
    for _ in range(2):  # before the fix, every run stored one more copy
        again = cli(config, "ingest", str(tmp_path / "inbox"))
        assert "0 new, 0 duplicate, 0 failed, 2 unchanged" in again.stdout
    db = tmp_path / "monitor.db"
    assert query(db, "SELECT count(*) FROM articles") == [(2,)]
    assert query(db, "SELECT count(*) FROM ledger") == [(2,)]
    # The displayed origin stays readable: the byte shown as an escape.
    assert any("r\\xe9sum\\xe9.txt" in o for o in stored(db))


def test_the_migration_rekeys_an_old_ledger(tmp_path: Path, seeds: list[Path]) -> None:
    """A ledger written before keys were unique: its rows still match their files."""
    from monitor.sources.ledger_keys import ledger_key

    path = tmp_path / "monitor.db"
    old = Store(path)
    old.close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_unique_ledger_keys'")
    legacy = {
        "/in/back\\slash.txt": "/in/back\\slash.txt",  # a UTF-8 name with a backslash
        "/in/r\\xe9sum\\xe9.txt": os.fsdecode(b"/in/r\xe9sum\xe9.txt"),  # as origin_of wrote it
        "/in/plain.txt": "/in/plain.txt",
    }
    for key in legacy:
        conn.execute(
            "INSERT INTO ledger (path, size, mtime_ns, sha256, outcome, processed_at) "
            "VALUES (?, 1, 1, 'x', 'article', 'now')",
            [key],
        )
    conn.commit()
    conn.close()
    Store(path).close()  # applies the pending migration
    keys = {k for (k,) in query(path, "SELECT path FROM ledger")}
    assert keys == {ledger_key(name) for name in legacy.values()}
    assert len(keys) == 3


# -- 11. ingest reads the paths it is given ------------------------------------------------


def test_ingest_reads_any_named_path_and_says_what_it_skipped(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    downloads = tmp_path / "Downloads"  # outside every inbox folder (the README's example)
    (downloads / ".hidden").mkdir(parents=True)
    shutil.copy(seeds[0], downloads / "article.txt")
    shutil.copy(seeds[1], downloads / "x.tmp")
    shutil.copy(seeds[2], downloads / ".hidden" / "a.txt")
    shutil.copy(seeds[3], downloads / "draft.txt~")
    shutil.copy(seeds[4], downloads / ".dotfile.txt")
    named = cli(
        config,
        "ingest",
        str(downloads / "article.txt"),
        str(downloads / "x.tmp"),
        str(downloads / ".hidden" / "a.txt"),
    )
    assert "3 new" in named.stdout and "(3 files)" in named.stdout
    db = tmp_path / "monitor.db"
    assert set(stored(db)) == {
        str(downloads / "article.txt"),
        str(downloads / "x.tmp"),
        str(downloads / ".hidden" / "a.txt"),
    }
    # A folder: its hidden and temporary files are skipped as the daemon skips them, with
    # a count per reason, and their names with -v.
    folder = cli(config, "ingest", str(downloads))
    assert "(1 files)" in folder.stdout and "1 unchanged" in folder.stdout
    assert "2 temporary name" in folder.stderr and "1 hidden folder" in folder.stderr
    assert "draft.txt~" not in folder.stderr
    verbose = cli(config, "ingest", "--verbose", str(downloads))
    assert f"skipped {downloads / 'draft.txt~'}: temporary name" in verbose.stderr
    assert f"skipped {downloads / '.dotfile.txt'}: hidden" in verbose.stderr
    assert f"skipped {downloads / '.hidden'}: hidden folder" in verbose.stderr
    # A named path that holds nothing to read: exit 1, and it says which.
    (tmp_path / "empty").mkdir()
    nothing = cli(
        config, "ingest", str(tmp_path / "empty"), str(downloads / "missing.txt"), check=False
    )
    assert nothing.returncode == 1
    assert "no such file or folder" in nothing.stderr
    assert (
        f"nothing to read in: {tmp_path / 'empty'}, {downloads / 'missing.txt'}" in nothing.stderr
    )


# -- 12. reload of [inbox] and missing folders ---------------------------------------------


def test_sighup_after_changing_the_inbox_watches_the_new_folder(
    tmp_path: Path, seeds: list[Path], daemons: Callable[[Path], BoundDaemon]
) -> None:
    (tmp_path / "inbox").mkdir()
    config = write_config(tmp_path)
    d = daemons(config)
    d.wait_event("watching")
    second = tmp_path / "second"
    second.mkdir()
    shutil.copy(seeds[0], second / "already-there.txt")
    write_config(tmp_path, paths=("second",), extra="[metrics]\nlisten = '127.0.0.1:9'\n")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_event("configuration reloaded")
    restart = d.wait_event(
        "some changed settings take effect only after a restart; restart monitor to apply them"
    )
    assert restart["settings"] == ["metrics"]
    db = tmp_path / "monitor.db"
    wait_for(lambda: str(second / "already-there.txt") in stored(db), "the new folder scanned")
    shutil.copy(seeds[3], second / "dropped.txt")
    wait_for(lambda: str(second / "dropped.txt") in stored(db), "a file dropped in the new folder")
    shutil.copy(seeds[4], tmp_path / "inbox" / "old-folder.txt")
    time.sleep(1.5)  # three rescans: the old folder is no longer watched
    assert str(tmp_path / "inbox" / "old-folder.txt") not in stored(db)
    # A reload naming a missing folder is refused, and the running folders kept.
    write_config(tmp_path, paths=("secnod",))
    d.proc.send_signal(signal.SIGHUP)
    failed = d.wait_event("reload failed; keeping the running configuration")
    assert "secnod" in failed["error"] and "did you mean" in failed["error"]
    shutil.copy(seeds[2], second / "after-bad-reload.txt")
    wait_for(lambda: str(second / "after-bad-reload.txt") in stored(db), "still watching")
    assert d.stop(signal.SIGTERM) == 0


def test_a_misspelt_inbox_folder_is_refused_with_the_nearest_one(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    config = write_config(tmp_path, paths=("seds",))
    checked = cli(config, "check-config", check=False)
    assert checked.returncode == 2
    assert f"folder {tmp_path / 'seds'} does not exist" in checked.stderr
    assert f"did you mean {tmp_path / 'seeds'}?" in checked.stderr
    assert "create = true" in checked.stderr
    run = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "did you mean" in run.stderr
    assert not (tmp_path / "seds").exists()  # not created silently
    # The explicit opt-in, for a first run.
    wanted = write_config(tmp_path, paths=("new/inbox",), inbox_extra="create = true\n")
    assert "OK" in cli(wanted, "check-config").stdout
    d = Daemon(wanted)
    try:
        d.wait_event("watching")
        assert (tmp_path / "new" / "inbox").is_dir()
    finally:
        assert d.stop(signal.SIGTERM) == 0


# -- 13. unreadable files and folders; failures that were resolved -------------------------


def test_a_file_fixed_with_chmod_is_read_and_its_failure_resolved(
    tmp_path: Path, seeds: list[Path], daemons: Callable[[Path], BoundDaemon]
) -> None:
    _unprivileged_prefix()  # skips here, not mid-test, if modes cannot bind
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = write_config(tmp_path)
    staged = tmp_path / "locked.txt"
    shutil.copy(seeds[0], staged)
    staged.chmod(0)
    os.rename(staged, inbox / "locked.txt")
    d = daemons(config)
    db = tmp_path / "monitor.db"
    target = str(inbox / "locked.txt")
    try:
        wait_for(
            lambda: query(db, "SELECT reason FROM failures WHERE origin = ?", (target,)),
            "the read failure recorded",
        )
        time.sleep(2.0)  # four rescans: each would record it again if it could
        assert query(db, "SELECT count(*) FROM failures WHERE origin = ?", (target,)) == [(1,)]
        listed = cli(config, "failures")
        assert "locked.txt" in listed.stdout and "cannot read the file" in listed.stdout
        (inbox / "locked.txt").chmod(0o644)  # same size, same mtime: only the mode changed
        wait_for(lambda: target in stored(db), "the file read once readable", timeout=60)
    finally:
        if (inbox / "locked.txt").exists():
            (inbox / "locked.txt").chmod(0o644)
    listed = cli(config, "failures")
    assert "locked.txt" not in listed.stdout
    assert "1 resolved failure(s) not shown" in listed.stderr
    assert "locked.txt  (resolved" in cli(config, "failures", "--all").stdout
    status = cli(config, "status", check=False)
    assert "failures: 0; 1 resolved since" in status.stdout
    assert d.stop(signal.SIGTERM) == 0


def test_an_unreadable_subfolder_is_logged_and_recorded_once(
    tmp_path: Path, seeds: list[Path], daemons: Callable[[Path], BoundDaemon]
) -> None:
    _unprivileged_prefix()
    inbox = tmp_path / "inbox"
    locked = inbox / "locked"
    locked.mkdir(parents=True)
    shutil.copy(seeds[0], locked / "inside.txt")
    shutil.copy(seeds[3], inbox / "outside.txt")
    locked.chmod(0)
    config = write_config(tmp_path)
    db = tmp_path / "monitor.db"
    try:
        for _ in range(2):  # and again after a restart
            d = daemons(config)
            d.wait_event("unreadable folder in the inbox", path=str(locked))
            wait_for(lambda: str(inbox / "outside.txt") in stored(db), "the readable file")
            time.sleep(2.0)  # four rescans
            assert d.count("unreadable folder in the inbox") == 1
            rows = query(db, "SELECT reason FROM failures WHERE origin = ?", (str(locked),))
            assert len(rows) == 1 and "cannot read this folder" in rows[0][0]
            assert d.stop(signal.SIGTERM) == 0
        assert str(locked) in cli(config, "failures").stdout
        locked.chmod(0o755)
        d = daemons(config)
        wait_for(
            lambda: str(locked / "inside.txt") in stored(db), "the folder's file, once readable"
        )
        assert d.stop(signal.SIGTERM) == 0
    finally:
        locked.chmod(0o755)
    listed = cli(config, "failures")
    assert str(locked) not in listed.stdout and "1 resolved" in listed.stderr


def test_failures_and_status_leave_out_what_was_stored_since(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    bad = tmp_path / "inbox" / "later-fixed.txt"
    bad.write_bytes(b"")
    (tmp_path / "inbox" / "still-bad.txt").write_bytes(b"")
    cli(config, "ingest", str(tmp_path / "inbox"))
    assert "later-fixed.txt" in cli(config, "failures").stdout
    shutil.copy(seeds[0], bad)  # fixed: the next ingest stores it
    assert "1 new" in cli(config, "ingest", str(bad)).stdout
    listed = cli(config, "failures")
    assert "later-fixed.txt" not in listed.stdout and "still-bad.txt" in listed.stdout
    assert "1 resolved" in listed.stderr
    status = cli(config, "status", check=False).stdout
    assert "failures: 1 (last:" in status and "still-bad.txt" in status
    assert "1 resolved since" in status


# -- 14. UTF-16 without a byte-order mark, end to end --------------------------------------


def test_utf16_files_without_a_bom_are_stored(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    inbox = tmp_path / "inbox"
    arabic = seeds[1].read_text(encoding="utf-8")
    english = (
        "Sanctions on arms shipments\n\n"
        + "The ministry said on Tuesday that new sanctions would follow the arms shipment "
        "seized at the port, and that talks with the neighbours would go on next week.\n" * 6
    )
    (inbox / "arabic-utf16le.txt").write_bytes(arabic.encode("utf-16-le"))
    (inbox / "english-utf16be.txt").write_bytes(english.encode("utf-16-be"))
    result = cli(config, "ingest", str(inbox))
    assert "2 new, 0 duplicate, 0 failed" in result.stdout, result.stdout
    rows = dict(query(tmp_path / "monitor.db", "SELECT encoding, language FROM articles"))
    assert rows == {"utf-16-le": "ar", "utf-16-be": "en"}
