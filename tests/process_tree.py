"""Killing a process with everything it started, as systemd does to a crashed service's
control group: a daemon killed with SIGKILL leaves its worker pool (a forkserver and its
workers) running, and a soak of many kills would leave hundreds of them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Children, grandchildren and so on, from /proc (Linux)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                children = [int(c) for c in (task / "children").read_text().split()]
                found.extend(children)
                todo.extend(children)
    return found


def kill_tree(proc: subprocess.Popen[str]) -> int:
    """SIGKILL the process and all it started; its exit status."""
    family = descendants(proc.pid)
    if proc.poll() is None:
        proc.kill()
    code = proc.wait()
    for pid in family:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return code
