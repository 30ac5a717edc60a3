"""What a topic's rule reads around its terms: the article's language, its anchors and vetoes.

Real news uses the beat's words in other senses (a football club's "sanctions", a
"summit" of a mountain, "weapons" in a video game). Weighted terms alone cannot tell
them apart; the rest of the article can. Two context checks sit on top of the score,
both written in the taxonomy, per topic:

- `anchors`, per language: at least one must occur in an article of that language, or
  the topic is refused. ("sanctions" in English needs a government, a ministry, a
  treasury, a country... somewhere in the text.)
- `exclude` terms with `within` unset veto the topic anywhere in the article; a `label`
  says why in words ("sport context"), which `monitor show --why` prints.

A refused topic is kept as a Refusal with its score and the reason, so an analyst sees
why a tag was not given, as they see the evidence for one that was.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.tagging.terms import Document

LANGUAGES = ("ar", "en")  # the keys `anchors` may have


@dataclass(frozen=True)
class Refusal:
    """A topic whose terms reached its threshold, and why it was not given."""

    topic: str
    score: float  # what the terms scored before the refusal
    reason: str  # e.g. "veto 'football' (sport context)", "no anchor (needs one of: ...)"


def language(doc: Document) -> str:
    """'ar' when most words are Arabic, else 'en' (the beat's other language; French,
    German and Russian terms are few and take the English anchors)."""
    sample = doc.tokens[:200]  # the title and lead say it; a long article need not be read
    # A token's first letter is Arabic (ء to ي) exactly when the token sorts from "ء" up to
    # before "ً": compared whole, no one-letter string is made per token. (sum() of a
    # generator: slower.)
    arabic = len([t for t in sample if "\u0621" <= t < "\u064b"])
    return "ar" if arabic * 2 >= len(sample) and arabic else "en"


def veto_reason(term: str, label: str) -> str:
    return f"veto '{term}'" + (f" ({label})" if label else "")


def blocked_reason(terms: list[str], label: str) -> str:
    shown = ", ".join(f"'{t}'" for t in dict.fromkeys(terms))
    return f"terms blocked by {shown}" + (f" ({label})" if label else "")


def anchor_reason(anchors: tuple[str, ...]) -> str:
    shown = ", ".join(anchors[:4]) + (", ..." if len(anchors) > 4 else "")
    return f"no anchor (needs one of: {shown})"
