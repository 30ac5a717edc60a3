"""Re-applying the tagging rules to stored articles, and trying a topic before it is on.

Rules change more often than articles arrive: an analyst adds a term, raises a threshold
or writes a new topic, and wants the whole store to agree with the new rules without
ingesting anything again. The cleaned title and body are stored, so tagging them again
gives exactly what a fresh ingest would. Retagging never raises alerts: those are for new
articles, and a rule change would otherwise flood every channel with old news.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monitor.models import TopicTag
from monitor.store.columns import tag_columns
from monitor.store.db import Store
from monitor.tagging.entities import EntityTagger
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@dataclass
class RetagReport:
    articles: int = 0
    changed: int = 0
    gained: Counter[str] = field(default_factory=Counter)  # topic -> articles newly tagged
    lost: Counter[str] = field(default_factory=Counter)  # topic -> articles no longer tagged


def retag(
    store: Store,
    topics: TopicTagger,
    entities: EntityTagger,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RetagReport:
    """Tag every stored article again; write only what changed, one batch per commit."""
    report = RetagReport()
    for batch in store.tagging_batches():
        updates = []
        for row in batch:
            doc = Document(f"{row['title'] or ''}\n{row['text']}")
            new_topics, linked = topics.tag(doc), entities.tag(doc)
            new_entities = linked + entities.unlinked(doc, linked)
            before = set(json.loads(row["topics"]))
            after = {t.topic for t in new_topics}
            report.articles += 1
            report.gained.update(after - before)
            report.lost.update(before - after)
            # Compared as stored: a renamed term or a new snippet is a change too.
            columns = tag_columns(new_topics, new_entities)
            if any(columns[name] != row[name] for name in columns):
                report.changed += 1
                updates.append((row["id"], new_topics, new_entities))
        if updates and not dry_run:

            def write(updates: list[Any] = updates) -> None:
                for article_id, t, e in updates:
                    store.set_tags(article_id, t, e)

            store.write(write, what="retag")
        if progress:
            progress(len(batch))
    return report


@dataclass(frozen=True)
class Example:
    article_id: int
    title: str | None
    tag: TopicTag


@dataclass
class Preview:
    topic: str
    articles: int = 0  # stored articles looked at
    matched: int = 0
    examples: list[Example] = field(default_factory=list)


def preview(store: Store, tagger: TopicTagger, topic: str, *, examples: int = 5) -> Preview:
    """How many stored articles a topic would tag, with its strongest examples."""
    result = Preview(topic)
    found: list[Example] = []
    for batch in store.tagging_batches():
        for row in batch:
            result.articles += 1
            doc = Document(f"{row['title'] or ''}\n{row['text']}")
            tag = next((t for t in tagger.tag(doc) if t.topic == topic), None)
            if tag is not None:
                result.matched += 1
                found.append(Example(row["id"], row["title"], tag))
                found = sorted(found, key=lambda e: -e.tag.score)[:examples]
    result.examples = found
    return result
