"""Spelling variants of transliterated Arabic names, made for every gazetteer alias at load.

Foreign names reach Arabic through several spelling habits: the Levant and the Gulf write
g as غ (بيونغ يانغ), Egypt as ج (بيونج يانج), and writers join or split the parts of a
name (بيونغيانغ). monitor.text.normalize already folds hamza seats, ى/ي and ة/ه; these are
the variants it cannot fold, because غ and ج are different letters in Arabic words. A list
that holds one habit misses the others on real news (issue 17), so each Arabic alias
brings its other spellings instead of the gazetteer listing every one by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from monitor.text.normalize import normalize  # the matcher's own folding

# The letters one foreign "g" is written with; every g of a name in one spelling.
_G_LETTERS = ("غ", "ج", "گ")


def _arabic(text: str) -> bool:
    return any("\u0621" <= c <= "\u064a" for c in text)


def variants(alias: str) -> Iterator[str]:
    """Other spellings of one Arabic alias (never the alias itself)."""
    if not _arabic(alias):
        return
    seen = {alias}
    forms = [alias]
    present = [g for g in _G_LETTERS if g in alias]
    if present:
        # One spelling habit throughout the name: all its g letters become the other one.
        for g in _G_LETTERS[:2]:
            form = alias
            for other in present:
                form = form.replace(other, g)
            forms.append(form)
    words = alias.split()
    # A two-part transliterated name, written as one word too (بيونغ يانغ, بيونغيانغ);
    # not "X ال..." (كوريا الشمالية): an article starts a word of its own.
    if len(words) == 2 and not words[1].startswith("ال"):
        forms += ["".join(f.split()) for f in list(forms)]
    for form in forms:
        if form not in seen:
            seen.add(form)
            yield form


# A variant word this common is an Arabic word, not a name (جدة -> غدة "gland",
# الجزيرة -> الغزيرة "abundant"): the variant is dropped.
WORD_ZIPF = 2.5


def _common(word: str, zipf: Callable[[str], float]) -> bool:
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    return max(zipf(word), zipf(bare)) >= WORD_ZIPF


def with_variants(
    aliases: Iterable[str], taken: set[str], zipf: Callable[[str], float]
) -> list[str]:
    """The aliases and their variants, less those another name already holds (`taken`,
    in normalised form): a variant must never move a mention to another entity, nor
    turn an Arabic word into a name (`zipf`: background word frequencies)."""
    out = list(aliases)
    mine = {normalize(a) for a in out}
    for alias in list(out):
        old = set(normalize(alias).split())
        for v in variants(alias):
            key = normalize(v)
            if any(_common(w, zipf) for w in key.split() if w not in old):
                continue
            if key not in mine and key not in taken:
                mine.add(key)
                out.append(v)
    return out
