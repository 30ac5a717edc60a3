"""A country's ministries, named by the country, made for every country of the gazetteer.

Real news names a ministry by its country: وزارة الخارجية اليابانية، وزارة دفاع روسيا،
الخارجية الإيرانية, "Japan's Defense Ministry", "the Iranian Foreign Ministry". The
gazetteer listed by hand the dozen that the labelled train split showed, so a report
quoting the Turkish or the Belarusian foreign ministry found only the country (issue 17:
most Arabic misses on real news were institutions). Every state has these ministries, and
their names follow from the country's own entry (its adjective and its name in both
languages), so they are made at load instead of listed: a real institution each, never a
guess about one article.

What is made, per country and portfolio (foreign affairs, defence, interior, finance,
economy, energy, trade; the canonical name "Turkish Ministry of Defence", or "Ministry of
Defence of Georgia" for a country without an English adjective):

- Arabic: وزارة الدفاع الروسية (the ministry and the feminine adjective the country's
  entry lists beside its masculine one: الروسية with الروسي), وزارة الدفاع في روسيا,
  وزارة دفاع روسيا (the construct state); for foreign affairs also الخارجية الروسية, the
  short form the news uses most. The country's name is its first Arabic alias.
- English: "Russian Defence Ministry", "Russian Ministry of Defense", "Russia's Defence
  Ministry", "Ministry of Defence of Russia" and the portfolio's other wordings (below). The
  adjective is the English alias whose plural the entry also lists (Russian, Russians), or a
  one-word alias in -ese, -ish or -ch (Japanese, Turkish, French).

A ministry the gazetteer lists by hand (under any canonical name) takes the made aliases
another entity does not hold: the hand-made entry keeps its name and gains the other
spellings. An alias already held by another entity is never made again (one alias, one
entity: entities.py refuses the rest at load).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.text.normalize import normalize, normalize_lines

if TYPE_CHECKING:
    from monitor.tagging.entities import EntityEntry

# Portfolio -> (English wordings, Arabic with article, Arabic in the construct state).
_PORTFOLIOS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "Foreign Affairs": (("Foreign Ministry", "Ministry of Foreign Affairs"), "الخارجية", "خارجية"),
    "Defence": (
        ("Defence Ministry", "Defense Ministry", "Ministry of Defence", "Ministry of Defense"),
        "الدفاع",
        "دفاع",
    ),
    "Interior": (("Interior Ministry", "Ministry of Interior"), "الداخلية", "داخلية"),
    "Finance": (("Finance Ministry", "Ministry of Finance"), "المالية", "مالية"),
    "Economy": (("Economy Ministry", "Ministry of Economy"), "الاقتصاد", "اقتصاد"),
    "Energy": (("Energy Ministry", "Ministry of Energy"), "الطاقة", "طاقة"),
    "Trade": (
        ("Trade Ministry", "Ministry of Trade", "Commerce Ministry", "Ministry of Commerce"),
        "التجارة",
        "تجارة",
    ),
}
# The short form without وزارة reads as the ministry for foreign affairs only (الخارجية
# الروسية); الدفاع الروسية is not how the news writes it, and الداخلية alone is a place.
_SHORT = frozenset({"Foreign Affairs"})
_MINISTRY = "وزارة"
_ARABIC = re.compile("[\u0621-\u064a]")


def arabic_adjectives(aliases: tuple[str, ...]) -> list[str]:
    """The feminine adjectives with the article a country's entry lists (الروسية,
    الكورية الشمالية): every word of them carries ال and ends in ة, and the entry also
    lists the masculine form (الروسي, الكوري الشمالي). Not الجمهورية الإسلامية الإيرانية,
    whose masculine form is no alias."""
    candidates = [
        a
        for a in aliases
        if a.startswith("ال") and all(w.startswith("ال") and w.endswith("ة") for w in a.split())
    ]
    if not candidates:
        return []
    listed = {normalize(a) for a in aliases if a.startswith("ال")}
    return [a for a in candidates if normalize(" ".join(w[:-1] for w in a.split())) in listed]


def english_adjective(name: str, aliases: tuple[str, ...]) -> str | None:
    """The country's English adjective: the alias whose plural is also listed (Russian,
    Russians), else a one-word alias in -ese, -ish or -ch (Japanese, Turkish, French)."""
    listed = set(aliases)
    english = [a for a in aliases if a != name and a.isascii() and a[:1].isupper()]
    for alias in english:
        if alias + "s" in listed:
            return alias
    for alias in english:
        if " " not in alias and alias.endswith(("ese", "ish", "ch")):
            return alias
    return None


# A country's capital, where the gazetteer lists both: the news names a government by it.
_CAPITALS = {
    "Russia": "Moscow",
    "North Korea": "Pyongyang",
    "South Korea": "Seoul",
    "China": "Beijing",
    "Japan": "Tokyo",
    "Ukraine": "Kyiv",
    "Iran": "Tehran",
    "United States": "Washington",
    "Belarus": "Minsk",
    "Turkey": "Ankara",
    "United Kingdom": "London",
    "France": "Paris",
    "Germany": "Berlin",
    "Pakistan": "Islamabad",
    "Syria": "Damascus",
    "Iraq": "Baghdad",
    "Saudi Arabia": "Riyadh",
    "Egypt": "Cairo",
}


def _capital(entries: Mapping[str, EntityEntry], city: str | None) -> tuple[str, ...]:
    entry = entries.get(city) if city else None
    return entry.aliases if entry is not None and entry.kind == "place" else ()


def ministry_aliases(
    name: str, aliases: tuple[str, ...], capital: tuple[str, ...] = ()
) -> list[tuple[str, list[str]]]:
    """(canonical name, aliases) of each of one country's ministries; `capital`: the
    aliases of its capital, when the gazetteer lists it ("Moscow's Defence Ministry",
    "the Foreign Ministry in Moscow", وزارة الخارجية في موسكو)."""
    adjective = english_adjective(name, aliases)
    city = next((a for a in capital if a.isascii()), None)
    city_ar = next((a for a in capital if _ARABIC.search(a)), None)
    feminine = arabic_adjectives(aliases)
    country = next((a for a in aliases if _ARABIC.search(a)), None)
    plans = []
    for portfolio, (wordings, definite, construct) in _PORTFOLIOS.items():
        out: list[str] = []
        official = next(w for w in wordings if w.startswith("Ministry"))
        for wording in wordings:
            if adjective:
                out.append(f"{adjective} {wording}")
            # "Russia's Defence Ministry" (the matcher reads "Russia’s" the same way), and
            # the official "Ministry of Defence of Russia"; "Russia's Ministry of Defence"
            # and the like are rare enough to leave: each wording costs start-up time.
            if not wording.startswith("Ministry"):
                out.append(f"{name}'s {wording}")
                if city:
                    out += [f"{city}'s {wording}", f"{wording} in {city}"]
            elif wording == official:
                out.append(f"{wording} of {name}")
        for fem in feminine:
            out.append(f"{_MINISTRY} {definite} {fem}")
            if portfolio in _SHORT:
                out.append(f"{definite} {fem}")
        if country:
            out.append(f"{_MINISTRY} {definite} في {country}")
            out.append(f"{_MINISTRY} {construct} {country}")
        if city_ar:
            out.append(f"{_MINISTRY} {definite} في {city_ar}")
        canonical = (
            f"{adjective} Ministry of {portfolio}"
            if adjective
            else f"Ministry of {portfolio} of {name}"
        )
        plans.append((canonical, out))
    return plans


def with_ministries(
    entries: Mapping[str, EntityEntry], cache: Path | None = None
) -> dict[str, EntityEntry]:
    """The gazetteer's entries plus every country's ministries (see the module's docstring).

    Called on entries already validated and checked (entities.load_gazetteer): what is
    made here comes from checked aliases and holds no alias another entry holds.
    A made alias that an entry holds (normalised) is left to it; when one belongs to a
    hand-made ministry (وزارة الدفاع الروسية), the others join that entry.

    `cache`: the compiled vocabularies' folder, where what to make is kept by the
    entries it was made from (and this module's code): making it folds some 10,000 names,
    a sixth of the gazetteer's load before the daemon is ready."""
    if cache is None:
        return _apply(entries, _plan(entries))
    from monitor.tagging.compiled import VocabularyCache  # as datafile.py: only with a cache

    store = VocabularyCache(cache)
    key = store.key(
        "ministries",
        [
            ("\x1d".join((*e.aliases, *e.context_aliases)), name, f"{e.kind}{e.enabled}")
            for name, e in entries.items()
        ]
        + [(hashlib.sha256(Path(__file__).read_bytes()).hexdigest(), "code", "")],
    )
    plan = store.get(key, lambda: _plan(entries), lambda p: isinstance(p, list))
    return _apply(entries, plan)


def _plan(entries: Mapping[str, EntityEntry]) -> list[tuple[str, tuple[str, ...], bool]]:
    """What to make: (entity, the aliases it gains, whether it is a new entity)."""
    names = set(entries)
    kinds = {name: e.kind for name, e in entries.items()}
    held = [
        (n, a) for n, e in entries.items() if e.enabled for a in (*e.aliases, *e.context_aliases)
    ]
    owner: dict[str, str] = {}
    for (entity, _), key in zip(held, normalize_lines([a for _, a in held]), strict=True):
        owner.setdefault(key, entity)
    plans = [
        plan
        for country, entry in entries.items()
        if entry.kind == "country" and entry.enabled
        for plan in ministry_aliases(
            country, entry.aliases, _capital(entries, _CAPITALS.get(country))
        )
    ]
    folded = normalize_lines([a for _, made in plans for a in made])
    out: list[tuple[str, tuple[str, ...], bool]] = []
    start = 0
    for canonical, made in plans:
        keys = folded[start : start + len(made)]
        start += len(made)
        holders = {owner[k] for k in keys if k in owner}
        ministries = [h for h in holders if kinds[h] == "organisation"]
        if len(ministries) > 1 or (not ministries and canonical in names):
            continue  # two hand-made entries share it, or the name is taken: leave it
        target = ministries[0] if ministries else canonical
        fresh = tuple(dict.fromkeys(a for a, k in zip(made, keys, strict=True) if k not in owner))
        if not fresh:
            continue
        out.append((target, fresh, not ministries))
        names.add(target)
        kinds[target] = "organisation"
        for key in keys:
            owner.setdefault(key, target)
    return out


def _apply(
    entries: Mapping[str, EntityEntry], plan: list[tuple[str, tuple[str, ...], bool]]
) -> dict[str, EntityEntry]:
    from monitor.tagging.entities import EntityEntry  # entities.py imports this module

    out = dict(entries)
    for target, fresh, new in plan:
        if new:
            out[target] = EntityEntry(kind="organisation", aliases=fresh)
        else:
            out[target] = out[target].model_copy(update={"aliases": (*out[target].aliases, *fresh)})
    return out
