"""The SQLite schema, as an ordered list of migrations.

A migration is never edited once released: a later change is a new function below, so a
store created by any version upgrades in place when the daemon starts.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("monitor")


@migrations()
def m001_initial(db: Database) -> None:
    # Raw input, kept by content hash so an article can be re-processed with better rules
    # and a file dropped twice costs its bytes once. content is NULL when the input was
    # over the size limit: then only its path (in failures/ledger) and hash are kept.
    db.execute(
        """CREATE TABLE raw (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            content BLOB
        )"""
    )
    db.execute(
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            raw_sha256 TEXT NOT NULL REFERENCES raw(sha256),
            kind TEXT NOT NULL,
            encoding TEXT,
            title TEXT,
            published TEXT,
            source TEXT,
            language TEXT,
            text TEXT NOT NULL,
            body_hash TEXT NOT NULL,
            duplicate_of INTEGER REFERENCES articles(id),
            story TEXT,
            topics TEXT NOT NULL DEFAULT '[]',
            entities TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '[]',
            entity_mentions TEXT NOT NULL DEFAULT '[]',
            removed TEXT NOT NULL DEFAULT '[]',
            seen_at TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            title_norm TEXT NOT NULL DEFAULT '',
            text_norm TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX articles_body_hash ON articles(body_hash)")
    db.execute("CREATE INDEX articles_origin ON articles(origin)")
    db.execute(
        """CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            raw_sha256 TEXT,
            size INTEGER,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    # One row per inbox file: what it was when processed, so a restart skips it and a
    # changed file (new size, mtime or hash) is processed again.
    db.execute(
        """CREATE TABLE ledger (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            outcome TEXT NOT NULL,
            article_id INTEGER,
            failure_id INTEGER,
            processed_at TEXT NOT NULL
        )"""
    )
    # The outbox. An alert and its deliveries (one per channel) are written in the
    # article's transaction; a dispatcher sends them afterwards, retrying with backoff,
    # so a slow or dead channel never holds up ingestion and a crash loses nothing.
    db.execute(
        """CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            kind TEXT NOT NULL,
            story TEXT,
            key TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            payload TEXT NOT NULL,
            digest_pending INTEGER NOT NULL DEFAULT 0,
            digest_id INTEGER REFERENCES alerts(id)
        )"""
    )
    db.execute("CREATE INDEX alerts_rule_story ON alerts(rule, story, at)")
    db.execute("CREATE INDEX alerts_digest ON alerts(rule) WHERE digest_pending = 1")
    db.execute(
        """CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id),
            channel TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL,
            claimed_at REAL,
            last_error TEXT,
            sent_at TEXT,
            UNIQUE (alert_id, channel)
        )"""
    )
    db.execute("CREATE INDEX deliveries_due ON deliveries(status, next_attempt)")
    db.execute("CREATE TABLE digests (rule TEXT PRIMARY KEY, last_sent REAL NOT NULL)")
    # The running daemon's heartbeat, for `monitor status`: one row, rewritten every few
    # seconds by the working loop (a stale heartbeat means a stopped or stuck daemon).
    db.execute(
        """CREATE TABLE daemon (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            heartbeat REAL NOT NULL,
            stopped_at TEXT,
            backlog INTEGER NOT NULL DEFAULT 0,
            stored INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db["articles"].enable_fts(["title_norm", "text_norm"], create_triggers=True)
    # What `monitor search` uses: every word with its Arabic proclitic tails
    # (text/clitics.py), porter-stemmed for English plurals. Contentless: it only answers
    # "which articles, how well"; snippets come from the articles' own text.
    db.execute(
        "CREATE VIRTUAL TABLE articles_search USING fts5(title, body, content='', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )


@migrations()
def m002_feeds(db: Database) -> None:
    # Feed state (ETag, Last-Modified, health, backoff) and the entries seen per feed.
    from monitor.sources.feeds import create_tables

    create_tables(db)


@migrations()
def m003_views(db: Database) -> None:
    # A reading view without the index columns, for the browser UI and for SQL users.
    db.execute(
        """CREATE VIEW articles_overview AS
           SELECT id, title, published, source, language, topics, entities, story,
                  duplicate_of, origin, substr(text, 1, 280) AS lead, ingested_at
           FROM articles"""
    )


@migrations()
def m004_near_duplicates_and_stories(db: Database) -> None:
    # How close a near-duplicate is to its original (1.0 for an exact copy).
    db.execute("ALTER TABLE articles ADD COLUMN similarity REAL")
    db.execute("CREATE INDEX articles_duplicate_of ON articles(duplicate_of)")
    db.execute("CREATE INDEX articles_story ON articles(story)")
    # MinHash LSH bands (monitor/dedup.py): one row per band of each original article,
    # written in its transaction, so the index is never rebuilt and survives a crash.
    db.execute(
        """CREATE TABLE lsh_bands (
            key INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (key, article_id)
        ) WITHOUT ROWID"""
    )
    # Stories (monitor/stories.py). Dates are days (YYYY-MM-DD): date_lo/date_hi span
    # the members' published dates; undated_seen is the earliest first-seen day of a
    # member without one (it was published on or before that day).
    db.execute(
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            date_lo TEXT,
            date_hi TEXT,
            undated_seen TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            copies INTEGER NOT NULL DEFAULT 0,
            terms TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX stories_last_seen ON stories(last_seen)")
    # What finds a story again: its members' top terms and entities, with the story's
    # latest day, so a lookup reads the most recent stories per key first.
    db.execute(
        """CREATE TABLE story_keys (
            key TEXT NOT NULL,
            story TEXT NOT NULL REFERENCES stories(id),
            last TEXT NOT NULL,
            PRIMARY KEY (key, story)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX story_keys_recent ON story_keys(key, last)")
    # Document frequencies of story terms over original articles, for IDF weights; the
    # row with the empty term counts the documents.
    db.execute("CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    db.execute(
        """CREATE VIEW stories_overview AS
           SELECT s.id, s.label, s.first_seen, s.last_seen, s.articles, s.copies,
                  (SELECT group_concat(DISTINCT coalesce(a.source, '?')) FROM articles a
                   WHERE a.story = s.id) AS sources
           FROM stories s"""
    )


@migrations()
def m005_article_revisions(db: Database) -> None:
    # A file that changed after it was stored and still holds the same article replaces
    # it under the same id (monitor/revisions.py): one row per replacement, naming the
    # replaced version's raw bytes (kept in `raw`), so every version can be read again.
    db.execute(
        """CREATE TABLE article_revisions (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            revision INTEGER NOT NULL,
            at TEXT NOT NULL,
            raw_sha256 TEXT NOT NULL REFERENCES raw(sha256),
            body_hash TEXT NOT NULL,
            chars INTEGER NOT NULL,
            PRIMARY KEY (article_id, revision)
        ) WITHOUT ROWID"""
    )


@migrations()
def m006_unique_ledger_keys(db: Database) -> None:
    # Ledger keys became unique per file (monitor/sources/ledger_keys.py): a name with
    # a backslash or bytes that are not UTF-8 is escaped so that no two files share a
    # key. Only rows holding a backslash can change; one whose new key is taken already
    # gives way (its file is looked at once more, then its key is stable).
    from monitor.sources.ledger_keys import key_of_legacy

    rows = db.execute("SELECT path FROM ledger WHERE instr(path, '\\') > 0").fetchall()
    for (old,) in rows:
        new = key_of_legacy(old)
        if new == old:
            continue
        taken = db.execute("SELECT 1 FROM ledger WHERE path = ?", [new]).fetchone()
        if taken:
            db.execute("DELETE FROM ledger WHERE path = ?", [old])
        else:
            db.execute("UPDATE ledger SET path = ? WHERE path = ?", [new, old])


@migrations()
def m007_store_identity(db: Database) -> None:
    # A random id per store, part of every alert's idempotency key (store/identity.py):
    # new stores get one here, and so do existing stores when they upgrade.
    from monitor.store.identity import create

    create(db)


@migrations()
def m008_ingest_requests(db: Database) -> None:
    # `monitor ingest` beside a running daemon hands its files over (monitor/handoff.py):
    # one request per run, one row per file (its path as bytes: a name that is not UTF-8
    # survives), the outcome written by the daemon as it goes.
    db.execute(
        """CREATE TABLE ingest_requests (
            id INTEGER PRIMARY KEY,
            pid INTEGER NOT NULL,
            requested_at TEXT NOT NULL,
            finished_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE ingest_request_files (
            request_id INTEGER NOT NULL REFERENCES ingest_requests(id),
            seq INTEGER NOT NULL,
            path BLOB NOT NULL,
            outcome TEXT,
            PRIMARY KEY (request_id, seq)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX ingest_requests_open ON ingest_requests(id) WHERE finished_at IS NULL")


@migrations()
def m009_reading_room_labels(db: Database) -> None:
    # The reading room's filters and entity pages (monitor/ui/queries.py) ask "which
    # articles have this topic / name this entity": json_each over every row reads the
    # whole table (0.5 s at 100,000 articles). One row per article and label, kept by
    # triggers, so no writer changes; malformed JSON or a non-string item is skipped
    # rather than failing the writer's transaction.
    db.execute(
        """CREATE TABLE article_labels (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (kind, value, article_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX article_labels_article ON article_labels(article_id)")

    def labels(row: str, source: str) -> str:
        return "".join(
            f"""INSERT OR IGNORE INTO article_labels (kind, value, article_id)
                SELECT '{kind}', j.value, {row}.id FROM {source} json_each(
                    CASE WHEN json_valid({row}.{column}) THEN {row}.{column} ELSE '[]' END) j
                WHERE j.type = 'text';"""
            for kind, column in (("topic", "topics"), ("entity", "entities"))
        )

    db.execute(
        "CREATE TRIGGER article_labels_insert AFTER INSERT ON articles "
        f"BEGIN {labels('new', '')} END"
    )
    db.execute(
        "CREATE TRIGGER article_labels_update AFTER UPDATE OF topics, entities ON articles "
        f"BEGIN DELETE FROM article_labels WHERE article_id = old.id; {labels('new', '')} END"
    )
    db.execute(
        "CREATE TRIGGER article_labels_delete AFTER DELETE ON articles "
        "BEGIN DELETE FROM article_labels WHERE article_id = old.id; END"
    )
    for statement in labels("articles", "articles,").split(";")[:-1]:
        db.execute(statement)  # the articles stored before (executescript would commit)
    # The day the filters and `monitor search --since/--until` compare (store/query.py).
    db.execute(
        "CREATE INDEX articles_day ON articles(coalesce(published, substr(ingested_at, 1, 10)))"
    )
