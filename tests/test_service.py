"""Running as a service: systemd protocol, reload, status, retries, crash safety, the unit."""

from __future__ import annotations

import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from running import Daemon, alert_lines, cli, query, wait_for

from monitor import grouped_commits
from monitor.config import load
from monitor.service import Service

REPO = Path(__file__).resolve().parents[1]
UNIT = REPO / "deploy" / "monitor.service"


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[str, Callable[[], list[str]]]]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.05)
    got: list[str] = []

    def messages() -> list[str]:
        while True:
            try:
                got.append(sock.recv(4096).decode())
            except TimeoutError:
                return got

    yield path, messages
    sock.close()


def test_systemd_hears_ready_after_the_scan_then_watchdog_status_and_stopping(
    make_config: Callable[..., Path],
    tmp_path: Path,
    seeds: list[Path],
    notify_socket: tuple[str, Callable[[], list[str]]],
) -> None:
    config = make_config()
    shutil.copy(seeds[0], tmp_path / "inbox" / "early.txt")
    path, messages = notify_socket
    d = Daemon(config, env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
    ready = wait_for(lambda: [m for m in messages() if "READY=1" in m], "READY=1")
    assert "backlog 1" in ready[0]  # the start-up scan has found the file already there
    wait_for(lambda: sum("WATCHDOG=1" in m for m in messages()) >= 3, "watchdog pings")
    wait_for(lambda: any("STATUS=1 new" in m for m in messages()), "STATUS with counts")
    assert d.stop() == 0
    assert "STOPPING=1" in messages()[-1]


def test_sighup_reloads_and_a_broken_config_keeps_the_old_one(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    d = Daemon(config)
    d.wait_event("watching")
    good = config.read_text()
    config.write_text(
        good
        + "[[alerts.rules]]\nname = 'only-sanctions'\ntopics = ['sanctions']\nchannels = ['log']\n"
    )
    d.proc.send_signal(signal.SIGHUP)
    d.wait_event("configuration reloaded")
    config.write_text(good + "[inbox\n")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_event("reload failed; keeping the running configuration")
    shutil.copy(seeds[3], tmp_path / "inbox" / "a.txt")
    wait_for(
        lambda: query(tmp_path / "monitor.db", "SELECT id FROM articles"),
        "ingest after a bad reload",
    )
    wait_for(lambda: alert_lines(tmp_path / "alerts.jsonl"), "an alert")
    assert {a["rule"] for a in alert_lines(tmp_path / "alerts.jsonl")} == {"only-sanctions"}
    assert d.stop() == 0


def test_status_reports_running_then_stopped(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    shutil.copy(seeds[0], tmp_path / "inbox" / "a.txt")
    (tmp_path / "inbox" / "bad.txt").write_bytes(b"")
    d = Daemon(config)
    d.wait_event("article stored")
    running = wait_for(
        lambda: (r := cli(config, "status", check=False)).returncode == 0 and r, "status: running"
    )
    assert "daemon: running" in running.stdout
    assert (
        "articles: 1" in running.stdout
        and "failures: 1" in running.stdout
        and "bad.txt" in running.stdout
    )
    assert d.stop() == 0
    stopped = cli(config, "status", check=False)
    assert stopped.returncode == 3 and "stopped at" in stopped.stdout


def test_retry_failed_processes_again_after_the_limit_is_raised(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    text = config.read_text().replace(
        "settle_seconds = 0.3\n", "settle_seconds = 0.3\nmax_file_mb = 0.001\n"
    )
    config.write_text(text)
    shutil.copy(seeds[2], tmp_path / "inbox" / "big.txt")
    assert "1 failed" in cli(config, "ingest", str(tmp_path / "inbox")).stdout
    config.write_text(text.replace("max_file_mb = 0.001", "max_file_mb = 5"))
    assert "1 new" in cli(config, "retry-failed").stdout
    assert "0 new" in cli(config, "retry-failed").stdout  # nothing failed any more


def test_a_reader_holding_a_long_transaction_does_not_stop_ingestion(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    d = Daemon(config)
    d.wait_event("watching")
    reader = sqlite3.connect(tmp_path / "monitor.db")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()  # holds a read snapshot
    try:
        for seed in seeds:
            shutil.copy(seed, tmp_path / "inbox" / seed.name)
        wait_for(
            lambda: len(query(tmp_path / "monitor.db", "SELECT id FROM articles")) == len(seeds),
            "ingest while a reader holds a transaction",
        )
    finally:
        reader.close()
    assert d.stop() == 0


needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)


@needs_systemd
def test_the_unit_is_hardened_to_1_5_or_lower() -> None:
    out = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(UNIT)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    score = float(out.rsplit("Overall exposure level for monitor.service:", 1)[1].split()[0])
    assert score <= 1.5, out[-2000:]


@needs_systemd
def test_the_unit_verifies_clean(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point it at a real executable for the check.
    unit = tmp_path / "monitor.service"
    unit.write_text(
        UNIT.read_text().replace(
            "/opt/monitor/.venv/bin/monitor", shutil.which("python3") or "/bin/true"
        )
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    problems = [line for line in done.stderr.splitlines() if "monitor.service" in line]
    assert done.returncode == 0 and not problems, done.stderr


def test_metrics_are_served_on_the_local_address(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    import urllib.request

    from servers import free_port

    port = free_port()
    config = make_config(f'[metrics]\nlisten = "127.0.0.1:{port}"\n')
    shutil.copy(seeds[0], tmp_path / "inbox" / "a.txt")
    d = Daemon(config)
    d.wait_event("article stored")

    def scrape() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            return response.read().decode()

    text = wait_for(
        lambda: 'monitor_inputs_total{outcome="new"} 1.0' in (t := scrape()) and t, "metrics"
    )
    assert "monitor_inbox_backlog" in text and 'monitor_deliveries{status="pending"}' in text
    assert d.stop() == 0


def test_a_stop_in_the_middle_of_a_batch_leaves_the_rest_for_the_next_start(
    make_config: Callable[..., Path], inbox_with_seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch is extracted and tagged (the watchdog pinged for each) before the first
    of it is stored; a stop then ends it after the transaction being committed (two
    articles at most here: grouped_commits.py), and the next start reads the rest, none
    of them twice."""
    monkeypatch.setattr(grouped_commits, "GROUP_INPUTS", 2)
    settings = load(make_config("[pipeline]\nworkers = 0\n"))
    files = sorted(inbox_with_seeds.iterdir())
    stop = threading.Event()
    pings: list[int] = []
    service = Service.build(settings)
    try:
        stored = []
        for path, outcome in service.process_files(files, stop, lambda: pings.append(1)):
            stored.append((path, outcome, len(pings) >= len(files)))
            stop.set()  # SIGTERM while the first of the batch is being stored
    finally:
        service.close()
    # every input pinged for before; the outcomes of one committed transaction
    assert 1 <= len(stored) <= 2
    assert stored == [(path, "new", True) for path in files[: len(stored)]]
    service = Service.build(settings)
    try:
        counts = service.ingest(files)
        rows = service.store.db.execute("SELECT origin FROM articles").fetchall()
    finally:
        service.close()
    assert counts == {"unchanged": len(stored), "new": len(files) - len(stored)}
    assert sorted(Path(o) for (o,) in rows) == files


def test_a_stop_while_a_batch_is_extracted_stores_none_of_it(
    make_config: Callable[..., Path], inbox_with_seeds: Path
) -> None:
    """SIGTERM while the workers extract a batch: the rest is not waited for, nothing of
    the batch is stored, and the next start stores all of it."""
    settings = load(make_config("[pipeline]\nworkers = 2\n"))
    files = sorted(inbox_with_seeds.iterdir())
    stop = threading.Event()
    pings: list[int] = []

    def alive() -> None:
        pings.append(1)
        if len(pings) == 2:
            stop.set()

    service = Service.build(settings)
    try:
        assert list(service.process_files(files, stop, alive)) == []
    finally:
        service.close()
    assert len(pings) == 2
    service = Service.build(settings)
    try:
        assert service.ingest(files) == {"new": len(files)}
    finally:
        service.close()


def test_a_rejected_file_alone_logs_no_error(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    """A batch with nothing left to group (its only file rejected) is not grouped."""
    config = make_config()
    (tmp_path / "inbox" / "empty.txt").write_bytes(b"")
    out = cli(config, "ingest", str(tmp_path / "inbox"))
    assert "could not group" not in out.stderr and "Traceback" not in out.stderr
    assert "empty" in out.stdout + out.stderr


def test_a_page_over_the_time_limit_fails_alone_and_the_inputs_queued_behind_it_are_stored(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    """A page that keeps a worker busy past extract_timeout is recorded as failed and its
    pool replaced; the inputs read ahead and queued in that pool go to the new one."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paragraphs = "".join(
        f"<div><p>Paragraph {i} on the harbour strike.</p></div>" for i in range(180000)
    )
    (inbox / "000-hostile.html").write_text(f"<html><body>{paragraphs}</body></html>")
    for i in range(150):
        lines = seeds[i % len(seeds)].read_text(encoding="utf-8").splitlines()
        body = "".join(f"<p>{line}</p>" for line in lines if line.strip())
        page = f"<html><body><article><p>Report {i}.</p>{body}</article></body></html>"
        (inbox / f"{i + 1:03d}.html").write_text(page, encoding="utf-8")
    # The hostile page takes about 16 s to extract on an idle machine (30,000 paragraphs
    # took 3.1 s once trafilatura ran in fast mode: too near the limit), a normal one 20 ms:
    # 6 s stays between the two however busy the machine (a 1 s limit failed an ordinary
    # page once beside three other test processes, and 3 s one at a load of 15-29, the
    # suite's 12 workers beside other jobs on 2 cores).
    config = make_config("[pipeline]\nworkers = 2\nextract_timeout = 6\n")
    cli(config, "ingest", str(inbox))
    db = tmp_path / "monitor.db"
    failures = query(db, "SELECT origin, reason FROM failures")
    assert [(Path(o).name, "took longer" in r) for o, r in failures] == [("000-hostile.html", True)]
    assert query(db, "SELECT count(*) FROM articles") == [(150,)]
