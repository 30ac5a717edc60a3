"""Topics from weighted keyword rules (taxonomy.py), with the evidence for every tag.

All topics are compiled into one matcher, so one pass over an article's tokens finds
every topic's terms; each topic's hits are then scored against its threshold, with its
NOT terms, required groups, proximity pairs and anchors (context.py), and the learned
decision (decide.py) and beat gate (beat.py) review what the rules give. Term syntax
(affixes, `=exact`, `prefix*`) is in monitor.tagging.terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.config import ConfigError
from monitor.models import Match, TopicTag
from monitor.tagging.beat import BeatGate
from monitor.tagging.cased_words import CasedAnchors, split_cased
from monitor.tagging.context import (
    Refusal,
    anchor_reason,
    blocked_reason,
    language,
    veto_reason,
)
from monitor.tagging.decide import Decision
from monitor.tagging.sorted_table import PROMOTE_AFTER, SortedTable, is_packed, pack
from monitor.tagging.taxonomy import Exclusion, Taxonomy, TopicRule
from monitor.tagging.term_forms import compile_term
from monitor.tagging.terms import Document, Hit, Matcher, Term, longest_first

if TYPE_CHECKING:
    from monitor.tagging.compiled import VocabularyCache


_SHORT_THRESHOLD = 3.0

# Roles a term plays in its topic.
_WEIGHTED, _GROUP, _EXCLUDE, _NEAR_A, _NEAR_B, _UNLESS = range(6)


_Owners = frozenset[tuple[str, str]]


def _anchor_forms(
    anchor_of: Mapping[str, set[tuple[str, str]]],
) -> tuple[dict[str, _Owners], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """Each one-word anchor's surface forms with the (topic, language) pairs it anchors,
    and the phrases left for a matcher: plain values, so they can be cached.

    One shared frozenset per distinct owner set: most forms have the same owners (the
    beat's actors anchor several topics), so an article's forms are unioned once per
    distinct set, not once per form. marshal writes a shared object once and reads it
    back shared, so the cached file holds the sets as they are used: turning 47,000
    forms' tuples into sets again at each start cost 0.1 s."""
    by_form: dict[str, set[tuple[str, str]]] = defaultdict(set)
    phrases: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for text, owners in anchor_of.items():
        compiled = compile_term(text, "word")
        if len(compiled) == 1 and isinstance(compiled[0], frozenset):
            for form in compiled[0]:
                by_form[form] |= owners
        else:
            phrases.append((text, tuple(sorted(owners))))
    shared: dict[_Owners, _Owners] = {}
    owners = {form: shared.setdefault(frozenset(o), frozenset(o)) for form, o in by_form.items()}
    return owners, phrases


def _stored_anchor_forms(anchor_of: Mapping[str, set[tuple[str, str]]]) -> Any:
    by_form, phrases = _anchor_forms(anchor_of)
    return pack(by_form), phrases


def _is_stored_anchor_forms(data: Any) -> bool:
    return (
        isinstance(data, tuple)
        and len(data) == 2
        and is_packed(data[0])
        and isinstance(data[1], list)
        and all(isinstance(o, frozenset) for o in data[0][2][:1])
    )


class _Anchors:
    """Which (topic, language) pairs have an anchor in an article.

    Only presence matters, not where or how often: one-word anchors (most of them) are
    answered by intersecting their surface forms with the article's distinct words, in C;
    the few phrases go through a small matcher of their own."""

    def __init__(
        self,
        anchor_of: Mapping[str, set[tuple[str, str]]],
        cache: VocabularyCache | None = None,
    ) -> None:
        # (capitalised anchors such as "=US" are found as written: cased_words.py)
        anchor_of, cased = split_cased(anchor_of)
        self._anchor_of, self._cache, self._cased = anchor_of, cache, CasedAnchors(cased)
        self._by_form: dict[str, _Owners] | None = None  # on first use

    def _load(self) -> dict[str, _Owners]:
        anchor_of, cache = self._anchor_of, self._cache
        # Expanding every anchor into its surface forms costs a quarter of a second at
        # each start, so the expansion is kept in the vocabulary cache like the matchers.
        if cache is None:
            by_form, phrases = _anchor_forms(anchor_of)
        else:
            key = cache.key(
                "anchor-owners",  # "anchor-forms": the owners as tuples, before
                [
                    (text, ";".join(f"{t}/{lang}" for t, lang in sorted(owners)), "word")
                    for text, owners in sorted(anchor_of.items())
                ],
            )
            packed, phrases = cache.get(
                key, lambda: _stored_anchor_forms(anchor_of), _is_stored_anchor_forms
            )
            # Sorted (sorted_table.py): one article needs a few hundred of its 48,000 forms.
            by_form = SortedTable(packed, promote_after=PROMOTE_AFTER)  # type: ignore[assignment]
        self._phrase_of = [set(owners) for _, owners in phrases]
        self._phrases = Matcher([Term(text, text) for text, _ in phrases], cache, kind="anchors")
        self._by_form = by_form
        return by_form

    def warm_up(self) -> None:
        """Everything as dicts now (TopicTagger.warm_up)."""
        by_form = self._by_form if self._by_form is not None else self._load()
        if isinstance(by_form, SortedTable):
            by_form.promote()
        self._phrases.load()

    def start(self, doc: Document) -> tuple[set[tuple[str, str]], Iterator[Hit]]:
        """The pairs the one-word anchors give, and the phrase anchors' hits still to
        be read (owners_of says whose): _Context reads them only until the pair it is
        asked about turns up, so the phrase matcher rarely reads a whole article."""
        by_form = self._by_form if self._by_form is not None else self._load()
        found: set[tuple[str, str]] = set().union(
            *{id(s): s for s in (by_form[f] for f in by_form.keys() & doc.types)}.values()
        )
        found |= self._cased.found(doc)
        return found, self._phrases.scan(doc)

    def owners_of(self, hit: Hit) -> set[tuple[str, str]]:
        return self._phrase_of[hit.term]


class _Context:
    """What the anchors need of one article, worked out once and only when asked."""

    def __init__(
        self, doc: Document, anchors: _Anchors, anchor_of: Mapping[str, set[tuple[str, str]]]
    ) -> None:
        self._doc, self._anchors, self._anchor_of = doc, anchors, anchor_of
        self._language: str | None = None
        self._anchored: set[tuple[str, str]] | None = None
        self._pending: Iterator[Hit] | None = None  # phrase anchors not read yet

    def language(self) -> str:
        if self._language is None:
            self._language = language(self._doc)
        return self._language

    def anchored(self, topic: str, lang: str) -> bool:
        """Whether the article holds an anchor of `topic` in `lang`. The phrase anchors
        are read only as far as the answer needs (the first North Korea of an article
        answers every topic it anchors), and what was read is kept for the next topic."""
        if self._anchored is None:
            self._anchored, self._pending = self._anchors.start(self._doc)
        found, pair = self._anchored, (topic, lang)
        while pair not in found and self._pending is not None:
            hit = next(self._pending, None)
            if hit is None:
                self._pending = None
            else:
                found |= self._anchors.owners_of(hit)
        return pair in found


@dataclass(frozen=True)
class _Role:
    topic: str
    role: int
    index: int  # which group / exclusion / near rule
    weight: float = 0.0


class TopicTagger:
    """All topics compiled into one matcher: one pass over the tokens tags every topic."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        cache: VocabularyCache | None = None,
        decision: Decision | None = None,
        beat: BeatGate | None = None,
    ) -> None:
        """`cache`: where the compiled terms are kept between runs (compiled.py);
        `decision`: the learned second opinion (decide.py), None for the rules alone;
        `beat`: the learned gate on the whole article (beat.py), None for none."""
        self.taxonomy = taxonomy
        # Anchors in a matcher of their own, each text once: topics share most of them
        # (the beat's actors), and in the topics' matcher every occurrence would be a hit
        # per topic. It runs only for an article some anchored topic would tag.
        self._anchor_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.decision = decision  # a learned second opinion on the rules' tags (decide.py)
        self.beat = beat  # does the lead read like the beat at all (beat.py)
        self._thresholds = {t: rule.threshold for t, rule in taxonomy.topics.items()}
        terms: list[Term] = []
        roles: list[_Role] = []

        def add(text: str, role: _Role) -> None:
            terms.append(Term(text, role.topic))  # its weight lives in the role
            roles.append(role)

        for topic in taxonomy.topic_ids():
            rule = taxonomy.topics[topic]
            for text, weight in rule.terms.items():
                add(text, _Role(topic, _WEIGHTED, 0, weight))
            for g, group in enumerate(rule.all):
                for text in group:
                    add(text, _Role(topic, _GROUP, g))
            for e, excl in enumerate(rule.exclude):
                for text in excl.terms:
                    add(text, _Role(topic, _EXCLUDE, e))
                for text in excl.unless:
                    add(text, _Role(topic, _UNLESS, e))
            for n, near in enumerate(rule.near):
                for text in near.terms:
                    add(text, _Role(topic, _NEAR_A, n))
                for text in near.with_:
                    add(text, _Role(topic, _NEAR_B, n))
            for lang, anchors in rule.anchors.items():
                for text in anchors:
                    self._anchor_of[text].add((topic, lang))
        try:
            self.matcher = Matcher(terms, cache, kind="topics")
            self._anchors = _Anchors(self._anchor_of, cache)
            # The anchors expand on first use; the one kind of anchor that cannot compile
            # (a prefix* under 3 letters) is refused here, at start, like a bad term.
            for text in self._anchor_of:
                if "*" in text:
                    compile_term(text, "word")
        except ValueError as exc:  # a term the matcher cannot compile, e.g. "ab*"
            raise ConfigError(f"{taxonomy.source}: {exc}") from exc
        # The roles as flat lists: read once per hit, in the hot loop.
        self._topic_of = [r.topic for r in roles]
        self._weights = [r.weight for r in roles]
        self._kind_index = [(r.role, r.index) for r in roles]

    def warm_up(self) -> None:
        """The tables in memory as dicts (a daemon's warm-up thread): read from the cache
        as sorted tables on first use, they would be built on some later article's time
        (sorted_table.py), a spike in its drop-to-alert latency."""
        self.matcher.load()
        self._anchors.warm_up()

    def tag(self, doc: Document) -> tuple[TopicTag, ...]:
        """The topics whose score reaches their threshold, best first, with evidence."""
        return self.decide(doc)[0]

    def decide(self, doc: Document) -> tuple[tuple[TopicTag, ...], tuple[Refusal, ...]]:
        """The topics given (best first, with evidence), and those whose terms reached
        the threshold but whose context refused them (with the reason)."""
        by_topic: dict[str, list[Hit]] = defaultdict(list)
        topic_of = self._topic_of
        for hit in self.matcher.find(doc):
            by_topic[topic_of[hit.term]].append(hit)
        tags: list[TopicTag] = []
        refused: list[Refusal] = []
        context = _Context(doc, self._anchors, self._anchor_of)
        for topic, hits in by_topic.items():
            out = self._score(topic, self.taxonomy.topics[topic], hits, doc, context)
            if isinstance(out, TopicTag):
                tags.append(out)
            elif out is not None:
                refused.append(out)
        if self.decision is not None and tags and len(doc.tokens) <= self.decision.max_words:
            tags, second = self.decision.review(tags, self._thresholds, doc)
            refused += second
        if self.beat is not None and tags:
            tags, off = self.beat.review(tags, doc)
            refused += off
        return tuple(sorted(tags, key=lambda t: -t.score)), tuple(refused)

    def _score(
        self, topic: str, rule: TopicRule, hits: Sequence[Hit], doc: Document, context: _Context
    ) -> TopicTag | Refusal | None:
        terms, weights, kind_index = self.matcher.terms, self._weights, self._kind_index
        # Only the rules a hit reaches get an entry: a topic has a dozen exclusions and a
        # few near rules, and most of its hits are weighted terms.
        excluded: dict[int, list[Hit]] = {}
        lifted: set[int] = set()  # vetoes an `unless` term lifts
        groups: set[int] = set()
        near_a: dict[int, list[Hit]] = {}
        near_b: dict[int, list[Hit]] = {}
        weighted: list[Hit] = []
        ceiling = 0.0  # what the weighted terms could score at most
        for hit in hits:
            kind, index = kind_index[hit.term]
            if kind == _WEIGHTED:
                weighted.append(hit)
                weight = weights[hit.term]
                if weight > 0.0:
                    ceiling += weight
            elif kind == _GROUP:
                groups.add(index)
            elif kind == _EXCLUDE:
                excluded.setdefault(index, []).append(hit)
            elif kind == _NEAR_A:
                near_a.setdefault(index, []).append(hit)
            elif kind == _NEAR_B:
                near_b.setdefault(index, []).append(hit)
            else:
                lifted.add(index)
        if len(groups) < len(rule.all):
            return None
        threshold = rule.threshold
        if len(doc.tokens) < rule.full_words:
            floor = min(rule.threshold, rule.short_threshold or _SHORT_THRESHOLD)
            threshold = max(floor, rule.threshold * len(doc.tokens) / rule.full_words)
        # Most topics a document touches stay far below their threshold: stop before
        # the exclusions and proximity are worked out.
        near_rules = rule.near
        if near_a:  # summed apart and then added, in the rule's order, as before
            ceiling += sum(max(near_rules[n].weight, 0.0) * len(near_a[n]) for n in sorted(near_a))
        if ceiling < threshold:
            return None
        # Tokens a NOT term blocks: its own span, widened by `within` words each side.
        blocked: set[int] = set()
        blockers: list[Exclusion] = []
        for e in sorted(excluded):  # in the rule's order: its first veto is the one named
            excl = rule.exclude[e]
            if excl.within is None:  # a NOT term anywhere vetoes the topic
                if e in lifted:  # ... unless the article also names one of its exceptions
                    continue
                term = terms[excluded[e][0].term].text
                return Refusal(topic, round(ceiling, 2), veto_reason(term, excl.label))
            blocked |= _zone(excluded[e], excl.within)
            blockers.append(excl)

        found: dict[str, list[int]] = {}  # term -> token positions
        score = 0.0
        best: tuple[float, int] | None = None
        # A phrase counts once, not once more for each of its words (صفقة أسلحة, أسلحة);
        # of two terms on the same words, the heavier counts.
        for hit in longest_first(weighted, weight=lambda h: weights[h.term]):
            if blocked and _touches(hit, blocked):
                continue
            weight = weights[hit.term]
            score += weight
            found.setdefault(terms[hit.term].text, []).append(hit.start)
            if best is None or weight > best[0]:
                best = (weight, hit.start)
        for n, near in enumerate(near_rules):
            if n not in near_a or n not in near_b:
                continue
            within = near.within
            around = _zone(near_b[n], within)
            # One word is one pair: "delivered" is both the rule's "deliver" (with the -ed
            # matching adds) and its "delivered", and a phrase holds its shorter terms.
            pairs = [
                a
                for a in longest_first(near_a[n])
                if _touches(a, around) and not (blocked and _touches(a, blocked))
            ]
            if pairs:
                score += near.weight * len(pairs)
                # The words found, not the rule's first ones: evidence in the text's language.
                # (The first B whose zone the pair touches, as arithmetic on the spans.)
                a = pairs[0]
                first_b = next(
                    b for b in near_b[n] if a.start < b.end + within and a.end > b.start - within
                )
                label = f"{terms[a.term].text} NEAR/{within} {terms[first_b.term].text}"
                found.setdefault(label, []).extend([p.start for p in pairs])
                if best is None or near.weight > best[0]:
                    best = (near.weight, a.start)
        if score < threshold or best is None:
            if blockers and ceiling >= threshold:
                shown = [terms[h.term].text for e in sorted(excluded) for h in excluded[e]]
                label = next((b.label for b in blockers if b.label), "")
                return Refusal(topic, round(score, 2), blocked_reason(shown, label))
            return None
        if rule.anchors:
            lang = context.language()
            needed = rule.anchors.get(lang)  # type: ignore[call-overload]
            if needed and not context.anchored(topic, lang):
                return Refusal(topic, round(score, 2), anchor_reason(needed))
        matches = tuple(
            Match(term, len(pos), tuple(pos))
            for term, pos in sorted(found.items(), key=lambda kv: -len(kv[1]))
        )
        return TopicTag(topic, round(score, 2), matches, doc.snippet(best[1]))


def _zone(hits: Sequence[Hit], within: int) -> set[int]:
    """Token positions within `within` words of any of these hits (their own included)."""
    zone: set[int] = set()
    for h in hits:
        zone.update(range(h.start - within, h.end + within))
    return zone


def _touches(hit: Hit, zone: set[int]) -> bool:
    start, end = hit[1], hit[2]
    return start in zone or (end - start > 1 and not zone.isdisjoint(range(start + 1, end)))
