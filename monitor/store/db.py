"""Reads and writes of the SQLite store.

One Store wraps one connection, and a connection belongs to one thread (NOTES.md): the
daemon's worker owns one, each CLI command opens its own. WAL lets readers (the CLI, a
browser UI, the sqlite3 shell) work while the daemon writes.

Here: opening, the writes, and the reads the pipeline makes while it writes (copies,
story candidates, document frequencies). What the commands and the UI read (search,
show, stats, stories, deliveries...) is in reads.py, a mixin of Store: callers still
call `store.search(...)`. What an article's row holds (its columns, the tags as JSON) is
columns.py.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from monitor.crosslingual import scripts
from monitor.dedup import words_of
from monitor.models import Article, EntityTag, StoryLink, TopicTag
from monitor.ops.redact import scrub_urls
from monitor.store.busy import Retry, transaction
from monitor.store.columns import _json, article_row, now, tag_columns
from monitor.store.connection import Database
from monitor.store.identity import store_id
from monitor.store.lock import StoreUnavailable, unwritable
from monitor.store.query import fts_query
from monitor.store.readonly import ReadOnlyDatabase
from monitor.store.reads import EXPORT_FIELDS as EXPORT_FIELDS  # the CLI's CSV columns
from monitor.store.reads import StoreReads
from monitor.store.stamp import mark_up_to_date, up_to_date
from monitor.store.template import copy_template, keep_template
from monitor.story_model import CANDIDATE_STORIES, StoryRow, merge_profile, widen_dates
from monitor.text.clitics import index_text, index_words

T = TypeVar("T")
# SQLite's answers to a store it may not create or write (permissions, a read-only mount).
_CANNOT_WRITE = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM}


def _enable_wal(conn: sqlite3.Connection) -> None:
    """sqlite_utils' Database.enable_wal, on the bare connection (NOTES.md: outside a
    transaction)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode=wal")


# How often a running daemon writes its heartbeat row. Here, beside the row, and not in
# daemon.py: `monitor status` judges a heartbeat stale by it and must not import the service.
HEARTBEAT_SECONDS = 5.0
# Story profiles kept parsed (Store._profile): the candidates of a stream's articles are
# mostly the stories of its last days.
PROFILES_PARSED = 512


class Store(StoreReads):
    def __init__(
        self,
        path: Path,
        *,
        readonly: bool = False,
        retry: Retry | None = None,
        templates: Path | None = None,
    ) -> None:
        """`templates`: the folder of empty stores to copy a new store from (template.py);
        None creates a new store by running the migrations."""
        self.path = path
        self.retry = retry or Retry()
        # Story profiles as last parsed, by story id: (the stored JSON, the dict). See
        # story_rows; PROFILES_PARSED of them, about 10 KB each. With each, the scripts it
        # is written in (crosslingual.scripts; None until first asked): every judgement of
        # a story asks, and the same few stories are judged again and again (a story merge
        # judges the joining story's near stories at each join).
        self._profiles: OrderedDict[str, tuple[str, dict[str, float], int | None]] = OrderedDict()
        if readonly:
            if not path.exists():
                raise FileNotFoundError(
                    f"{path}: no store yet; run `monitor ingest` or `monitor run`"
                )
            self.db = ReadOnlyDatabase(path)  # type: ignore[assignment]
            self.db.execute(f"PRAGMA busy_timeout = {self.retry.busy_timeout_ms}")
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            new = not copy_template(path, templates) and not path.exists()
            # The connection sqlite_utils.Database(path) opens; the store's calls go
            # through connection.Database, and sqlite_utils is imported only for the
            # migrations, which an up-to-date store skips (store/stamp.py).
            self._conn = conn = sqlite3.connect(str(path))
            conn.execute(f"PRAGMA busy_timeout = {self.retry.busy_timeout_ms}")
            self.retry.run(lambda: _enable_wal(conn), what="open")  # outside a transaction
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.retry.run(lambda: up_to_date(conn), what="migrations"):
                from monitor.store.schema import migrations

                def upgrade() -> None:
                    from sqlite_utils import Database as Migrating

                    migrations.apply(Migrating(conn))
                    mark_up_to_date(conn)
                    if new:
                        keep_template(conn, templates)

                self.retry.run(upgrade, what="migrations")
        except OSError as exc:
            raise StoreUnavailable(unwritable(path, exc)) from exc
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _CANNOT_WRITE:
                raise
            raise StoreUnavailable(unwritable(path) + f" ({exc})") from exc

    @cached_property
    def db(self) -> Database:
        """The store's connection with sqlite_utils' execute, query and atomic
        (connection.py; the readonly store sets its own): made on first use, on the
        connection opened above."""
        return Database(self._conn)

    def close(self) -> None:
        # The Database if one was made (or the readonly one), else the bare connection.
        self.__dict__.get("db", getattr(self, "_conn", None)).close()

    @cached_property
    def store_id(self) -> str:
        """The random id made when this store was created or upgraded (identity.py)."""
        return store_id(self.db)

    def write(self, body: Callable[[], T], *, what: str, patience: float | None = None) -> T:
        """body() in one transaction, run again whole while another process holds the
        write lock (store/busy.py): until it goes through, stop is set (Stopped) or
        `patience` seconds are over (the busy error)."""
        return self.retry.run(lambda: transaction(self.db.conn, body), what=what, patience=patience)

    # -- writes; the caller wraps one item's writes in one `store.write(...)` ------------

    def keep_raw(self, sha256: str, size: int, content: bytes | None) -> None:
        self.db.execute(
            "INSERT INTO raw (sha256, size, content) VALUES (?, ?, ?) "
            "ON CONFLICT(sha256) DO UPDATE SET content = coalesce(raw.content, excluded.content)",
            [sha256, size, content],
        )

    def save_article(self, article: Article) -> int:
        item = article.item
        self.keep_raw(item.sha256, len(item.raw), item.raw)
        row = article_row(article)
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        article_id = cursor.lastrowid
        assert article_id is not None
        self.db.execute(
            "INSERT INTO articles_search (rowid, title, body) VALUES (?, ?, ?)",
            [article_id, index_text(article.title or ""), index_words(words_of(article))],
        )
        if article.duplicate_of is None and article.bands:
            # Only originals: a later copy of a copy still finds (and points to) the original.
            # One statement over a JSON array, as save_story writes its rows (why there);
            # the keys are signed 64-bit integers, which json_each gives back as integers.
            self.db.conn.execute(
                "INSERT OR IGNORE INTO lsh_bands (key, article_id) "
                "SELECT value, ? FROM json_each(?)",
                [article_id, _json(article.bands)],
            )
        if article.story_link is not None:
            self.save_story(article, article.story_link)
        return article_id

    def set_tags(
        self, article_id: int, topics: tuple[TopicTag, ...], entities: tuple[EntityTag, ...]
    ) -> None:
        """New tags for a stored article (`monitor retag`); the caller holds the transaction."""
        columns = tag_columns(topics, entities)
        self.db.execute(
            f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [*columns.values(), article_id],
        )

    def save_story(self, article: Article, link: StoryLink) -> None:
        """Start or extend the article's story: dates, counts, profile, keys and the
        document frequencies its terms feed (copies change only dates and counts)."""
        copy = article.duplicate_of is not None
        seen = article.item.seen_at.isoformat(timespec="milliseconds")
        row = self.db.execute(
            "SELECT terms, date_lo, date_hi, undated_seen FROM stories WHERE id = ?", [link.story]
        ).fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO stories (id, label, first_seen, last_seen) VALUES (?, ?, ?, ?)",
                [link.story, link.label, seen, seen],
            )
            profile: dict[str, float] = {}
            lo = hi = undated = None
        else:
            profile, lo, hi, undated = self._profile(link.story, row[0]), row[1], row[2], row[3]
        if link.date is not None or not copy:  # a copy's arrival is its original's
            lo, hi, undated = widen_dates(lo, hi, undated, link.date, link.seen)
        if not copy:
            profile = merge_profile(profile, link.terms)
        stored = _json(profile)
        self.db.execute(
            "UPDATE stories SET last_seen = max(last_seen, ?), first_seen = min(first_seen, ?), "
            "date_lo = ?, date_hi = ?, undated_seen = ?, terms = ?, "
            "articles = articles + ?, copies = copies + ? WHERE id = ?",
            [seen, seen, lo, hi, undated, stored, int(not copy), int(copy), link.story],
        )
        self._profile(link.story, stored, profile)  # the next article's candidates read it
        if copy:
            return
        last = max(filter(None, (hi, link.seen)))
        # One statement each, the rows read from a JSON array by SQLite (json_each), not
        # one executemany row each: an article adds some 280 document frequencies, and
        # binding and stepping them one by one from Python cost a third more instructions
        # (issue 19). Rows in the same order, so the same upserts. "WHERE true": SQLite's
        # grammar needs it before ON CONFLICT in an INSERT ... SELECT.
        conn = self.db.conn
        conn.execute(
            "INSERT INTO story_keys (key, story, last) SELECT value, ?, ? FROM json_each(?) "
            "WHERE true ON CONFLICT (key, story) DO UPDATE SET last = max(last, excluded.last)",
            [link.story, last, _json(link.keys)],
        )
        conn.execute(
            "INSERT INTO term_df (term, df) SELECT value, 1 FROM json_each(?) "
            "WHERE true ON CONFLICT (term) DO UPDATE SET df = df + 1",
            [_json(["", *link.vocabulary])],
        )

    def record_failure(
        self, origin: str, reason: str, *, sha256: str | None, size: int | None, raw: bytes | None
    ) -> int:
        if sha256 is not None and size is not None:
            self.keep_raw(sha256, size, raw)
        # Listed by `monitor failures` and the UI: no URL secrets (a path has no "://").
        cursor = self.db.execute(
            "INSERT INTO failures (origin, raw_sha256, size, reason, at) VALUES (?, ?, ?, ?, ?)",
            [scrub_urls(origin), sha256, size, scrub_urls(reason), now()],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def ledger_put(
        self,
        path: str,
        *,
        size: int,
        mtime_ns: int,
        sha256: str,
        outcome: str,
        article_id: int | None = None,
        failure_id: int | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO ledger "
            "(path, size, mtime_ns, sha256, outcome, article_id, failure_id, processed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [path, size, mtime_ns, sha256, outcome, article_id, failure_id, now()],
        )

    def add_alert(
        self,
        *,
        rule: str,
        article_id: int | None,
        kind: str,
        story: str | None,
        key: str,
        payload: dict[str, Any],
        channels: tuple[str, ...],
        digest: bool,
    ) -> int | None:
        """Queue an alert and one delivery per channel; None when the key was queued before.

        A digest alert gets no deliveries: the digest that collects it does.
        """
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO alerts (rule, article_id, kind, story, key, at, payload, "
            "digest_pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [rule, article_id, kind, story, key, payload["at"], _json(payload), int(digest)],
        )
        if cursor.rowcount != 1:
            return None
        alert_id = cursor.lastrowid
        assert alert_id is not None
        if not digest:
            self.db.conn.executemany(
                "INSERT INTO deliveries (alert_id, channel, next_attempt) VALUES (?, ?, 0)",
                [(alert_id, channel) for channel in channels],
            )
        return alert_id

    def last_alert_for_story(self, rule: str, story: str) -> datetime | None:
        row = self.db.execute(
            "SELECT max(at) FROM alerts WHERE rule = ? AND story = ? AND digest_pending = 0",
            [rule, story],
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def query_matches(self, query: str, article_id: int) -> bool:
        """Does a full-text query (as `monitor search` takes it) match this stored article?"""
        fts = fts_query(query)
        if not fts:
            return False
        row = self.db.execute(
            "SELECT 1 FROM articles_search WHERE rowid = ? AND articles_search MATCH ?",
            [article_id, fts],
        ).fetchone()
        return row is not None

    def heartbeat(
        self,
        *,
        pid: int,
        started_at: str,
        backlog: int,
        stored: int,
        failed: int,
        stopped: bool = False,
        wait: bool = True,
    ) -> None:
        """One attempt: a heartbeat that cannot be written now is written next time (the
        caller logs it); a busy store must not hold up the loop that pings systemd.
        wait=False (the last beat, on the way out): not even SQLite's busy wait."""

        def write() -> None:
            self.db.execute(
                "INSERT OR REPLACE INTO daemon (id, pid, started_at, heartbeat_at, heartbeat, "
                "stopped_at, backlog, stored, failed) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    pid,
                    started_at,
                    now(),
                    time.time(),
                    now() if stopped else None,
                    backlog,
                    stored,
                    failed,
                ],
            )

        if wait:
            self.write(write, what="heartbeat", patience=0)
            return
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            self.write(write, what="heartbeat", patience=0)
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {self.retry.busy_timeout_ms}")

    # -- reads ---------------------------------------------------------------------------

    def find_by_body_hash(self, digest: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE body_hash = ? ORDER BY id LIMIT 1", [digest]
        ).fetchone()
        return None if row is None else int(row[0])

    def tagging_batches(self, size: int = 500) -> Iterator[list[dict[str, Any]]]:
        """Every article's id, title, body and current tags, in batches by id: a batch is
        read whole before the caller writes, so updates never race an open cursor."""
        last = 0
        while True:
            rows = list(
                self.db.query(
                    "SELECT id, title, text, topics, entities, evidence, entity_mentions "
                    "FROM articles "
                    "WHERE id > ? ORDER BY id LIMIT ?",
                    [last, size],
                )
            )
            if not rows:
                return
            yield rows
            last = rows[-1]["id"]

    def article_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def near_candidates(self, keys: list[int] | tuple[int, ...]) -> list[tuple[int, str]]:
        """Originals sharing an LSH band with these keys, most shared bands first (a few:
        each is verified against its text)."""
        if not keys:
            return []
        marks = ", ".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT article_id FROM lsh_bands WHERE key IN ({marks}) "
            "GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT 8",
            list(keys),
        ).fetchall()
        out = []
        for (article_id,) in rows:
            text = self.db.execute(
                "SELECT text FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            if text is not None:
                out.append((int(article_id), text[0]))
        return out

    def document_frequencies(self, features: Any) -> tuple[int, dict[str, int]]:
        """(number of original articles with story terms, df of each feature seen before)."""
        wanted = ["", *features]
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ", ".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk
                ).fetchall()
            )
        return found.pop("", 0), found

    def story_candidates(self, keys: Any, per_key: int) -> list[StoryRow]:
        """Stories sharing keys with an article, those its rarest shared keys find first;
        per key only the `per_key` most recent, so a word every story uses costs no more
        than a rare one.

        Each key counts 1/n, n the stories it found: a key only one story has ("Yellow
        Sea", "Hwasong") says more than "North Korea", which finds every story of the beat.
        Counted alike, the keys of large stories of look-alike events (several launches)
        crowded a small story of the report's own event out of the candidates."""
        if not keys:
            return []
        one = (
            "SELECT story, 1.0 / count(*) OVER () AS w FROM "
            "(SELECT story FROM story_keys WHERE key = ? ORDER BY last DESC LIMIT ?)"
        )
        sql = (
            f"SELECT story, sum(w) AS hits FROM ({' UNION ALL '.join([one] * len(keys))}) "
            f"GROUP BY story ORDER BY hits DESC, story DESC LIMIT {CANDIDATE_STORIES}"
        )
        args: list[Any] = [v for key in keys for v in (key, per_key)]
        hits = dict(self.db.execute(sql, args).fetchall())
        if not hits:
            return []
        return sorted(self.story_rows(hits, hits), key=lambda r: (-r.hits, r.id))

    def story_rows(
        self, ids: Iterable[str], hits: dict[str, float] | None = None
    ) -> list[StoryRow]:
        """The stored stories of these ids, by id; `hits`: how much of an article's keys
        found each (0 when not given), for the candidates' ranking."""
        ids = list(ids)
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT id, terms, date_lo, date_hi, undated_seen, articles FROM stories "
            f"WHERE id IN ({marks}) ORDER BY id",
            ids,
        ).fetchall()
        found = hits or {}
        out = []
        for r in rows:
            profile = self._profile(r[0], r[1])
            written = self._written(r[0], profile)
            out.append(StoryRow(r[0], profile, r[2], r[3], r[4], found.get(r[0], 0), r[5], written))
        return out

    def _written(self, story: str, profile: dict[str, float]) -> int:
        """crosslingual.scripts of a story's profile, computed once a parsed profile and
        kept beside it in _profiles (the profile is read-only, and a changed story's is a
        new dict: _profile)."""
        cached = self._profiles.get(story)
        if cached is None or cached[1] is not profile:
            return scripts(profile)  # not the cached profile (not expected: _profile ran)
        if cached[2] is not None:
            return cached[2]
        written = scripts(profile)
        self._profiles[story] = (cached[0], profile, written)  # keeps its place
        return written

    def _profile(
        self, story: str, stored: str, parsed: dict[str, float] | None = None
    ) -> dict[str, float]:
        """A story's profile, parsed again only when its stored JSON changed: every
        article reads its candidate stories' profiles (up to CANDIDATE_STORIES), the
        same few stories again and again, and json.loads of them was 1.5% of ingesting
        the aeb text dumps (issue 19); comparing the text is a memcmp. Shared between
        the StoryRows that read it: read-only (merge_profile copies). `parsed`: the
        dict the JSON was just made from (save_story), kept as it."""
        cached = self._profiles.get(story)
        if cached is not None and cached[0] == stored:
            self._profiles.move_to_end(story)
            return cached[1]
        profile: dict[str, float] = json.loads(stored) if parsed is None else parsed
        self._profiles[story] = (stored, profile, None)
        self._profiles.move_to_end(story)
        if len(self._profiles) > PROFILES_PARSED:
            self._profiles.popitem(last=False)
        return profile

    def story_of(self, article_id: int) -> str | None:
        row = self.db.execute("SELECT story FROM articles WHERE id = ?", [article_id]).fetchone()
        return None if row is None else row[0]

    def ledger_get(self, path: str) -> dict[str, Any] | None:
        # One query on the connection: sqlite_utils' rows_where asked sqlite_master for
        # the table and view names first, three queries for every file of an ingest.
        cursor = self.db.conn.execute("SELECT * FROM ledger WHERE path = ?", [path])
        row = cursor.fetchone()
        return (
            None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))
        )
