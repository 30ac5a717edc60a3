"""structlog set-up: JSON lines for journald and files, a readable format on a terminal.

stdlib logging (trafilatura, apscheduler, watchdog) is routed through the same processors
so every line has one shape. Tracebacks never include local variables: they can hold
tokens and passwords (NOTES.md).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from monitor.ops.redact import Redactor
from monitor.ops.terminal import inert_log_event

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


def configure(level: str = "info", fmt: str = "auto", redactor: Redactor | None = None) -> None:
    """Configure structlog and stdlib logging for the whole process (call once, at start).

    Exceptions are rendered to text or dicts before the redactor runs, so a secret inside
    an exception message is masked like any other. Without a redactor, one with no known
    secrets still masks what URLs carry (userinfo, token parameters).

    structlog is imported here, not with the module: the CLI imports this module for
    every command, and the read commands never configure logging (configfile.py).
    """
    import structlog
    from structlog.tracebacks import ExceptionDictTransformer

    as_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any
    if as_json:
        renderer = structlog.processors.JSONRenderer(ensure_ascii=False)
        shared.append(
            structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False))
        )
    else:
        renderer = structlog.dev.ConsoleRenderer()
        shared.append(structlog.processors.format_exc_info)
    shared.append(redactor if redactor is not None else Redactor())  # URLs are scrubbed anyway
    # Last: values from strangers (titles, file names) cannot steer the terminal or the
    # journal viewer that shows the line (monitor/ops/terminal.py).
    shared.append(inert_log_event)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(_LEVELS[level])
    # Chatty libraries: their INFO lines are not news to an analyst. httpx logs every
    # request's URL at INFO (webhook URLs included); the redactor masks their secrets, and
    # the lines stay out of the journal unless asked for at debug level.
    for name in ("trafilatura", "watchdog", "charset_normalizer", "htmldate", "courlan", "httpx"):
        logging.getLogger(name).setLevel(max(_LEVELS[level], logging.WARNING))
