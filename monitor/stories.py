"""Stories: articles that report the same event, grouped so an event alerts once.

Three signals decide, because no one of them is enough (NOTES.md): two visits a year apart
have the same actors and much the same words, and one event is told in different words by
each outlet.

- Time: an article joins only a story with a member within `window_days` of it. An
  article's day is its published date; without one, all we know is that it was published
  on or before the day we first saw it, so it may join an older story (a file dropped
  today about last year's summit) but not one with a member dated more than the window
  after that day. An undated report whose text names one day ("on Tuesday", "19 June")
  says when, read against its arrival (text_dates.date_said): a story dated within the
  window of that day is met at the dated bar (`arrival_dates`).
- Content: the mean cosine between the article's TF-IDF vector and each member's, every
  vector cut to its strongest terms and made a unit vector again (the story's profile is
  the sum of its members', so the mean is one dot product over the member count). At
  least `similarity`; or the lower `dated_similarity` when the article and the story both
  have published dates, in the window: time is then evidence of its own. An undated
  article has only words to go on, and undated reports are what joins look-alike events a
  year apart (python -m monitor.evaluation.stories). The mean (average linkage), not the
  cosine with the profile (the centroid): a centroid drifts as a story grows and draws in
  the next event with the same actors; at equal precision the mean keeps more of each
  event together on tests/data/stories (README).
  Terms are normalised words without the Arabic article and function words; IDF comes
  from document frequencies kept in the store plus those of the article's batch, so words
  every article uses (the country names of a beat) weigh little and the telling ones (a
  place, a date, a minister) weigh much.
- Entities: the tagger's canonical names enter the vector as features of their own, with
  extra weight, so an Arabic and a transliterated spelling meet; and when both sides name
  people or places, they must share at least one.

Articles that arrive together (a backlog, a feed poll) are grouped as a whole before the
first is stored (Plan), so the stories do not depend on the order of the files: by
average linkage, or (`[stories] batch = "stream"`) each placed by the stream's own rule in
an order of the batch's own (story_batch.py); a stream article is a batch of one. As a
story grows, the writer groups its members again the way a batch would (story_review.py)
and splits off a second event found among them.

Candidate stories come from an indexed key table (the article's top terms and entities),
most recent first per key, so assignment costs a few index reads, not a scan of the window.
A small hand-written vector suits: scikit-learn's TfidfVectorizer needs the whole corpus
in memory to fit, and ours grows one article at a time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from monitor.background import Background
from monitor.crosslingual import (
    ARABIC,
    CONCEPT,
    LATIN,
    concept_cosine,
    content_dot,
    name_cosine,
    other_language,
    same_language_score,
    scripts,
)
from monitor.dedup import hash_of, words_of
from monitor.event_lexicon import EventLexicon
from monitor.models import Article, StoryLink
from monitor.novelty import name_novelty
from monitor.story_batch import plan_placed, stored_id
from monitor.story_model import (
    Features,
    Group,
    Plan,
    StoryIndex,
    StoryRow,
    as_date,
    day_of,
    label_of,
    unit_vector,
)
from monitor.term_forms import terms, terms_of
from monitor.text.normalize import words
from monitor.text_dates import date_said, days_agree, days_said, weekdays_agree, weekdays_said

ARTICLE_TERMS = 60  # an article's strongest terms, added to its story's profile
# What finds (and later finds again) an article's story: its most telling terms by TF-IDF,
# its most repeated ones (the subject, which the telling ones of another report may miss),
# and its entities.
KEY_TERMS = 16
KEY_FREQUENT = 8
# A named person or place says more about the event than a word, and names are the same
# in Arabic and English reports; 4 was chosen on tests/data/stories/dev.jsonl (docs/stories.md).
# With the background frequencies on, 2 did best on the real set's dev split.
ENTITY_WEIGHT = 4.0
ENTITY = "@"  # prefix of entity features in vectors and keys
CANDIDATES = 8  # stories scored per article (or per group of a batch)
# The keys most shared within a group that find its candidate stories: more than one
# article has (about 40 at most), and far below SQLite's 500 terms in one compound query.
GROUP_KEYS = 96
PER_KEY = 40  # most recent stories read per key
NEAR = 3  # other candidates a link keeps, for a later merge of its story (story_merge.py)


class Stories:
    def __init__(
        self,
        window_days: float,
        similarity: float,
        dated_similarity: float | None = None,
        background: Background | None = None,
        entity_weight: float = ENTITY_WEIGHT,
        cross_similarity: float | None = None,
        novel_similarity: float | None = None,
        novelty: float = 0.0,
        cross_novel_similarity: float | None = None,
        same_language: bool = False,
        *,
        same_language_known: bool = False,
        weekday_similarity: float | None = None,
        day_similarity: float | None = None,
        arrival_dates: bool = False,
        batch_placed: bool = False,
        batch_merge: bool = True,
        lexicon: EventLexicon | None = None,
        concept_share: float = 0.0,
        concept_similarity: float | None = None,
    ) -> None:
        self.window = timedelta(days=window_days)
        self.similarity = similarity
        self.dated_similarity = similarity if dated_similarity is None else dated_similarity
        # None: the store's (and batch's) counts alone. Opt-in ([stories]
        # background_weight): better on the real set, worse on the seeds (docs/stories.md).
        self.background = background
        self.entity_weight = entity_weight
        # None: a report meets a story in the other language like any other (words and
        # names in one vector); else by names alone, against this bar (crosslingual.py).
        self.cross_similarity = cross_similarity
        # None: off. Else a report without dates to go on may also join at this lower
        # bar when at most `novelty` of its names' weight is new to the story (novelty.py).
        self.novel_similarity = novel_similarity
        self.novelty = novelty
        # None: off. Else the names-alone bar for a report that names nothing new to the
        # story (at most `novelty` of its name weight new): one event's reports in two
        # languages share its names, and a look-alike event brings names of its own.
        self.cross_novel_similarity = cross_novel_similarity
        # A story told in both languages: a report is also measured against the members
        # in its own language (crosslingual.same_language_score).
        self.same_language = same_language
        # True: ... and so is a story in both languages when the report names nothing new
        # to it (at most `novelty` of its name weight): a look-alike event names someone
        # of its own (issue 18's sixth round, docs/stories.md).
        self.same_language_known = same_language_known
        # None: off. Else the bar for an undated report whose text names a weekday on
        # which the story's dated reports fall (text_dates.py): time, as a date is.
        self.weekday_similarity = weekday_similarity
        # None: off. Else the bar for an undated report whose text names a day of the
        # month within a day of the story's dated reports (text_dates.days_agree).
        self.day_similarity = day_similarity
        # True: an undated report whose text names one day (19 June, Tuesday), read
        # against its arrival (text_dates.date_said), meets a story whose dated reports
        # are within the window of that day at the dated bar.
        self.arrival_dates = arrival_dates
        # False: a batch is grouped by average linkage (story_linkage.py); True: placed
        # report by report by the stream's rule, in an order of its own (story_batch.py).
        self.batch_placed = batch_placed
        # With batch_placed: the stream's story merge too ([stories] review and merge).
        self.batch_merge = batch_merge
        # None: off. Else each event word also counts as its concept (`#visit`), a feature
        # both languages share (event_lexicon.py), and `concept_share` of the comparison
        # with a story in the other language is their cosine (crosslingual.name_cosine).
        self.lexicon = lexicon
        self.concept_share = concept_share if lexicon is not None else 0.0
        # None: off. Else concepts that agree this much stand in for names that do not
        # add new ones, for the lower names-alone bar (_concepts_agree).
        self.concept_similarity = concept_similarity if lexicon is not None else None

    def counts(self, article: Article) -> Counter[str]:
        """The article's terms and entity features, with their counts."""
        # terms() of the title and body: the body's words as split when it was made
        # (words_of), not split again; \\w+ words never span the line break that joined
        # the two, so the counts are the same (issue 19).
        counted = Counter(words(article.title or ""))
        counted.update(words_of(article))
        counts = terms_of(counted)
        if self.background is not None:
            folded: Counter[str] = Counter()
            for term, n in counts.items():
                folded[self.background.fold(term)] += n
            counts = folded
        if self.lexicon is not None:
            concepts: Counter[str] = Counter()
            for term, n in counts.items():
                concept = self.lexicon.concept(term)
                if concept is not None:
                    concepts[CONCEPT + concept] += n
            counts.update(concepts)
        for entity in article.entities:
            counts[ENTITY + entity.name] += max(1, entity.count)
        return counts

    def plan(self, articles: Sequence[Article], index: StoryIndex) -> Plan:
        """Weigh the batch's articles against the store's document frequencies plus the
        batch's own, and group them. The counts include each article itself, as a corpus
        does that it belongs to, so a batch of one is weighed like a larger one.

        An exact copy (of a stored article, or of one earlier in the batch) will be stored
        as a copy and join its original's story: it is no document of its own and no
        member of a group, so it neither doubles the counts nor pulls a group towards its
        original. (A near copy is only known as one when it is checked, in order: until
        then it counts like any article.)"""
        n = len(articles)
        counts = [self.counts(a) for a in articles]
        # A batch of one is its own original: its copy check comes next, in the dedup step,
        # which hashes the body anyway (a stream article is not hashed twice).
        digests = [hash_of(a) for a in articles] if n > 1 else [""] * n  # made with its words
        originals: list[int] = []
        distinct: set[str] = set()
        for i, digest in enumerate(digests):
            if digest in distinct or (n > 1 and index.find_by_body_hash(digest) is not None):
                continue
            distinct.add(digest)
            originals.append(i)
        batch_df: Counter[str] = Counter()
        for i in originals:
            batch_df.update(counts[i].keys())
        total, df = index.document_frequencies({t for c in counts for t in c})
        total += len(originals)
        for term, k in batch_df.items():
            df[term] = df.get(term, 0) + k
        if self.background is not None:
            total, df = self._with_background(total, df, {t for c in counts for t in c})
        features = [self._features(a, c, total, df) for a, c in zip(articles, counts, strict=True)]
        # Grouped in an order of their own (by content), so that even exact ties between
        # pairs fall the same way whatever the order of arrival.
        order = sorted(originals, key=lambda i: (digests[i], articles[i].item.origin))
        keys = [id(a.item) for a in articles]
        if n > 1 and self.batch_placed:  # as the stream places them, in an order of its own
            return plan_placed(self, articles, features, order, keys, index)
        labels, mean = self._average_linkage([features[i] for i in order])
        group = {i: i for i in range(n)}  # a group is named by one of its articles
        cohesion = dict.fromkeys(range(n), 1.0)
        for position, i in enumerate(order):
            group[i], cohesion[i] = order[labels[position]], mean[position]
        members: dict[int, list[int]] = {}
        for i in range(n):  # in arrival order
            members.setdefault(group[i], []).append(keys[i])
        by_key = dict(zip(keys, features, strict=True))
        grouped = {group[i] for i in originals}
        # Read before any article of the batch is stored: every group meets the stories
        # as they were, so which group joins what does not depend on order. A batch of
        # one cannot change them first: its search waits until it is known not to be a
        # copy (most of a stream's copies never need it).
        scored = (
            {}
            if n == 1
            else {
                g: self._scored([by_key[k] for k in ks], index) if g in grouped else (None, ())
                for g, ks in members.items()
            }
        )
        return Plan(
            features=by_key,
            group={keys[i]: group[i] for i in range(n)},
            members=members,
            cohesion={keys[i]: cohesion[i] for i in range(n)},
            joins={g: best for g, (best, _) in scored.items()},
            near={g: near for g, (_, near) in scored.items()},
            items=[a.item for a in articles],
        )

    def _with_background(
        self, total: int, df: dict[str, int], features: set[str]
    ) -> tuple[float, dict[str, float]]:
        """The store's (and batch's) counts plus the background's, which counts as
        `background.weight` documents: from the first article on, a beat's everyday names
        weigh little; as the store grows its own counts take over."""
        assert self.background is not None
        bg = self.background
        out: dict[str, float] = {}
        for term in features:
            if term.startswith(ENTITY):  # a name is as common as the rarest of its words
                shares = [bg.share(t) for t in terms(term[1:])] or [0.0]
                prior = bg.weight * min(shares)
            else:
                prior = bg.prior_df(term)
            out[term] = df.get(term, 0) + prior
        return total + bg.weight, out

    def _features(
        self, article: Article, counts: Counter[str], total: float, df: dict[str, float]
    ) -> Features:
        """The article as the story step compares it: TF-IDF weights against the given
        counts, cut to the strongest terms, and the keys that find its candidate stories."""
        vector: dict[str, float] = {}
        for term, n in counts.items():
            # Smoothed IDF as scikit-learn computes it; sublinear TF so a name repeated
            # twenty times does not drown the rest.
            weight = (1 + math.log(n)) * (math.log((total + 1) / (df.get(term, 0) + 1)) + 1)
            vector[term] = weight * (self.entity_weight if term.startswith(ENTITY) else 1.0)
        ranked = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))
        top = [kv for kv in ranked if not kv[0].startswith(CONCEPT)]
        words_only = [t for t, _ in top if not t.startswith(ENTITY)]
        frequent = sorted(words_only, key=lambda t: (-counts[t], t))[:KEY_FREQUENT]
        entities = frozenset(t for t in counts if t.startswith(ENTITY))
        cut = unit_vector(dict(top[:ARTICLE_TERMS]))  # keeps top's order: strongest first
        if self.lexicon is not None:
            # Concepts ride along outside the unit vector, on the words' scale: the
            # cosine of words and names stays what it was (content_dot leaves them out),
            # and only the comparison across languages reads them (crosslingual.py).
            norm = math.sqrt(sum(w * w for _, w in top[:ARTICLE_TERMS])) or 1.0
            cut.update((t, w / norm) for t, w in ranked if t.startswith(CONCEPT))
        # When, as an undated report's text says it (text_dates.py); a dated one has its date.
        said = [] if article.published else [*words(article.title or ""), *words_of(article)]
        return Features(
            # What is compared and what the story keeps of a member: the strongest terms,
            # made a unit vector again, so a story's profile (their sum) over its member
            # count is the mean of the cosines with each member.
            cut=cut,
            entities=entities,
            vocabulary=tuple(sorted(counts)),
            keys=tuple(dict.fromkeys([*words_only[:KEY_TERMS], *frequent, *sorted(entities)])),
            date=day_of(article.published),
            seen=article.item.seen_at.date().isoformat(),
            scripts=scripts(cut),
            weekdays=weekdays_said(said),
            days=days_said(said) if self.day_similarity is not None else 0,
            said=date_said(said, article.item.seen_at.date())
            if said and self.arrival_dates
            else None,
        )

    def assign(self, article: Article, index: StoryIndex, plan: Plan | None = None) -> StoryLink:
        """The story this article joins, or a new one it starts. `plan` is its batch's
        (Stories.plan), made before any article of the batch was stored; without one the
        article is a batch of its own. The score is the similarity to what it joined: its
        group's mean cosine with a stored story, or its own mean cosine with the rest of a
        group that began a story in this batch (1.0 for the article that began it)."""
        plan = plan or self.plan([article], index)
        key = id(article.item)
        f = plan.features[key]
        group = plan.group[key]
        if article.duplicate_of is not None:
            original = index.story_of(article.duplicate_of)
            if original is not None:  # a copy joins its original's story, whatever it says,
                return self._link(article, f, original, False, 1.0)  # and leaves its group
        revision = article.revision
        if revision is not None and revision.original and revision.story is not None:
            # A later version of an original stays in its story (docs/revisions.md); its
            # group, if it has one of its own yet, follows it there.
            plan.story.setdefault(group, revision.story)
            return self._link(article, f, revision.story, False, 1.0)
        if group not in plan.joins:  # a batch of one (see plan())
            plan.joins[group], plan.near[group] = self._scored(
                [plan.features[k] for k in plan.members[group]], index
            )
        joined = plan.joins[group]
        near = plan.article_near.get(key, plan.near.get(group, ()))
        if plan.local:  # stories begun in the batch: by their ids once they have them
            near = tuple(filter(None, (stored_id(s, plan) for s in near)))
        if joined is not None:
            return self._link(article, f, joined[1], False, plan.scores.get(key, joined[0]), near)
        begun = plan.story.get(group)
        if begun is not None:
            return self._link(article, f, begun, False, plan.cohesion[key], near)
        story = f"{f.date or f.seen}-{(article.body_hash or article.item.sha256)[:8]}"
        plan.story[group] = story
        return self._link(article, f, story, True, 1.0, near)

    def _best_story(
        self, members: list[Features], index: StoryIndex, exclude: str | None = None
    ) -> tuple[float, str] | None:
        """The stored story a group joins: the mean cosine of its members with the story's
        members (average linkage again), every member in the window. `exclude`: a story
        the group is (story_merge.py asks which other story a stored story would join)."""
        best, _ = self._scored(members, index, exclude)
        return best

    def _scored(
        self, members: list[Features], index: StoryIndex, exclude: str | None = None
    ) -> tuple[tuple[float, str] | None, tuple[str, ...]]:
        """_best_story, and the other candidates that met the time and name rules, best
        first (at most NEAR): the stories the group's story may later be merged with."""
        # The keys most of the group shares: a large group's every key would be hundreds
        # of index reads for the same few stories (and too many for one query).
        shared = Counter(k for m in members for k in m.keys)
        keys = sorted(shared, key=lambda k: (-shared[k], k))[:GROUP_KEYS]  # not by arrival
        group = Group.of(members)
        rows = [r for r in index.story_candidates(keys, PER_KEY) if r.id != exclude][:CANDIDATES]
        if self.cross_similarity is not None and group.entities:
            # A story in the other language shares only names with the group: by all its
            # keys, stories in the group's own language crowd it out of the candidates.
            seen = {row.id for row in rows}
            by_name = sorted(k for k in keys if k.startswith(ENTITY))
            rows += [
                row
                for row in index.story_candidates(by_name, PER_KEY)[:CANDIDATES]
                if row.id not in seen
                and row.id != exclude
                and other_language(group.written, scripts(row.profile))
            ]
        best: tuple[float, str] | None = None
        near: list[tuple[float, str]] = []
        for row in rows:
            judged = self.judge(group, row)
            if judged is None:
                continue
            score, joins = judged
            near.append((score, row.id))
            if joins and (best is None or score > best[0]):
                best = (score, row.id)
        others = sorted((s for s in near if best is None or s[1] != best[1]), reverse=True)
        return best, tuple(story for _, story in others[:NEAR])

    def judge(self, group: Group, row: StoryRow) -> tuple[float, bool] | None:
        """The group's score with a stored story and whether it clears its bar; None when
        the time or name rules rule the story out."""
        members = group.members
        if group.entities and not _shares_entity(group.entities, row.profile):
            return None
        if not all(self.in_window(m.date, m.seen, row) for m in members):
            return None
        story_scripts = scripts(row.profile)
        by_name = None
        if self.cross_similarity is not None and other_language(
            group.written, story_scripts
        ):  # a story told only in the other language so far: names with names too
            by_name = sum(
                name_cosine(m.cut, row.profile, self.concept_share) for m in members
            ) / len(members)
        # The mean over members of each one's dot product with the profile is the dot
        # product of their sum: one per candidate, not one per member and candidate.
        score = content_dot(group.summed, row.profile)
        score /= len(members) * max(1, row.articles)
        novelty: float | None = None
        if (
            (self.same_language or self.same_language_known)
            and group.written in (ARABIC, LATIN)
            and story_scripts == ARABIC | LATIN
        ):
            if not self.same_language:
                novelty = name_novelty(members, row.profile)
            if self.same_language or novelty <= self.novelty:  # type: ignore[operator]
                score = max(
                    score,
                    same_language_score(
                        group.summed, len(group.members), group.written, row.profile, row.articles
                    ),
                )
        # Both dated (and in the window): time is evidence of its own.
        need = self.dated_similarity if group.dated and row.date_lo is not None else self.similarity
        if (
            group.said is not None
            and row.date_lo is not None
            and row.date_hi is not None
            and self._within(group.said, row.date_lo, row.date_hi)
        ):  # undated, but the day its text says (read against arrival) is the story's
            need = min(need, self.dated_similarity)
        if (
            self.weekday_similarity is not None
            and need > self.weekday_similarity
            and not group.dated
            and row.date_lo is not None
            and row.date_hi is not None
            and weekdays_agree(group.weekdays, row.date_lo, row.date_hi)
        ):  # undated, but its text names a day on which the story's dated reports fall
            need = self.weekday_similarity
        if (
            self.day_similarity is not None
            and need > self.day_similarity
            and group.days
            and not group.dated
            and row.date_lo is not None
            and row.date_hi is not None
            and days_agree(group.days, row.date_lo, row.date_hi)
        ):  # undated, but its text names the day (and month) of the story's dated reports
            need = self.day_similarity
        if (
            self.novel_similarity is not None
            and need > self.novel_similarity
            and score >= self.novel_similarity
        ):
            if novelty is None:
                novelty = name_novelty(members, row.profile)
            if novelty <= self.novelty:
                need = self.novel_similarity  # it names nothing the story lacks
        if by_name is not None and self.cross_similarity is not None:
            cross_need = self.cross_similarity
            if self.cross_novel_similarity is not None and by_name >= self.cross_novel_similarity:
                if novelty is None:
                    novelty = name_novelty(members, row.profile)
                if novelty <= self.novelty or self._concepts_agree(members, row.profile):
                    cross_need = min(cross_need, self.cross_novel_similarity)
            # on the scale of the other bars: by how much it clears its own
            score = max(score, by_name - cross_need + need)
        return score, score >= need

    def _within(self, said: tuple[str, str], lo: str, hi: str) -> bool:
        """Are the days a group's texts say within the window of a story's dated span?"""
        return (
            as_date(said[0]) <= as_date(hi) + self.window
            and as_date(lo) <= as_date(said[1]) + self.window
        )

    def _concepts_agree(self, members: list[Features], profile: dict[str, float]) -> bool:
        """Do the group's event concepts agree with the story's, at least
        `concept_similarity` (their mean cosine)? Then new names need not rule out the
        lower names-alone bar: outlets in two languages name different officials."""
        if self.concept_similarity is None:
            return False
        cosines = [concept_cosine(m.cut, profile) or 0.0 for m in members]
        return sum(cosines) / len(cosines) >= self.concept_similarity

    def _average_linkage(self, features: list[Features]) -> tuple[list[int], list[float]]:
        """Group a batch (story_linkage.py); returns each article's group and its mean
        cosine with the rest of its group."""
        from monitor.story_linkage import average_linkage

        return average_linkage(self, features)

    def in_window(self, day: str | None, seen: str, row: StoryRow) -> bool:
        """Could this article and some member of the story be within the window?"""
        if day is None:
            # Published on or before `seen`: compatible unless the story has a member
            # dated more than the window after it (the rule a batch's grouping follows).
            return row.date_hi is None or as_date(row.date_hi) <= as_date(seen) + self.window
        d = as_date(day)
        if row.undated_seen is not None and d > as_date(row.undated_seen) + self.window:
            return False  # those members were out before `undated_seen`
        if row.date_lo is None or row.date_hi is None:
            return True
        return as_date(row.date_lo) - self.window <= d <= as_date(row.date_hi) + self.window

    @staticmethod
    def _link(
        article: Article,
        f: Features,
        story: str,
        new: bool,
        score: float,
        near: tuple[str, ...] = (),
    ) -> StoryLink:
        return StoryLink(
            story=story,
            new=new,
            score=round(score, 4),
            label=label_of(article),
            date=f.date,
            seen=f.seen,
            terms=tuple((t, round(w, 5)) for t, w in f.cut.items()),
            keys=f.keys,
            vocabulary=f.vocabulary,
            near=near,
        )


def _shares_entity(entities: frozenset[str], profile: dict[str, float]) -> bool:
    theirs = [t for t in profile if t.startswith(ENTITY)]
    return not theirs or any(t in entities for t in theirs)
