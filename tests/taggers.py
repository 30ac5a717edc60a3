"""The shipped taggers, built once per test process and only when a test asks.

Built at a test module's import, they cost every xdist worker a full compile during
collection (about 3 s of CPU each, most of them in workers that never run those tests).
Here they are built on first use and read from the suite's vocabulary cache
(conftest.py sets XDG_CACHE_HOME), like the daemon reads them."""

from __future__ import annotations

import os
from functools import cache

from monitor.tagging.compiled import VocabularyCache, cache_folder
from monitor.tagging.entities import EntityTagger, load_gazetteer
from monitor.tagging.shipped import shipped_topics
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


@cache
def _vocabulary_cache() -> VocabularyCache | None:
    folder = cache_folder(os.environ)
    return VocabularyCache(folder) if folder is not None else None


@cache
def topics(*, learned: bool = False) -> TopicTagger:
    """The shipped taxonomy: the rules alone, or with the learned decision and the beat
    gate as the daemon runs it."""
    if learned:
        return shipped_topics(load_taxonomy(), _vocabulary_cache())
    return TopicTagger(load_taxonomy(), _vocabulary_cache())


def topics_with(**parts: object) -> TopicTagger:
    """The shipped taxonomy with other learned parts (TopicTagger's `decision`, `beat`),
    its terms read from the suite's vocabulary cache: built per call, not kept."""
    return TopicTagger(load_taxonomy(), _vocabulary_cache(), **parts)  # type: ignore[arg-type]


@cache
def entities() -> EntityTagger:
    return EntityTagger(load_gazetteer(), _vocabulary_cache())


def names(text: str, tagger: EntityTagger | None = None) -> set[str]:
    """The canonical names `tagger` (the shipped gazetteer by default) links in `text`."""
    return {e.name for e in (tagger or entities()).tag(Document(text))}


def linked(text: str) -> list[str]:
    """The shipped gazetteer's names in `text`, sorted, each as often as it is tagged."""
    return sorted(e.name for e in entities().tag(Document(text)))


def unlinked(text: str) -> list[str]:
    """The names the shipped gazetteer does not list that `text` still names, sorted."""
    tagger = entities()
    doc = Document(text)
    return sorted(m.name for m in tagger.unlinked(doc, tagger.tag(doc)))
