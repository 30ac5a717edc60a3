"""The taggers as a worker process rebuilds them: what they were built from, pickled once.

A backlog of texts is tagged in the text worker (workers.py, issue 19): the main process
groups and stores, and it was the slower side with the tagging too. The worker cannot be
handed the main process's taggers as they are (their tables are 40 MB or more once
loaded), so it gets what they were built from: the taxonomy and gazetteer as loaded (the
files with config.toml's [topics] and [entities] on top, as read at the start or by the
last reload), the learned decision, and the vocabulary cache's folder. It builds the same
taggers from them, and reads their tables from the cache, read-only
(VocabularyCache(compile=False)): the main process compiled and wrote them, a missing
table is NotCompiled and the article goes back untagged, for the main process to tag.

The recipe's digest (`key`) says which taggers tagged an article (Article.tagged_by): the
main process's tag step keeps an article's tags only when its own recipe has the same
digest, so an article tagged by a worker built before a reload (SIGHUP, a new taxonomy)
is tagged again, never stored with stale tags.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# The taggers' modules are imported where they are used: a worker unpickles a Packed as
# its pool's initializer argument at its start, and tags only from its second batch on.
if TYPE_CHECKING:
    from monitor.tagging.decide import Decision
    from monitor.tagging.entities import EntityTagger, Gazetteer
    from monitor.tagging.topics import Taxonomy, TopicTagger


@dataclass(frozen=True)
class Recipe:
    """What build_taggers made the two taggers from (assembly.py)."""

    taxonomy: Taxonomy
    gazetteer: Gazetteer
    decision: Decision | None
    folder: Path  # the vocabulary cache's


@dataclass(frozen=True)
class Packed:
    """A recipe pickled (about 0.7 MB for the shipped vocabularies: sent once to each
    worker, as its pool's initializer argument) and its digest."""

    data: bytes
    key: str

    def taggers(self) -> tuple[TopicTagger, EntityTagger]:
        """The taggers, their tables read from the cache only (NotCompiled otherwise, at
        their first use). Some 0.2-0.3 CPU s to build (the gazetteer's spelling variants)
        and as much to read the tables: a worker does it at its first article to tag."""
        from monitor.tagging.compiled import VocabularyCache
        from monitor.tagging.entities import EntityTagger
        from monitor.tagging.topics import TopicTagger

        recipe: Recipe = pickle.loads(self.data)
        cache = VocabularyCache(recipe.folder, compile=False, dicts=False)
        return (
            TopicTagger(recipe.taxonomy, cache, decision=recipe.decision),
            EntityTagger(recipe.gazetteer, cache),
        )


def pack(topics: object, entities: object) -> Packed | None:
    """The taggers' recipe, or None when a worker cannot rebuild them: other taggers (a
    test's), or no vocabulary cache (each process would compile the tables itself)."""
    from monitor.tagging.entities import EntityTagger
    from monitor.tagging.topics import TopicTagger

    if not isinstance(topics, TopicTagger) or not isinstance(entities, EntityTagger):
        return None
    if topics.cache is None or entities.cache is None:
        return None
    if topics.cache.folder != entities.cache.folder:
        return None
    recipe = Recipe(topics.taxonomy, entities.gazetteer, topics.decision, topics.cache.folder)
    data = pickle.dumps(recipe, protocol=pickle.HIGHEST_PROTOCOL)
    return Packed(data, hashlib.sha256(data).hexdigest()[:32])
