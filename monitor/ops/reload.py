"""What a SIGHUP cannot change in a running daemon, so the log can say so.

A reload rebuilds the pipeline (taxonomy, gazetteer, dedup, stories), the alerting, the
feed list and the inbox watcher. The store, the extraction worker pool, the fetcher, the
metrics server and the log format are built once at start; a change to them is logged
by name instead of being silently ignored.
"""

from __future__ import annotations

from monitor.config import Settings


def needs_restart(old: Settings, new: Settings) -> list[str]:
    """Names of the changed settings that take effect only after a restart."""
    checks = {
        "store.path": (old.store.path, new.store.path),
        "pipeline.workers": (old.pipeline.workers, new.pipeline.workers),
        "pipeline.extract_timeout": (old.pipeline.extract_timeout, new.pipeline.extract_timeout),
        "fetch": (old.fetch, new.fetch),
        "metrics": (old.metrics, new.metrics),
        "logging": (old.logging, new.logging),
    }
    return [name for name, (a, b) in checks.items() if a != b]
