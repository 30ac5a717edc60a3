"""Failures that still matter: the queries behind `monitor failures` and `monitor status`.

A failure is a record of what went wrong, and it is kept; but once its input has been
stored (a file fixed and dropped again, a permission repaired, `retry-failed` after a
raised limit), listing it as a current problem misleads. A failure is *resolved* when an
article with the same origin (or, for a folder, an origin inside it) was stored at or
after the failure's time. Failures and articles carry the same origin string, so this
works for inbox files and feed entries alike, with no bookkeeping on success.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # read commands open the store without it (store/readonly.py)
    from monitor.store.connection import Database

# '/' + 1 == '0': origins inside folder F sort between F + '/' and F + '0' (an index range).
_RESOLVED = """EXISTS (
    SELECT 1 FROM articles a
    WHERE (a.origin = f.origin OR (a.origin > f.origin || '/' AND a.origin < f.origin || '0'))
      AND a.ingested_at >= f.at
)"""


def open_failures(
    db: Database, limit: int, *, include_resolved: bool = False
) -> list[dict[str, Any]]:
    """Newest first; each row has `resolved` (0 or 1)."""
    where = "" if include_resolved else f"WHERE NOT {_RESOLVED}"
    return list(
        db.query(
            f"SELECT f.*, {_RESOLVED} AS resolved FROM failures f {where} "
            "ORDER BY f.id DESC LIMIT ?",
            [limit],
        )
    )


def failure_counts(db: Database) -> tuple[int, int]:
    """(open, resolved)."""
    row = db.execute(f"SELECT count(*), coalesce(sum({_RESOLVED}), 0) FROM failures f").fetchone()
    total, resolved = int(row[0]), int(row[1])
    return total - resolved, resolved


def record_failure_once(db: Database, origin: str, reason: str, at: str) -> int | None:
    """A failure with no bytes (an unreadable folder), unless the same one is still open:
    the daemon finds it again at every rescan and after every restart."""
    same = db.execute(
        f"SELECT 1 FROM failures f WHERE f.origin = ? AND f.reason = ? AND NOT {_RESOLVED}",
        [origin, reason],
    ).fetchone()
    if same:
        return None
    cursor = db.execute(
        "INSERT INTO failures (origin, raw_sha256, size, reason, at) VALUES (?, NULL, NULL, ?, ?)",
        [origin, reason, at],
    )
    return cursor.lastrowid
