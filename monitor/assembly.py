"""The parts built from the settings: the pipeline, its taggers, the alert channels and
rules, and the inbox.

Apart from the service because three callers build them: the service at start, the
daemon on SIGHUP (daemon.py: the same parts from a fresh config, or none if it is bad),
and `monitor check-config`, which builds them to find what a user must fix but runs
nothing. Nothing here writes: the pipeline gets the store's lookups only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from monitor import pipeline
from monitor.alerts.channels import build_channels
from monitor.alerts.rules import RuleSet
from monitor.config import Settings, StoriesConfig
from monitor.dedup import NearDuplicates
from monitor.ops.redact import Redactor
from monitor.sources import feeds
from monitor.sources.inbox import Inbox
from monitor.sources.selection import own_files
from monitor.store.db import Store
from monitor.store.revise import stored_version
from monitor.stories import Stories
from monitor.story_review import StoryReview
from monitor.tagging.compiled import VocabularyCache, cache_folder
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.shipped import shipped_topics
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.topics import TopicTagger
from monitor.text.language import LanguageDetector


def _nothing_found(_digest: str) -> None:
    """The hash lookup of a pipeline built without a store."""


def build_alerting(settings: Settings, redactor: Redactor) -> tuple[dict, RuleSet]:  # type: ignore[type-arg]
    """Channels and rules. Every caller (start, SIGHUP, check-config) comes through here
    before it logs or prints the settings, so the feeds' secrets are registered here too."""
    rules = RuleSet(settings.alerts.rules, settings.stories, console=settings.alerts.console)
    feeds.register_secrets(settings.feeds, redactor)
    return build_channels(settings.alerts, redactor), rules


def build_inbox(settings: Settings) -> Inbox:
    """The inbox folders, never reading the store or our own logs as input."""
    return Inbox(settings.inbox, exclude=own_files(settings))


def steps_topics(settings: Settings) -> list[str]:
    """Topic ids of the taxonomy in force, to check that rules name real topics."""
    taxonomy = load_taxonomy(settings.tagging.taxonomy, overrides=settings.topics or None)
    return list(taxonomy.topic_ids())


def build_taggers(
    settings: Settings, environ: Mapping[str, str] = os.environ
) -> tuple[TopicTagger, EntityTagger]:
    """The taxonomy and gazetteer in force (shipped, or the configured files, with
    config.toml's [topics] and [entities] on top), compiled: read from the vocabulary
    cache (tagging/compiled.py, found through `environ`) when they were compiled before,
    and only when first used."""
    folder = cache_folder(environ)
    taxonomy = load_taxonomy(
        settings.tagging.taxonomy, overrides=settings.topics or None, cache=folder
    )
    gazetteer = load_gazetteer(
        settings.tagging.gazetteer, extra=settings.entities or None, cache=folder
    )
    cache = VocabularyCache(folder) if folder is not None else None
    return (
        shipped_topics(taxonomy, cache, beat_gate=settings.tagging.beat_gate),
        EntityTagger(gazetteer, cache),
    )


def build_stories(settings: Settings, environ: Mapping[str, str] = os.environ) -> Stories:
    """The story step's settings; the stream's story review groups with the same. The
    background table is kept ready-made in the vocabulary cache (found through `environ`)."""
    return stories_from(settings.stories, cache_folder(environ))


def stories_from(config: StoriesConfig, cache: Path | None = None) -> Stories:
    """The story step for these [stories] settings: what the daemon runs, and what a bench
    or test that wants the shipped behaviour builds from `StoriesConfig()`."""
    return Stories(config, cache)


def build_review(settings: Settings) -> StoryReview | None:
    """Stories grouped again as they grow (story_review.py), unless `[stories] review`
    is off."""
    if not settings.stories.review:
        return None
    return StoryReview(
        build_stories(settings),
        settings.stories.review_members,
        merge=settings.stories.merge,
        merge_both_ways=settings.stories.merge_both_ways,
    )


def build_pipeline(
    settings: Settings,
    store: Store | None = None,
    taggers: tuple[TopicTagger, EntityTagger] | None = None,
) -> pipeline.Pipeline:
    """With a store, copies and stories are looked up in it (read-only: the writes happen
    in outcomes.Writer's transaction); without one (check-config), nothing is found.
    `taggers`: built already (the service reads their topics too: reading and checking
    the taxonomy twice cost a tenth of a second of every start)."""
    topics, entities = taggers or build_taggers(settings)
    return pipeline.build(
        find_by_hash=store.find_by_body_hash if store else _nothing_found,
        topics=topics,
        entities=entities,
        language=LanguageDetector(),
        near=NearDuplicates(settings.dedup.jaccard, settings.dedup.containment),
        find_near=store.near_candidates if store else None,
        find_stored=partial(stored_version, store) if store else None,
        stories=build_stories(settings),
        story_index=store,
    )
