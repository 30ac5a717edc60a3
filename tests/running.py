"""Run the real `monitor` command in a subprocess, and poll for what it wrote."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from servers import free_port

# Generous: this waits for an outcome, it does not measure speed. The suite runs 12
# processes on 2 cores, and this machine's speed halves on some days: at 30 s a daemon's
# first feed poll and worker pool missed the deadline on such a day.
WAIT = 60.0


def cli(config: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("MONITOR_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"monitor {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        )
    return result


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def query(db: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return []  # schema not created yet
    finally:
        conn.close()


def alert_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class Daemon:
    """`monitor run` as a child process; its log lines (JSON) are collected as they come.

    Every instance is remembered (weakly) so that conftest's teardown can kill one a
    failed wait left running: a test that fails before its `stop()` would otherwise
    leave a daemon behind for the rest of the suite, on the inbox of a removed folder."""

    live: ClassVar[weakref.WeakSet[Daemon]] = weakref.WeakSet()

    def __init__(
        self, config: Path, env: dict[str, str] | None = None, prefix: Sequence[str] = ()
    ) -> None:
        """`prefix` goes before the command: e.g. setpriv, to drop capabilities."""
        self.config = config
        self.lines: list[str] = []
        env = os.environ | {"PYTHONUNBUFFERED": "1"} | (env or {})
        env.pop("MONITOR_CONFIG", None)
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "monitor", "--config", str(config), "run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        Daemon.live.add(self)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def events(self) -> list[dict[str, Any]]:
        out = []
        for line in list(self.lines):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out

    def count(self, event: str, **fields: object) -> int:
        """How many log events of this name (with these fields) so far."""
        return sum(
            1
            for e in self.events()
            if e.get("event") == event and all(e.get(k) == v for k, v in fields.items())
        )

    def wait_until(self, predicate: Callable[[], Any], what: str) -> Any:
        """wait_for(), failing at once if the daemon exits first, and with its log on a
        timeout: a bare "timed out" says nothing about what the daemon was doing."""

        def check() -> Any:
            value = predicate()  # (first: what it logged just before it exited counts)
            if not value and self.proc.poll() is not None:
                raise AssertionError(
                    f"daemon exited {self.proc.returncode} while waiting for {what}:\n"
                    + "".join(self.lines)
                )
            return value

        try:
            return wait_for(check, what)
        except AssertionError as exc:
            if self.proc.poll() is not None:
                raise
            tail = "".join(self.lines[-30:])
            raise AssertionError(f"{exc}; the daemon's last lines:\n{tail}") from None

    def wait_event(self, name: str, **fields: Any) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            for ev in self.events():
                if ev.get("event") == name and all(ev.get(k) == v for k, v in fields.items()):
                    return ev
            return None

        return self.wait_until(found, f"log event {name!r} {fields}")

    def kill(self) -> None:
        """End the process whatever state it is in (teardown after a failure)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)

    def stop(self, sig: int = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=WAIT)
        self._reader.join(timeout=5)
        return code


@contextmanager
def ui_server(config: Path) -> Iterator[str]:
    """`monitor ui` as a child process on a free port; yields its base URL once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "ui", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return urllib.request.urlopen(base + "/-/versions.json", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(up, "the UI to listen")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
