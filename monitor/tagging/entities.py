"""People, countries, organisations and places from a gazetteer, in Arabic and English.

No PyPI wheel ships an Arabic NER model that works offline (NOTES.md), and the beat's
names are a closed, known set: a gazetteer of canonical names with their aliases and
transliteration variants (كيم جونغ أون / كيم يونغ أون, شويغو / شويجو) finds them
reliably. Names are matched as written, with only proclitics allowed on their first word
(لبوتين, وشويجو), so no name is ever cut as if it had a clitic (بوتين is not ب + وتين).

A gazetteer file (TOML) has one table per entity, keyed by its canonical English name,
which is what the export's `entities` lists:

    ["Vladimir Putin"]
    kind = "person"            # person, country, organisation, place
    aliases = ["Putin", "بوتين", "فلاديمير بوتين"]

config.toml's [entities."Name"] adds an entity or changes one (`aliases` are added to the
shipped ones; `enabled = false` switches it off).

Two kinds of alias need more than the words themselves, and say so in the file:

    ["Seoul"]
    aliases = ["Seoul", "سيؤول"]
    context_aliases = ["سيول"]              # also "floods": counts only beside...
    context = ["South Korea", "North Korea"]  # ...one of these, linked by its own aliases
    cased = ["US"]                          # as written, capitals and all ("us" is a pronoun)

A context alias is an everyday word or phrase that names the entity in the beat's news
(سيول for Seoul, "panel of experts" for the UN panel, NIS for Seoul's spy agency): an
article that links one of `context` (by ordinary aliases) is about that world, so the
word means the entity there; elsewhere it means what it usually means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.config import ConfigError
from monitor.models import EntityTag
from monitor.tagging import datafile
from monitor.tagging.arabic_word_shapes import zipf
from monitor.tagging.cased_words import CasedWords
from monitor.tagging.institutions import with_ministries
from monitor.tagging.limits import check_gazetteer
from monitor.tagging.mentions import arabic_stopwords, find_mentions
from monitor.tagging.organisations import find_organisations
from monitor.tagging.spellings import common_word, with_variants
from monitor.tagging.terms import Document, Matcher, Term, longest_first
from monitor.text.normalize import normalize, normalize_lines

if TYPE_CHECKING:
    from monitor.tagging.compiled import VocabularyCache


class EntityEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["person", "country", "organisation", "place"]
    aliases: tuple[str, ...] = Field(min_length=1)
    context_aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # entity names; needed when context_aliases is set
    cased: tuple[str, ...] = ()  # matched case-sensitively, as whole words
    enabled: bool = True


@dataclass(frozen=True)
class Gazetteer:
    entries: Mapping[str, EntityEntry]
    source: str

    def names(self) -> list[str]:
        return [name for name, e in self.entries.items() if e.enabled]


def load_gazetteer(
    path: Path | None = None,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    cache: Path | None = None,
) -> Gazetteer:
    """The shipped gazetteer (or the file at `path`) with config.toml's [entities.*]."""
    source, data = datafile.read(path, "gazetteer.toml", "gazetteer", cache)
    for name, change in (extra or {}).items():
        base = dict(data.get(name, {}))
        if "aliases" in change and "aliases" in base:
            change = {**change, "aliases": [*base["aliases"], *change["aliases"]]}
        data[name] = {**base, **change}
    entries: dict[str, EntityEntry] = {}
    places: dict[str, str] = {}
    for name, body in data.items():
        where = source if name not in (extra or {}) else f"{source} + config [entities]"
        try:
            entries[name] = EntityEntry.model_validate(body)
        except ValidationError as exc:
            details = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"{where}: invalid entity '{name}': {details}") from exc
        places[name] = where
    check_gazetteer(entries, places)  # sizes and name syntax (limits.py)
    _check_ambiguous(entries, source)
    _check_context(entries, places)
    # Every country's ministries, made from its checked aliases (institutions.py).
    return Gazetteer(with_ministries(entries, cache), source)


def _check_ambiguous(entries: Mapping[str, EntityEntry], source: str) -> None:
    """One alias for two entities would tag both on every mention: refuse it at load."""
    owner: dict[str, str] = {}
    for name, entry in entries.items():
        if not entry.enabled:
            continue
        for alias in (*entry.aliases, *entry.context_aliases):
            key = normalize(alias)
            if owner.get(key, name) != name:
                raise ConfigError(
                    f"{source}: alias '{alias}' belongs to both '{owner[key]}' and '{name}'; "
                    "remove it from one of them."
                )
            owner[key] = name


def _check_context(entries: Mapping[str, EntityEntry], where: Mapping[str, str]) -> None:
    """A context alias without a context (or naming an unknown entity) would never count,
    or always: refuse it at load, naming the entity."""
    for name, entry in entries.items():
        if entry.context_aliases and not entry.context:
            raise ConfigError(
                f"{where[name]}: entity '{name}' has context_aliases but no `context` "
                "(the entities one of which must be found for them to count)"
            )
        unknown = [c for c in entry.context if c not in entries]
        if unknown:
            raise ConfigError(
                f"{where[name]}: entity '{name}': `context` names {', '.join(unknown)}, "
                "which the gazetteer does not list"
            )


class _HeldByOthers:
    """The normalised aliases other entities hold, asked about one key at a time: the
    set itself (all aliases less one entity's) cost a copy of ten thousand names per
    entity, most of the tagger's start-up once every country's ministries were made."""

    def __init__(self, everyone: set[str], mine: set[str]) -> None:
        self._everyone, self._mine = everyone, mine

    def __contains__(self, key: object) -> bool:
        return key in self._everyone and key not in self._mine


class EntityTagger:
    def __init__(self, gazetteer: Gazetteer, cache: VocabularyCache | None = None) -> None:
        """`cache`: where the compiled names are kept between runs (compiled.py)."""
        self.gazetteer = gazetteer
        # The mention finder keeps its word frequencies in the same folder (background.py).
        self._folder = cache.folder if cache is not None else None
        entries = gazetteer.entries
        # Every alias's other Arabic spellings (spellings.py), unless another entity
        # holds one of them already.
        names = gazetteer.names()
        every_alias = [a for name in names for a in entries[name].aliases]
        folded = dict(zip(every_alias, normalize_lines(every_alias), strict=True))  # one pass
        taken: dict[str, set[str]] = {}
        for name in names:
            taken[name] = {folded[alias] for alias in entries[name].aliases}
        everyone = set().union(*taken.values()) if taken else set()
        # A variant must not turn an alias that counts only in context into one that
        # always counts (سيئول -> سئول is سيول, "floods").
        everyone |= {normalize(a) for name in names for a in entries[name].context_aliases}
        terms: list[Term] = []
        # Term index -> the words a spelling variant changed: a match is dropped when
        # one of them is an everyday Arabic word (checked when found, spellings.py).
        self._variant_words: dict[int, tuple[str, ...]] = {}
        for name in gazetteer.names():
            others = _HeldByOthers(everyone, taken[name])
            place = entries[name].kind == "place"
            for alias, changed in with_variants(entries[name].aliases, others, folded, place):
                if changed:
                    self._variant_words[len(terms)] = changed
                terms.append(Term(alias, name, affixes="name"))
        # Context aliases go last: term index -> the entities one of which must be found.
        self._needs: dict[int, frozenset[str]] = {}
        for name in gazetteer.names():
            for alias in entries[name].context_aliases:
                self._needs[len(terms)] = frozenset(entries[name].context)
                terms.append(Term(alias, name, affixes="name"))
        # Cased aliases are few ("US"): found as written (cased_words.py).
        cased = {a: name for name in gazetteer.names() for a in entries[name].cased}
        self._cased, self._cased_words = cased, CasedWords(cased)
        try:
            self.matcher = Matcher(terms, cache, kind="entities")
        except ValueError as exc:  # an alias the matcher cannot compile, e.g. "ab*"
            raise ConfigError(f"{gazetteer.source}: {exc}") from exc
        # Term index -> its entity, and the terms naming an organisation: read per hit,
        # a list index each instead of an attribute chain through two objects.
        self._owner = [t.owner for t in terms]
        self._organisation = {
            i for i, t in enumerate(terms) if entries[t.owner].kind == "organisation"
        }

    def warm_up(self) -> None:
        """The matcher's tables as dicts now (TopicTagger.warm_up says why)."""
        self.matcher.load()

    def tag(self, doc: Document) -> tuple[EntityTag, ...]:
        """Entities mentioned, most mentioned first; overlapping aliases count once."""
        mentions: dict[str, list[str]] = defaultdict(list)
        owner, entries, tokens = self._owner, self.gazetteer.entries, doc.tokens
        hits = self.matcher.find(doc)
        found_terms = [h.term for h in hits]
        if self._variant_words and not self._variant_words.keys().isdisjoint(found_terms):
            frequency, changed = zipf(self._folder), self._variant_words
            hits = [
                h
                for h in hits
                if h.term not in changed
                or not any(common_word(w, frequency) for w in changed[h.term])
            ]
        # Most documents find no context alias: then the filter would keep every hit.
        if self._needs and not self._needs.keys().isdisjoint(found_terms):
            needs = self._needs
            found = {owner[h.term] for h in hits if h.term not in needs}
            hits = [h for h in hits if h.term not in needs or needs[h.term] & found]
        kept = longest_first(hits)
        for term, start, end in kept:  # most names are one word: no slice to join
            mentions[owner[term]].append(
                tokens[start] if end - start == 1 else " ".join(tokens[start:end])
            )
        # An institution named with its country (وزارة الدفاع الروسية, "South Korea's
        # Defense Ministry") mentions the country too: the longer name wins its words,
        # and the country inside it is kept beside it.
        organisation = self._organisation
        spans = [h for h in kept if h.term in organisation]
        if spans and len(kept) < len(hits):
            for hit in set(hits) - set(kept):
                name = owner[hit.term]
                if entries[name].kind in ("country", "place") and any(
                    s.start <= hit.start and hit.end <= s.end for s in spans
                ):
                    mentions[name].append(" ".join(tokens[hit.start : hit.end]))
        for alias in self._cased_words.find(doc):
            mentions[self._cased[alias]].append(alias)
        tags = [
            EntityTag(
                name=name,
                kind=self.gazetteer.entries[name].kind,
                mentions=tuple(dict.fromkeys(found)),
                count=len(found),
            )
            for name, found in mentions.items()
        ]
        return tuple(sorted(tags, key=lambda t: (-t.count, t.name)))

    def unlinked(self, doc: Document, linked: tuple[EntityTag, ...]) -> tuple[EntityTag, ...]:
        """People (tagging/mentions.py) and organisations (tagging/organisations.py) named
        but not listed, given what tag() linked."""
        people = find_mentions(doc, linked, self._folder)
        bodies = find_organisations(doc, linked, arabic_stopwords(), self._folder)
        if bodies and people:
            # "The National Nuclear Regulatory Authority said": the capitals before the
            # verb are the body's, not a person's name.
            inside = [normalize(m) for b in bodies for m in b.mentions]
            people = tuple(
                p for p in people if not any(normalize(p.name) in body for body in inside)
            )
        return people + bodies
