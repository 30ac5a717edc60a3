"""Imported once by the worker pool's forkserver when a run holds texts alone: the
workers start with the text cleaner and the language model loaded, without trafilatura.
Nothing here may raise (see worker_preload.py)."""

from __future__ import annotations

import contextlib

with contextlib.suppress(Exception):
    from monitor.heap import keep_big_buffers_mapped
    from monitor.workers import warm_text

    keep_big_buffers_mapped()
    warm_text()
