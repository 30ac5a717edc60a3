"""Issue 19's memory bound (450 MB summed over every process of an ingest): what the
daemon and the worker pool's forkserver do to stay under it, checked by their cause, not
by a measure of memory (that is bench/bench_ingest.py's).

Each check runs in a fresh interpreter (`python -c`, no monitor process): the heap's
state and the modules imported belong to a whole process."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Frees a 4 MB buffer (glibc served it with a mapping of its own, and on freeing it
# raises its threshold for mappings to 4 MB), then asks for 300 KB: does the new
# buffer get a mapping of its own (returned to the system when freed), or a piece of
# the heap (left there as a hole, resident, once freed)?
HEAP_PROBE = """
import ctypes, sys
libc = ctypes.CDLL("libc.so.6")
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc.mallinfo2.restype = Info
if sys.argv[1] == "fixed":
    from monitor.heap import keep_big_buffers_mapped
    keep_big_buffers_mapped()
big = bytearray(4 << 20)
del big
before = libc.mallinfo2().hblks
buffer = bytearray(300 << 10)
print(libc.mallinfo2().hblks - before)
"""


def _mapped(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", HEAP_PROBE, mode], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        if "mallinfo2" in out.stderr or "libc.so.6" in out.stderr:
            pytest.skip("not glibc (or older than 2.33): heap.py does nothing there")
        raise AssertionError(out.stderr)
    return int(out.stdout)


def test_big_buffers_stay_mapped_after_a_bigger_one_was_freed() -> None:
    # glibc's default, which the daemon's heap had: the 300 KB buffer comes from the heap.
    assert _mapped("default") == 0
    # keep_big_buffers_mapped(), called by Service.build and the forkserver's preload.
    assert _mapped("fixed") == 1


def test_the_forkserver_preload_fixes_the_threshold_and_skips_the_store_side_steps() -> None:
    """What the forkserver imports, every worker forked from it holds: the story, revision
    and tagging modules are the main process's alone (pipeline.py imports them where it
    builds the pipeline)."""
    probe = (
        "import sys, unittest.mock as m\n"
        "with m.patch('monitor.heap.keep_big_buffers_mapped') as fixed:\n"
        "    import monitor.worker_preload\n"
        "print(fixed.call_count, *sorted(n for n in ('monitor.stories', 'monitor.revisions',"
        " 'monitor.tagging.terms', 'Stemmer') if n in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["1"], f"calls, then modules the workers need not: {out}"
