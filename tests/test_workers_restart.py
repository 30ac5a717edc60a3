"""A pool whose workers are killed (workers.Extractor.restart, after a stuck page) must
not leave a thread behind that never ends, and Extractor.close() must return even with
a worker stuck: either hung `monitor ingest` at exit, in concurrent.futures' exit hook
that joins every pool's manager thread.

A worker killed while sending a result leaves part of a message in the result pipe; the
pool's manager thread waits in recv() for the rest, which never comes while the main
process holds the pipe's write end. Each check runs in a process of its own with a time
limit, so a hang fails the test instead of hanging the suite: a real Extractor, a real
forkserver pool, real SIGKILLs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

SCRIPT = """
import sys, time
from pathlib import Path
from monitor.workers import Extractor
from pool_faults import half_sent, stuck

def wait_for(path):
    for _ in range(1200):
        if path.exists():
            return
        time.sleep(0.05)
    raise SystemExit(f"{path.name} never written")

marker = Path(sys.argv[1])
extractor = Extractor(1, 60.0)
# A worker killed halfway through sending its result: the pool is replaced.
old = extractor._get_pool().submit(half_sent, str(marker / "sent"))
wait_for(marker / "sent")
extractor.restart()
print(type(old.exception(timeout=60)).__name__, flush=True)
# A worker stuck when the extractor closes (a hostile page when the daemon stops).
extractor._get_pool().submit(stuck, str(marker / "running"))
wait_for(marker / "running")
extractor.close()
print("closed", flush=True)
"""


def test_killed_workers_leave_no_thread_waiting_and_close_returns_with_a_worker_stuck(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(TESTS), str(TESTS.parent)]))
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its forkserver and workers too go if it hangs
    )
    try:
        out, err = process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"the process hung (stdout: {out!r}; stderr: {err[-2000:]!r})")
    finally:
        # Whatever it left (workers sleeping), in its own session: none may outlive it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, err[-2000:]
    # The future of the half-sent result fails (the pool is broken) instead of waiting.
    assert out.split() == ["BrokenProcessPool", "closed"]
