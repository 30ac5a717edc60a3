"""The one place where the pipeline's output is written: each input's outcome.

An article goes into the store with its ledger entry (or its feed entry) and its alerts
in one transaction; a failure with its reason, its bytes and its ledger entry in one
transaction. A crash at any point leaves either nothing or a complete article whose
alerts are sent by the outbox on the next start. Apart from the batching (batches.py)
so that what is written, and in which transaction, can be read in one page.

The other writes of a running service are bookkeeping, not output: the ledger's new
mtime for a file touched but not changed, and the removal of a ledger row to retry it
(service.py), a feed's ETag and error count (service.py), the heartbeat and the inbox
folders that cannot be read (daemon.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import structlog

from monitor.alerts.outbox import Dispatcher
from monitor.alerts.rules import Decision, RuleSet, alert_key, payload
from monitor.models import Article
from monitor.revisions import alert_fields
from monitor.store.db import Store
from monitor.store.revise import replace_article
from monitor.story_merge import StoryMerge
from monitor.story_review import Split, StoryReview

if TYPE_CHECKING:
    from monitor.grouped_commits import CommitGroup

log = structlog.get_logger("monitor")

Outcome = Literal["new", "duplicate", "failed", "unchanged", "revised"]

# Inside the article's (or failure's) transaction: remember where the input came from
# (the inbox ledger, or a feed's entry list), with the article id or the failure id.
Record = Callable[[int | None, int | None], None]


def no_record(_article_id: int | None, _failure_id: int | None) -> None:
    """Items that come from no file and no feed have no ledger row to write."""


@dataclass(frozen=True)
class Writer:
    """The store, and the rules and outbox in force (a reload replaces both: the service
    makes a Writer from its current ones for each run of inputs)."""

    store: Store
    rules: RuleSet
    dispatcher: Dispatcher
    # Groups a story again when an article joins it, and splits off what is another
    # event (story_review.py); None: stories only grow.
    review: StoryReview | None = None
    # The transaction this writer's writes join (grouped_commits.py); None: each input
    # commits its own. What an input announces waits for its commit either way.
    group: CommitGroup | None = None

    def _announce(self, announce: Callable[[], None]) -> None:
        if self.group is None:
            announce()
        else:
            self.group.written(announce)

    def article(self, article: Article, origin: str, record: Record) -> Outcome:
        """The article, its ledger entry and its alerts in one transaction; the article
        has been through every step, the ones that read the store included."""
        article = self._redirected(article)

        def write() -> tuple[int, int, int | None]:
            # Run again whole if the store is busy: it only writes, inside the transaction.
            revision = None
            if article.revision is not None:  # replaces its file's earlier version
                article_id, story_is_new, revision = replace_article(self.store, article)
            else:
                article_id = self.store.save_article(article)
                story_is_new = article.story_link is not None and article.story_link.new
            record(article_id, None)
            splits = self._review(article, article_id)
            moved = any(article_id in s.ids for s in splits)
            # A story that split is two events; one that did not may be part of another.
            current = article if splits else self._merge(article)
            if story_is_new and current.story != article.story:
                # A story begun by this report and merged into an older one at once
                # (merge_both_ways): the report joined that story, announced before.
                story_is_new = False
            # An article moved into a split-off story is announced by that story's alert.
            queued = (
                0
                if moved
                else self._queue_alerts(
                    current, article_id, story_is_new=story_is_new, revision=revision
                )
            )
            queued += sum(self._queue_split_alerts(s) for s in splits)
            return article_id, queued, revision

        article_id, queued, revision = self.store.write(write, what="article")
        outcome: Outcome = "duplicate" if article.duplicate_of is not None else "new"
        if revision is not None:
            outcome = "revised"

        def announce() -> None:
            log.info(
                "article stored",
                path=origin,
                id=article_id,
                outcome=outcome,
                title=article.title,
                language=article.language,
                topics=[t.topic for t in article.topics],
                duplicate_of=article.duplicate_of,
                similarity=article.similarity,
                story=article.story,
                revision=revision,
            )
            if queued:
                self.dispatcher.wake()

        self._announce(announce)
        return outcome

    def _review(self, article: Article, article_id: int) -> list[Split]:
        """Inside the article's transaction: a story it joined, grouped again (a copy or
        the first article of a story changes no grouping)."""
        link = article.story_link
        if self.review is None or link is None or link.new or article.duplicate_of is not None:
            return []
        self.review.remember(self.store, article_id, article)
        splits = self.review.review(self.store, link.story)
        for s in splits:
            log.info("story split", story=s.story, parent=s.parent, articles=list(s.ids))
        return splits

    def _redirected(self, article: Article) -> Article:
        """An article of a batch whose story was merged into another since the batch was
        grouped goes to the story that took it (story_merge.py)."""
        link = article.story_link
        if self.review is None or link is None or not self.review.merged:
            return article
        story = StoryMerge(self.review).redirect(link.story)
        if story == link.story:
            return article
        return replace(article, story_link=replace(link, story=story, new=False))

    def _merge(self, article: Article) -> Article:
        """Inside the article's transaction: the story it joined, joined with the one it
        would join as a whole (story_merge.py); the article as it is now, in the story kept."""
        link = article.story_link
        if (
            self.review is None
            or not self.review.merge
            or link is None
            or (link.new and not self.review.merge_both_ways)
            or article.duplicate_of is not None
        ):
            return article
        merged = StoryMerge(self.review).merge(self.store, link.story, link.near)
        if merged is None:
            return article
        keep, gone = merged
        log.info("story merged", story=keep, merged=gone)
        return replace(article, story_link=replace(link, story=keep))

    def _decisions(
        self, article: Article, article_id: int, *, story_is_new: bool, now: datetime
    ) -> list[Decision]:
        """The rules' decisions on one stored article, read against this store."""
        return self.rules.evaluate(
            article,
            article_id,
            story_is_new=story_is_new,
            now=now,
            query_matches=lambda q, aid: self.store.query_matches(q, aid),
            last_alert=self.store.last_alert_for_story,
        )

    def _queue_split_alerts(self, split: Split) -> int:
        """One `new_story` alert per rule for a story split off another: from its earliest
        member the rule matches. Keyed by the new story too, so an alert the member raised
        before (an update of the story it was in) does not hide it."""
        now_dt = datetime.now(UTC)
        at = now_dt.isoformat(timespec="milliseconds")
        done: set[str] = set()
        queued = 0
        for member, article_id in zip(split.members, split.ids, strict=True):
            for d in self._decisions(member, article_id, story_is_new=True, now=now_dt):
                if d.rule in done:
                    continue
                done.add(d.rule)
                key = alert_key(d.rule, article_id, self.store.store_id, split.story)
                body = payload(d, article_id, member, at, key) | {
                    "reason": f"split from story {split.parent}: a separate event",
                    "split_from": split.parent,
                }
                queued += self._add_alert(d, article_id, split.story, key, body)
        return queued

    def _queue_alerts(
        self, article: Article, article_id: int, *, story_is_new: bool, revision: int | None
    ) -> int:
        """Inside the article's transaction: the alerts it raises, with their deliveries.
        A revision keeps its article's id, so a rule that alerted before has the same key
        and is not queued again; one that only the new version matches is."""
        now_dt = datetime.now(UTC)
        at = now_dt.isoformat(timespec="milliseconds")
        queued = 0
        for d in self._decisions(article, article_id, story_is_new=story_is_new, now=now_dt):
            key = alert_key(d.rule, article_id, self.store.store_id)
            body = payload(d, article_id, article, at, key) | alert_fields(article, revision)
            queued += self._add_alert(d, article_id, article.story, key, body)
        return queued

    def _add_alert(
        self, d: Decision, article_id: int, story: str | None, key: str, body: dict[str, Any]
    ) -> int:
        """The alert and its deliveries queued: 1, or 0 when its key was queued before."""
        added = self.store.add_alert(
            rule=d.rule,
            article_id=article_id,
            kind=d.kind,
            story=story,
            key=key,
            payload=body,
            channels=d.channels,
            digest=d.digest,
        )
        return 0 if added is None else 1

    def failure(
        self, origin: str, reason: str, sha256: str, size: int, raw: bytes | None, record: Record
    ) -> Outcome:
        """A failed input: its reason and bytes (kept for `monitor retry-failed`) and its
        ledger entry in one transaction."""

        def write() -> None:
            failure_id = self.store.record_failure(
                origin, reason, sha256=sha256 or None, size=size, raw=raw
            )
            record(None, failure_id)

        self.store.write(write, what="failure")
        self._announce(lambda: log.warning("input failed", path=origin, reason=reason))
        return "failed"
