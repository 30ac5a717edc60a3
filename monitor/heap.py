"""How this process's C heap (glibc malloc) hands memory back: big buffers in their own
mappings, returned to the system when freed.

glibc serves a request of 128 KB or more with a mapping of its own, unmapped on free,
but the first time such a buffer is freed it raises that threshold to the buffer's size
(up to 32 MB) and from then on serves big requests from the heap. An ingest's buffers
are big and short-lived (a page's bytes, 169 KB on average in the aeb corpus; its
decoded text; lxml's trees; the pickles that carry pages to the workers and articles
back), so after the first few pages they were carved out of the heap, and the holes
they left between long-lived objects stayed resident. Fixing the threshold at glibc's
default keeps them mapped: `monitor ingest` of the 181 aeb pages peaked some 20 MB lower
summed over its processes (the daemon about 11 MB, each worker about 5 MB; the same
as MALLOC_MMAP_THRESHOLD_=131072 in the environment, which a user would have to set
for every process), for a few more mmap calls a page.

Only glibc has mallopt: anywhere else this does nothing.
"""

from __future__ import annotations

import contextlib

# mallopt's parameter number for the threshold (glibc's malloc.h), and glibc's default.
_M_MMAP_THRESHOLD = -3
_THRESHOLD = 128 * 1024


def keep_big_buffers_mapped() -> None:
    """Fix glibc's mmap threshold (see the module docstring); idempotent, never raises."""
    with contextlib.suppress(Exception):  # not glibc, or no ctypes: the default heap
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)
