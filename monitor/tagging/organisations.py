"""Organisations the gazetteer does not list, kept as unlinked mentions (kind organisation).

Real news cites bodies no beat list holds: هيئة الرقابة النووية المصرية, the "National
Nuclear Regulatory Authority", a ministry of a country's provinces. Issue 17 found most
Arabic misses on real news were such agencies and organisations; the analyst should
still see which body is quoted, as unlisted people are (mentions.py). They are found by
the head noun Arabic and English news put first or last in an institution's name:

Arabic: a head noun (وكالة، وزارة، هيئة، مجلس، لجنة، منظمة، صندوق، مصرف، بنك، شركة،
مؤسسة، جهاز، with or without the article and proclitics: للوكالة، ووزارة) and the words
that complete it: nouns with the article (الرقابة النووية المصرية) or لل (للطاقة الذرية),
and, before them, nouns in the construct state (وكالة أنباء الإمارات). A transliterated
name right after the head (شركة روستيخ) is the name. It stops at punctuation, a function
word, a day, a verb of news writing or a number, and needs at least one word after the
head: a bare وزارة is no name.

English: a run of capitalised words that ends in a head noun ("the National Nuclear
Regulatory Authority", "Korea Osong Shipping Company") or starts with one and goes on with
"of"/"for" ("Ministry of Emergency Situations", "Agency for Defense Development").

A phrase holding a linked organisation's name, or held by one, is that organisation and is
dropped (وزارة الخارجية الروسية is linked already); a country inside it (المصرية) stays
linked beside the mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress
from pathlib import Path

from monitor.models import EntityTag
from monitor.tagging.arabic_word_shapes import PUNCT as _AR_PUNCT
from monitor.tagging.arabic_word_shapes import TANWEEN, bare_tanween
from monitor.tagging.arabic_word_shapes import word_list as _words
from monitor.tagging.arabic_word_shapes import zipf as background_zipf
from monitor.tagging.mentions import unlinked_tags
from monitor.tagging.terms import Document
from monitor.text.normalize import normalize

# ------------------------------------------------------------------ Arabic (normalised)

_AR_HEADS = frozenset(_words("وكاله وزاره هييه مجلس لجنه منظمه صندوق مصرف بنك شركه موسسه جهاز"))
_AR_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل")


def _head_forms() -> dict[str, tuple[bool, int, bool]]:
    """Every written form of a head (ووزارة, للوكالة, بالهيئة) -> (whether the head is
    indefinite and so governs a noun, how many proclitic letters to drop, whether to put
    the article back: للوكالة shows as الوكالة): one lookup per word finds them."""
    forms: dict[str, tuple[bool, int, bool]] = {}
    for head in _AR_HEADS:
        for shown in (head, "ال" + head):
            indefinite = shown == head
            forms[shown] = (indefinite, 0, False)
            for p in _AR_PROCLITICS:
                forms[p + shown] = (indefinite, len(p), False)
            if not indefinite:
                forms["لل" + head] = (False, 2, True)  # للوكاله: ل + الوكاله
                forms["ولل" + head] = (False, 3, True)
    return forms


_AR_HEAD_FORMS = _head_forms()
# Words that end an institution's name although they carry the article: days and
# times, and the adjectives news writing puts after a body (the body said, "today").
_AR_ENDS = frozenset(
    _words(
        """اليوم الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الماضي الماضيه المقبل
    المقبله الحالي الحاليه الجديد الجديده السابق السابقه الذي التي الذين الان"""
    )
)
# Punctuation that closes a word: its last character is one of these (a set lookup; the
# words are split at white space, so a regular expression's "$" could match only there).
_AR_CLOSING = frozenset('،,.:;؛!?؟"»)]”')
# Adjectives that praise or size a body rather than name it: a phrase ending in one
# describes a company or agency ("the giant telecom company", "the famous agency").
_AR_PRAISE = frozenset(
    _words("العملاقه العملاق الشهيره الشهير الرايده الرايد العريقه العريق المعروفه المعروف الناشيه")
)
_AR_MOST = 6  # words after the head
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+$")
_MINISTRY = frozenset(p + "وزاره" for p in ("", *_AR_PROCLITICS))
_RARE_ZIPF = 1.5  # a word this rare after a head is a transliterated name (روستيخ)
_NAME_GOES_ON_ZIPF = 3.0  # and the next word of that name may be this common (برس)


def _arabic(
    norm: list[str],
    raw: list[str],
    stop: frozenset[str],
    places: frozenset[str],
    cache: Path | None,
) -> Iterable[str]:
    """`places`: the words of the linked countries and places (الروسية): a name ends
    after them (اللجنة الأولمبية الروسية, not ... المرتبة الأولى)."""
    n = len(norm)
    heads = compress(range(n), map(_AR_HEAD_FORMS.__contains__, norm))  # in C
    end = 0
    frequency = None
    for i in heads:
        if i < end or raw[i][-1:] in _AR_CLOSING:
            continue
        k = i + 1
        construct, drop, article = _AR_HEAD_FORMS[norm[i]]  # an indefinite head governs
        article_seen = False
        name = False  # a transliterated name right after the head: شركة روستيخ
        while k < n and k - i <= _AR_MOST:
            w = _AR_PUNCT.sub("", norm[k])
            if not w or not _ARABIC_WORD.match(w) or w in _AR_ENDS:
                break
            if w.startswith(("بال", "كال", "فال")) or (
                w.startswith("لل") and k == i + 1 and not construct
            ):
                break  # بالإعلان: a preposition's noun; المنظمة للمنافسات: "organising"
            if w.startswith(("ال", "لل", "وال")) and len(w) > 3:
                if w.startswith("وال") and not article_seen:
                    break  # "وزارة والهيئة": a second body, not a complement
                if w.startswith("لل") and k - i > 2:
                    break  # هيئة الرقابة النووية المصرية للبدء: a purpose, not a name
                article_seen = True
            elif construct and not article_seen and w not in stop and not TANWEEN.search(raw[k]):
                # وكالة أنباء الإمارات; شركة روستيخ: a noun in the construct state, or a name
                if frequency is None:
                    frequency = background_zipf(cache)
                if bare_tanween(w, frequency):
                    break
                nxt = _AR_PUNCT.sub("", norm[k + 1]) if k + 1 < n else ""
                if frequency(w) <= (_NAME_GOES_ON_ZIPF if name else _RARE_ZIPF):
                    name = True  # أسوشييتد برس: a name's next word may be commoner
                elif not nxt.startswith(("ال", "لل")):
                    break  # an everyday word that ends no chain: "وزارة جديدة"
            else:
                break
            k += 1
            if raw[k - 1][-1:] in _AR_CLOSING:
                break
            if w in places and not (k < n and _AR_PUNCT.sub("", norm[k]) in places):
                break  # the country ends the name: وزارة الدفاع المصرية
        end = k
        # A definite head with one adjective refers back to a body named before
        # (المجلس الأممي، الوكالة المعنية); an indefinite one other than a ministry with
        # one word is a kind of body (لجنة الانضباط، شركة الطيران), not its name.
        words_after = k - i - 1
        if words_after < 1 or (words_after < 2 and not name and norm[i] not in _MINISTRY):
            continue
        if _AR_PUNCT.sub("", norm[k - 1]) in _AR_PRAISE:
            continue  # شركة الاتصالات العملاقة, "the giant telecom company": a description
        words = [_AR_PUNCT.sub("", r) for r in raw[i:k]]
        words[0] = ("ال" if article else "") + words[0][drop:]
        yield " ".join(words)


# ------------------------------------------------------------------ English

_EN_HEADS = frozenset(
    _words(
        """ministry agency council commission committee bank fund organization organisation
    authority administration corporation company institute office service bureau
    directorate command"""
    )
)
_EN_TOKEN = re.compile(r"[^\W\d_][\w'’.\-&]*|\d[\w.\-]*|[^\w\s]")
_EN_LINKS = frozenset({"of", "for", "on", "and"})
_EN_SMALL = frozenset({"of", "for", "on", "and", "the"})
# Capitalised words that open sentences or titles, never part of an institution's name.
_EN_NOT_PART = frozenset(
    _words(
        """The A An In On At For But Or If As By To From With This That These Those It Its
    He She They We His Her Their Our There Here When While After Before During
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday According However
    Meanwhile Also Mr Ms Mrs Dr"""
    )
)


# Words that say what a committee or council does, not whose it is: with a head alone
# ("Disciplinary Committee", "Ethics Committee", "Executive Council") they name a kind of
# body, as لجنة الانضباط does in Arabic.
_EN_KIND = frozenset(
    _words(
        """disciplinary discipline ethics executive organising organizing steering standing
    advisory appeals appeal selection"""
    )
)


def _cap(word: str) -> bool:
    return word[:1].isupper() and word not in _EN_NOT_PART


def _english(line: str) -> Iterable[str]:
    tokens = _EN_TOKEN.findall(line)
    n = len(tokens)
    heads = [i for i, t in enumerate(tokens) if t[:1].isupper() and t.lower() in _EN_HEADS]
    end = 0
    for i in heads:
        if i < end:
            continue
        start = i
        while (
            start > 0
            and _cap(tokens[start - 1])
            and tokens[start - 1].lower() not in _EN_HEADS
            and not tokens[start - 1].endswith(("'s", "’s"))  # "Russia's Ministry of ...": no part
        ):
            start -= 1
        stop = i + 1
        # "Ministry of Emergency Situations", "Agency for Defense Development"
        while stop + 1 < n and tokens[stop] in _EN_LINKS and _cap(tokens[stop + 1]):
            stop += 2
            while stop < n and _cap(tokens[stop]) and not tokens[stop - 1].endswith("."):
                stop += 1
        end = stop
        if stop - start < 2:
            continue
        if stop - start == 2 and tokens[start].lower() in _EN_KIND:
            continue  # "Disciplinary Committee": a kind of body, not its name
        name = " ".join(tokens[start:stop])
        yield name[:-1] if name.endswith(".") else name  # a sentence's full stop


# ------------------------------------------------------------------ both

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_HEAD_TOKENS = frozenset(_AR_HEAD_FORMS) | _EN_HEADS  # as the Document's tokens hold them
_PUNCT = re.compile(r"[^\w\s]")


def _base(word: str) -> str:
    if word[:1] not in "وفبكل":  # most words carry no proclitic: one test, not ten
        return word
    for p in ("وال", "فال", "بال", "كال", "لل", "و", "ف", "ب", "ل", "ك"):
        if word.startswith(p) and len(word) - len(p) >= 3:
            return ("ال" if p.endswith("ال") or p == "لل" else "") + word[len(p) :]
    return word


def _folded(text: str, folded: bool = False) -> str:
    """A name folded for comparing with a linked one: normalised (unless `folded`),
    proclitics off its first word (ووزارة -> وزارة, للوكالة -> الوكالة)."""
    if not folded:
        text = _PUNCT.sub(" ", normalize(text))  # "Korea's", "U.N." as tokenised
    words = text.split()
    return " ".join([_base(words[0]), *words[1:]]) if words else ""


def find_organisations(
    doc: Document,
    linked: tuple[EntityTag, ...],
    stop: frozenset[str],
    cache: Path | None = None,
) -> tuple[EntityTag, ...]:
    """Unlinked organisation mentions, most mentioned first, each with its surface forms;
    `stop`: the Arabic function words (mentions.py reads them); `cache`: the compiled
    vocabularies' folder (background.py keeps its table there)."""
    # Only a line holding a head noun is read: most documents hold a few.
    heads = doc.types & _HEAD_TOKENS
    if not heads:
        return ()
    arabic_heads = [h for h in heads if h in _AR_HEAD_FORMS]
    english_heads = [h for h in heads if h in _EN_HEADS]
    taken: list[str] | None = None
    places: frozenset[str] = frozenset()
    found: dict[str, list[str]] = {}
    for line, norm_line in zip(doc.lines, doc.norm_lines, strict=True):
        arabic = bool(_ARABIC_LETTER.search(line))
        if not any(h in norm_line for h in (arabic_heads if arabic else english_heads)):
            continue
        if taken is None:  # what is linked, folded once a line is worth reading
            # A linked mention is the document's own tokens, normalised already
            # (entities.py); only a cased alias ("US") is as written.
            taken = [
                _folded(m, folded=m == m.lower())
                for e in linked
                if e.kind in ("organisation", "person")
                for m in e.mentions
            ]
            places = frozenset(
                w
                for e in linked
                if e.kind in ("country", "place")
                for m in e.mentions
                for w in (m if m == m.lower() else normalize(m)).split()
            )
        if arabic:
            raw = line.split()
            norm = norm_line.split()
            if len(raw) != len(norm):  # a mark or tatweel alone made a word vanish
                raw = norm
            candidates = _arabic(norm, raw, stop, places, cache)
        else:
            candidates = _english(line)
        for surface in candidates:
            key = _folded(surface)
            if any(t and (t in key or key in t) for t in taken):
                continue
            found.setdefault(key, []).append(surface)
    return unlinked_tags(found, "organisation")
