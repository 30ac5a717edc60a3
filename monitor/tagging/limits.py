"""Limits on what a taxonomy or gazetteer may ask for, and the syntax a term must follow.

Every Arabic word of a term is expanded into about a thousand surface forms when the
tagger is built (terms.py), so a taxonomy's size is memory: 5,000 Arabic one-word terms
keep about 480 MB (docs/security.md has the figures). Without a limit, a generated or
pasted taxonomy of 200,000 terms took `check-config` to 18 GB before the kernel killed it.
The limits below leave the shipped files far inside them (1,469 topic terms, 304 in the
largest topic, 32 characters in the longest term) and stop a mistake at load time with a
message naming the file, the topic or entity, the term and the limit.

Term syntax: a term is words, not a pattern. It must hold at least one letter or digit
after normalisation; `"["` or `".*"` used to load and never match anything. Characters
that only mean something in a regular expression ( [ ] ( ) { } | ^ $ ? + \\ , ".*", and *
other than at the end of the term) are refused with a hint: list alternatives as separate
terms, and write `word*` for a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from monitor.config import ConfigError
from monitor.text.normalize import normalize

if TYPE_CHECKING:
    from monitor.tagging.entities import EntityEntry
    from monitor.tagging.taxonomy import TopicRule

MAX_TERM_CHARS = 100
MAX_TERM_WORDS = 8
MAX_TERMS_PER_TOPIC = 1_000
MAX_TAXONOMY_TERMS = 5_000
MAX_ALIASES_PER_ENTITY = 200
MAX_GAZETTEER_NAMES = 20_000

_PATTERN_CHARS = re.compile(r"[\[\](){}|^$?+\\]")
_WORDS = re.compile(r"\w+")


def check_term(term: str, where: str) -> None:
    """ConfigError unless the term is words a document can contain (module docstring).

    `where` names the file and the topic or entity: "topics.toml: topic 'sanctions'".
    """
    shown = term if len(term) <= 60 else term[:57] + "..."
    if len(term) > MAX_TERM_CHARS:
        raise ConfigError(
            f"{where}: term {shown!r} is {len(term)} characters long, over the limit of "
            f"{MAX_TERM_CHARS}; a term is a word or a short phrase"
        )
    body = term.strip()
    body = body[1:] if body.startswith("=") else body
    body = body[:-1] if body.endswith("*") else body
    if _PATTERN_CHARS.search(body) or "*" in body or ".*" in term:
        raise ConfigError(
            f"{where}: term {shown!r} looks like a regular expression, but terms are words, "
            "matched with their affixes: list alternatives as separate terms, write word* "
            "for a prefix and =WORD for an exact word (no pattern characters "
            "[ ] ( ) { } | ^ $ ? + \\, and * only at the end)"
        )
    normalised = normalize(body)
    if not any(ch.isalnum() for ch in normalised):
        raise ConfigError(
            f"{where}: term {shown!r} has no letter or digit, so it can never match; "
            "remove it or write the word it stands for"
        )
    words = _WORDS.findall(normalised)
    if len(words) > MAX_TERM_WORDS:
        raise ConfigError(
            f"{where}: term {shown!r} has {len(words)} words, over the limit of "
            f"{MAX_TERM_WORDS}; split it, or use `near` for words close together"
        )


def topic_terms(rule: TopicRule) -> list[str]:
    """Every term a topic names: weighted terms, required groups, exclusions (and their
    exceptions), near, anchors."""
    out = list(rule.terms)
    out += [t for group in rule.all for t in group]
    out += [t for excl in rule.exclude for t in (*excl.terms, *excl.unless)]
    out += [t for near in rule.near for t in (*near.terms, *near.with_)]
    out += [t for anchors in rule.anchors.values() for t in anchors]
    return out


def check_taxonomy(topics: Mapping[str, TopicRule], where: Mapping[str, str]) -> None:
    """Sizes and syntax of every topic; `where` maps a topic to the file it came from."""
    total = 0
    for topic, rule in topics.items():
        place = f"{where[topic]}: topic '{topic}'"
        terms = topic_terms(rule)
        if len(terms) > MAX_TERMS_PER_TOPIC:
            raise ConfigError(
                f"{place} has {len(terms)} terms, over the limit of {MAX_TERMS_PER_TOPIC} "
                "per topic; split it into narrower topics or drop rare variants"
            )
        _check_all(terms, place)
        total += len(terms)
    if total > MAX_TAXONOMY_TERMS:
        files = ", ".join(sorted(set(where.values())))
        raise ConfigError(
            f"{files}: the taxonomy has {total} terms in all, over the limit of "
            f"{MAX_TAXONOMY_TERMS} (each Arabic word costs about 100 KB of memory once "
            "expanded into its forms; docs/security.md)"
        )


def check_gazetteer(entries: Mapping[str, EntityEntry], where: Mapping[str, str]) -> None:
    """Sizes and syntax of every entity's names; `where` maps an entity to its file."""
    total = 0
    for name, entry in entries.items():
        place = f"{where[name]}: entity '{name}'"
        if len(entry.aliases) > MAX_ALIASES_PER_ENTITY:
            raise ConfigError(
                f"{place} has {len(entry.aliases)} aliases, over the limit of "
                f"{MAX_ALIASES_PER_ENTITY} per entity"
            )
        names = (*entry.aliases, *entry.context_aliases, *entry.cased)
        _check_all(names, place)
        total += len(names)
    if total > MAX_GAZETTEER_NAMES:
        files = ", ".join(sorted(set(where.values())))
        raise ConfigError(
            f"{files}: the gazetteer has {total} names in all, over the limit of "
            f"{MAX_GAZETTEER_NAMES}"
        )


def _check_all(terms: Iterable[str], place: str) -> None:
    for term in terms:
        check_term(term, place)
