"""How the story step weighs an article: its terms and names as a TF-IDF vector, cut to
its strongest terms, and the keys that find its candidate stories.

Terms are normalised words without the Arabic article and function words (English words
stemmed, ordinals as numbers: term_forms.py); IDF comes from document frequencies kept in
the store plus those of the article's batch (and, opt-in, a background: background.py),
so words every article uses (the country names of a beat) weigh little and the telling
ones (a place, a date, a minister) weigh much. The tagger's canonical names enter the
vector as features of their own, with extra weight, so an Arabic and a transliterated
spelling meet. A small hand-written vector suits: scikit-learn's TfidfVectorizer needs the
whole corpus in memory to fit, and ours grows one article at a time.

Apart from stories.py (which places articles) and same_event.py (which judges them), so
the story review weighs its members exactly as the story step does.
"""

from __future__ import annotations

import math
from collections import Counter

from monitor.background import Background
from monitor.config import StoriesConfig
from monitor.crosslingual import CONCEPT, scripts
from monitor.dedup import words_of
from monitor.event_lexicon import EventLexicon
from monitor.event_numbers import NUMBER, event_number_counts
from monitor.models import Article
from monitor.same_event import ENTITY
from monitor.story_model import Features, day_of, unit_vector
from monitor.term_forms import terms, terms_of
from monitor.text.normalize import words
from monitor.text_dates import date_said, days_said, weekdays_said

ARTICLE_TERMS = 60  # an article's strongest terms, added to its story's profile
# What finds (and later finds again) an article's story: its most telling terms by TF-IDF,
# its most repeated ones (the subject, which the telling ones of another report may miss),
# and its entities.
KEY_TERMS = 16
KEY_FREQUENT = 8


class Weights:
    """The weighing settings of [stories]: the name weight, the background and event
    lexicon when on, and which dates an undated report's text is read for."""

    def __init__(
        self,
        config: StoriesConfig,
        background: Background | None = None,
        lexicon: EventLexicon | None = None,
    ) -> None:
        # None: the store's (and batch's) counts alone. Opt-in ([stories]
        # background_weight): better on the real set, worse on the seeds (docs/stories.md).
        self.background = background
        # A named person or place says more about the event than a word, and names are the
        # same in Arabic and English reports (docs/stories.md).
        self.entity_weight = config.entity_weight
        # None: off. Else each event word also counts as its concept (`#visit`), a feature
        # both languages share (event_lexicon.py).
        self.lexicon = lexicon
        # Event numbers as features (event_numbers.py), when `number_margin` reads them.
        self.numbers = bool(config.number_margin)
        self.days = bool(config.day_similarity)  # days of the month read from the text
        self.arrival_dates = config.arrival_dates  # one day read against arrival

    def counts(self, article: Article) -> Counter[str]:
        """The article's terms and entity features, with their counts."""
        # terms() of the title and body: the body's words as split when it was made
        # (words_of), not split again; \\w+ words never span the line break that joined
        # the two, so the counts are the same (issue 19).
        title, body = words(article.title or ""), words_of(article)
        counted = Counter(title)
        counted.update(body)
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
        if self.numbers:  # the numbers that name an occurrence (event_numbers.py)
            text = f"{article.title or ''}\n{article.body}"
            for number, n in event_number_counts(text, [*title, *body]).items():
                counts[NUMBER + number] += n
        for entity in article.entities:
            counts[ENTITY + entity.name] += max(1, entity.count)
        return counts

    def with_background(
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

    def features(
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
        if self.lexicon is not None or self.numbers:
            # Concepts (and event numbers) ride along outside the unit vector, on the
            # words' scale: the cosine of words and names stays what it was (content_dot
            # leaves them out), and only the comparison across languages reads them
            # (crosslingual.py).
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
            days=days_said(said) if self.days else 0,
            said=date_said(said, article.item.seen_at.date())
            if said and self.arrival_dates
            else None,
        )
