"""Event words shared by both languages: a report's event terms as concept features.

Why (issue 18): a report meets a story told only in the other language by what the two
share, and without this that is the tagger's names alone. Outlets name different officials
and places (same-event Arabic/English pairs agree on names at a median cosine of 0.58 on
the real set's dev split), while they tell the event itself in the same few words: visit /
زيارة, sanctions package / حزمة عقوبات, missile launch / إطلاق صاروخ. A small bilingual
lexicon of the beat's event words (monitor/data/event_lexicon.tsv, written by hand: language
knowledge like a stoplist, never a fact about one event) maps both languages' story terms to
one concept id, and the story step adds the concept as a feature of its own (`#visit`), so
an Arabic and an English report of one visit share it.

Written by hand because no package ships such a list offline: the package index holds
keyboard-layout converters, transliterators and translation wrappers whose models are
downloaded at run time, not a bilingual word list; the multilingual encoder was measured
and rejected (docs/stories.md).

Arabic: a term arrives normalised with its article cut (term_forms.terms); its proclitics
(the tails monitor.text.clitics gives the search index: conjunction و ف, preposition or
future particle ب ك ل س, the article) and a trailing pronoun (ه ها هم هما) are cut here
only to look a word up, so وبزيارته finds زيارة, سيزور finds يزور, and nothing else
changes (NOTES.md warns against stripping Arabic letters blindly: only lexicon words ever match).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from monitor.term_forms import term_form
from monitor.text.clitics import tails
from monitor.text.normalize import words

SHIPPED = Path(__file__).parent / "data" / "event_lexicon.tsv"
_ARTICLE = re.compile("^(?:ال|لل)(?=[\u0621-\u064a]{3})")
_SUFFIX = re.compile("(?:هما|هم|ها|ه)$")


class EventLexicon:
    """Story terms (English stemmed, Arabic normalised) -> concept ids."""

    def __init__(self, concepts: dict[str, str]) -> None:
        self._concepts = concepts
        self._look = lru_cache(maxsize=100_000)(self._concept)

    @staticmethod
    def load(path: Path = SHIPPED) -> EventLexicon:
        """Read the lexicon; a word listed twice keeps its first concept."""
        concepts: dict[str, str] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3:
                raise ValueError(
                    f"{path}:{number}: expected concept<TAB>English<TAB>Arabic, got {line!r}"
                )
            concept, english, arabic = fields
            for word in words(english):
                concepts.setdefault(term_form(word), concept)
            for word in words(arabic):
                concepts.setdefault(_ARTICLE.sub("", word), concept)
        return EventLexicon(concepts)

    def concept(self, term: str) -> str | None:
        """The concept a story term stands for, or None."""
        return self._look(term)

    def _concept(self, term: str) -> str | None:
        found = self._concepts.get(term)
        if found is not None or term.isascii():
            return found
        for form in _arabic_forms(term):
            found = self._concepts.get(form)
            if found is not None:
                return found
        return None


def _arabic_forms(term: str) -> list[str]:
    """The forms an Arabic word may be listed under: each tail left by a valid proclitic
    sequence (monitor.text.clitics.tails: and, then, with, for, like, the future particle,
    the article after them; the search index's own rule, so one list of Arabic prefixes
    serves both), then a trailing pronoun cut (a ta marbuta before it written ت, folded ه
    in the lexicon)."""
    stems = list(tails(term))
    out = list(stems)
    for s in stems:
        cut = _SUFFIX.sub("", s)
        if cut != s and len(cut) >= 3:
            out.append(cut)
            if cut.endswith("ت"):
                out.append(cut[:-1] + "ه")
    return out


@lru_cache(maxsize=1)
def shipped() -> EventLexicon:
    return EventLexicon.load()
