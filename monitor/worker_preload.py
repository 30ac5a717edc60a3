"""Imported once by the worker pool's forkserver, before it forks any worker, so that
every worker starts with the extractor imported and warm.

Without it, each worker imported trafilatura and lxml and ran a first page on its own
(0.5 s of CPU idle, about a second each on a busy 2-core machine, two at once, while the
main process was loading its models): the first page of a run came back after all that.
Imported here once, the forked workers share it and start extracting at once, and a
worker that replaces a stuck one (workers.Extractor.restart) starts warm too.

Importing this module warms on purpose (a forkserver only imports its preload modules).
Nothing here may raise: the forkserver imports its preload before it serves, and any
error but an ImportError would kill it and with it every pool. A failure is met again
by the workers' own warm-up (workers.warm), which reports it.
"""

from __future__ import annotations

import contextlib

with contextlib.suppress(Exception):
    from monitor.heap import keep_big_buffers_mapped
    from monitor.workers import warm

    keep_big_buffers_mapped()  # inherited by every worker forked from here (heap.py)

    warm()
