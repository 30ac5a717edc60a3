"""Functions run in a real process pool's worker to leave the pool in the states a killed
worker leaves it in (tests/test_workers_restart.py).

They are in a module of their own because a worker imports the function it runs by name
(a forkserver worker cannot unpickle one defined in the test's `-c` script).
"""

from __future__ import annotations

import os
import struct
import sys
import time
from pathlib import Path


def half_sent(marker: str) -> None:
    """Write the first bytes of a result to the pool's result pipe and stop there, as a
    worker SIGKILLed in the middle of sending a result does (its pickled article larger
    than the room left in the pipe while the main process was busy): the length prefix
    announces a megabyte and only 100 bytes follow. Then say so (the marker file) and
    wait to be killed."""
    # concurrent.futures' _process_worker(call_queue, result_queue, ...) calls us: its
    # result queue is the pipe the pool's manager thread reads.
    results = sys._getframe(1).f_locals.get("result_queue")
    assert results is not None, "concurrent.futures' worker loop has no result_queue here"
    os.write(results._writer.fileno(), struct.pack("!i", 1 << 20) + bytes(100))
    Path(marker).write_text("half sent")
    time.sleep(600)


def stuck(marker: str) -> None:
    """A worker busy with no end in sight (a hostile page), which says it has started."""
    Path(marker).write_text("running")
    time.sleep(600)
