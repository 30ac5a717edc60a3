"""Asking valgrind's callgrind to act on the running process (zero or dump its counts),
shared by the benches that count a part of a run (bench_clean.py, clean_phases.py)."""

from __future__ import annotations

import os
import subprocess
import time


def control(*args: str) -> None:
    """callgrind_control ARGS on this process, running meanwhile: callgrind answers between
    blocks of the program's own code, never while the process waits in a system call, so
    this process spins (sleep(0)) rather than blocks until it has."""
    ctl = subprocess.Popen(
        ["callgrind_control", *args, str(os.getpid())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while ctl.poll() is None:
        time.sleep(0)
