"""Comparing a report with a story told only in the other language: by the names alone.

Why: an Arabic and an English report of one event share no words, only the tagger's
canonical names (which are the same in both languages). In the full story vector the names
are a part of the weight, so the cosine of two such reports is the names' share squared
times their agreement: on the real set's dev split, same-event Arabic/English pairs have a
median cosine of 0.39 while the join bar is 0.55 (docs/stories.md). Compared on their
names alone, the same pairs have a median of 0.69 (different events: 0.60 at the 95th
percentile, 0.82 at the 99th, hence a high bar of its own). So when the story has no
words in the report's script yet, the story step may also compare names with names, against
that bar (the higher of the two scores, each by how much it clears its bar, counts); once
the story has reports in both languages, a report meets it the usual way. A report whose
names the story already has (novelty.py) needs only the lower `cross_novel_similarity`
(0.65): a look-alike event names someone or somewhere of its own. With `same_language` on
(opt-in), a story in both languages is also met by its members in the report's script
(script_share says how many they are).

Scripts, not language labels: the terms themselves say which script they are in, so a
story's profile (a sum of vectors) tells which languages it holds without another column.
"""

from __future__ import annotations

import math

ARABIC = 1
LATIN = 2
SCRIPT_SHARE = 0.2  # a script counts when it holds this share of the word weight
ENTITY = "@"  # as in monitor.stories
# The prefix of an event word's concept (event_lexicon.py) in vectors and keys: no script.
CONCEPT = "#"
# Event numbers (event_numbers.py) ride with the concepts, out of every cosine.
NUMBER = "#="


def script_of(term: str) -> int:
    if term.startswith(CONCEPT):
        return 0
    for char in term:
        if "\u0600" <= char <= "\u06ff":
            return ARABIC
        if char.isalpha():
            return LATIN
    return 0  # a year, a number


def scripts(vector: dict[str, float]) -> int:
    """The scripts (a bit set) holding at least SCRIPT_SHARE of the vector's word weight."""
    weight = {ARABIC: 0.0, LATIN: 0.0}
    for term, w in vector.items():
        if not term.startswith(ENTITY):
            script = script_of(term)
            if script:
                weight[script] += abs(w)
    total = sum(weight.values())
    if not total:
        return 0
    return sum(s for s, w in weight.items() if w >= SCRIPT_SHARE * total)


def name_cosine(a: dict[str, float], b: dict[str, float], concepts: float = 0.0) -> float:
    """The cosine of the two vectors' name features alone; with `concepts` (a share, 0-1)
    and event concepts on both sides (event_lexicon.py), that share of the score is the
    cosine of their concepts. Two cosines mixed, not one vector: names carry four times a
    word's weight and would drown the concepts, and on the real set's dev split the two
    disagree often enough that their mean tells same-event pairs from others better than
    either (AUC 0.946 against 0.908 for names and 0.904 for concepts)."""
    names = _cosine(a, b, ENTITY)
    if concepts:
        shared = _cosine(a, b, CONCEPT)
        if shared is not None and names is not None:
            return max(names, (1 - concepts) * names + concepts * shared)
    return names or 0.0


def concept_cosine(a: dict[str, float], b: dict[str, float]) -> float | None:
    """The cosine of the two vectors' event concepts (event_lexicon.py); None when a side
    has none."""
    return _cosine(a, b, CONCEPT)


def _cosine(a: dict[str, float], b: dict[str, float], prefix: str) -> float | None:
    """The cosine of the features with `prefix`; None when a side has none."""
    an = {t: w for t, w in a.items() if t.startswith(prefix) and not t.startswith(NUMBER)}
    bn = {t: w for t, w in b.items() if t.startswith(prefix) and not t.startswith(NUMBER)}
    norm = math.sqrt(sum(w * w for w in an.values())) * math.sqrt(sum(w * w for w in bn.values()))
    if not norm:
        return None
    return sum(w * bn.get(t, 0.0) for t, w in an.items()) / norm


def main_kind(vector: dict[str, float]) -> tuple[str, str] | None:
    """What a vector is mainly about: its strongest event concept and its strongest name
    (None when it has either not). An event's kind (a launch, a visit, a report) and its
    main actor: two look-alike events of one actor differ in the kind as often as not, and
    one event told by outlets naming other officials agrees on both (SameEvent.judge)."""
    concept = name = None
    cw = nw = 0.0
    for t, w in vector.items():
        if t.startswith(ENTITY):
            if w > nw:
                name, nw = t, w
        elif t.startswith(CONCEPT) and not t.startswith(NUMBER) and w > cw:
            concept, cw = t, w
    return None if concept is None or name is None else (concept, name)


def content_dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of words and names, event concepts left out: those are compared
    across languages only (name_cosine), so within one language the cosine stays the
    measured one."""
    small, large = sorted((a, b), key=len)
    return sum(w * large.get(t, 0.0) for t, w in small.items() if not t.startswith(CONCEPT))


def other_language(mine: int, theirs: int) -> bool:
    """Neither shares a script with the other (both known)."""
    return bool(mine and theirs and not mine & theirs)


def script_share(vector: dict[str, float], script: int) -> float:
    """The share of the vector's word weight (names and numbers aside) in `script`."""
    weight = total = 0.0
    for term, w in vector.items():
        if not term.startswith(ENTITY):
            s = script_of(term)
            if s:
                total += abs(w)
                if s == script:
                    weight += abs(w)
    return weight / total if total else 0.0


def same_language_score(
    summed: dict[str, float], count: int, written: int, profile: dict[str, float], articles: int
) -> float:
    """A group's mean cosine with the story's members written in its own language (their
    words, and the names of all), from the sum of the group's `count` unit vectors.

    Why: in a story told in both languages, the reports in the other one share only names
    with the group, and they pull the plain mean down by their number. How many members
    are in the group's language is not stored: the share of the profile's word weight in
    its script says (each member is a unit vector). Only for a story told in both
    languages (its caller, SameEvent.judge, checks that: scripts(profile) == ARABIC | LATIN)."""
    n = max(1, articles)
    mine = max(1.0, n * script_share(profile, written))
    words, names = _words_and_names(summed, profile)
    return (words / mine + names / n) / count


def _words_and_names(summed: dict[str, float], profile: dict[str, float]) -> tuple[float, float]:
    """The dot product of the group's summed vectors with the story's profile, split into
    its words and its names (event concepts left out): the two scores above and below
    divide each by its own count of pairs."""
    words = names = 0.0
    for t, w in summed.items():
        p = profile.get(t)
        if p is not None and not t.startswith(CONCEPT):
            if t.startswith(ENTITY):
                names += w * p
            else:
                words += w * p
    return words, names


def both_languages_score(
    summed: dict[str, float], counts: dict[int, int], profile: dict[str, float], articles: int
) -> float:
    """A group told in both languages against a story told in both: the mean cosine of
    their pairs written in one language (their words), and of all pairs (their names),
    from the sum of the group's unit vectors and how many of them are in each script.

    Why (issue 18's fourteenth round): one report at a time, an event's first Arabic and
    English reports can begin two stories each told in both languages; the story merge
    then compares the two on every pair, and the pairs across languages share only names
    (a cosine of about 0.4 for one event), so the mean falls under the bar however well
    each language's reports agree. same_language_score is the same measure for a group in
    one language; the story's members in each script are counted as there."""
    n = max(1, articles)
    count = sum(counts.values())
    pairs = sum(c * max(1.0, n * script_share(profile, s)) for s, c in counts.items() if c)
    words, names = _words_and_names(summed, profile)
    return words / max(1.0, pairs) + names / (max(1, count) * n)
