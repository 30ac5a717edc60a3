"""A batch's grouping: average-linkage clustering under the story step's rules.

Used where reports are grouped as a whole: a batch before its first article is stored
(Stories.plan) and a growing story's latest members (story_review.py), so the stream and
the batch share one notion of "same event" (the same bars, time, name, language and novelty
rules an article meets against a stored story, SameEvent.judge).
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from monitor.crosslingual import ARABIC, CONCEPT, LATIN, NUMBER
from monitor.event_numbers import MAIN_MARGIN
from monitor.novelty import pair_novelties
from monitor.same_event import SAME_DAY_GAP, SAME_DAY_SPAN
from monitor.story_model import as_date
from monitor.text_dates import ALL, span_days, span_weekdays

if TYPE_CHECKING:  # numpy is imported where batches are grouped
    import numpy as np

    from monitor.stories import Stories
    from monitor.story_model import Features


def average_linkage(stories: Stories, features: list[Features]) -> tuple[list[int], list[float]]:
    """Group a batch: repeatedly merge the two groups with the highest mean cosine
    between their members, while it reaches the bar and the pair is compatible by the
    rules an article and a story follow: the dated members within the window of each
    other, none later than the window after an undated member was first seen (it was
    out by then), no group that began more than the window after an undated member
    was seen, and a shared entity when both name some. As with a story, a group with
    a dated member counts as dated: two such groups meet the lower dated bar.
    Returns each article's group and its mean cosine with the rest of its group.

    Written here rather than taken from scipy's linkage: the bar and the
    compatibility of a pair change as groups merge (dates, names), which a fixed
    distance matrix cannot express; numpy does the arithmetic. Each merge updates one
    row, so a batch of n costs n merges of an n-by-n maximum."""
    import numpy as np

    n = len(features)
    if n <= 1:
        return [0] * n, [1.0] * n
    # words and names: the event concepts are for the comparison across languages alone
    cosines = _cosines([f.compared for f in features])
    sums = cosines.copy()  # between two groups: the sum of their members' cosines
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    names = {t: i for i, t in enumerate({t for f in features for t in f.entities})}
    e = np.zeros((n, max(1, len(names))))
    for i, f in enumerate(features):
        e[i, [names[t] for t in f.entities]] = 1.0
    shared = (e @ e.T) > 0
    named = e.any(axis=1)
    # Groups that share no script meet by their names alone (crosslingual.py): the
    # sums of their members' name weights, and which scripts each group is written in.
    weights = np.zeros_like(e)
    for i, f in enumerate(features):
        weights[i, [names[t] for t in f.entities]] = [f.cut.get(t, 0.0) for t in f.entities]
    written = np.array([f.scripts for f in features])
    # Groups in no common script are also compared on their event words' concepts, when
    # the story step adds them (crosslingual.name_cosine): their summed weights too.
    concept_terms = {
        t for f in features for t in f.cut if t[:1] == CONCEPT and not t.startswith(NUMBER)
    }
    # Event numbers (event_numbers.py): two groups naming some and none in common meet a
    # higher bar, as a report and a story do (SameEvent.judge).
    number_terms = {t: k for k, t in enumerate({t for f in features for t in f.numbers})}
    numbered = np.zeros((n, max(1, len(number_terms))), dtype=bool)
    number_weights = np.zeros((n, max(1, len(number_terms))))  # summed, for the main ordinal
    for i, f in enumerate(features):
        for t, weight in f.numbers.items():
            numbered[i, number_terms[t]] = True
            number_weights[i, number_terms[t]] = weight
    # a column mask per kind (ordinals, designations), in the columns' order
    number_kinds = [np.array([t[len(NUMBER)] == letter for t in number_terms]) for letter in "om"]
    concepts = {t: i for i, t in enumerate(concept_terms)}
    ideas = np.zeros((n, max(1, len(concepts))))
    for i, f in enumerate(features):
        held = [t for t in f.cut if t in concepts]
        ideas[i, [concepts[t] for t in held]] = [f.cut[t] for t in held]
    # Pairs written in one language, for a group told in both (SameEvent.same_language):
    # the sum of their cosines and how many there are between two groups.
    # As the stream estimates it: words over the pairs in one language, names over all.
    arabic = (written == ARABIC).astype(float)
    latin = (written == LATIN).astype(float)
    sums_by_language: tuple[np.ndarray, ...] = ()  # (words in one language, names)
    if stories.same_language or stories.same_language_known:
        name_sums = _cosines([f.names for f in features])
        np.fill_diagonal(name_sums, 0.0)
        same_sums = (cosines - name_sums) * (np.outer(arabic, arabic) + np.outer(latin, latin))
        sums_by_language = (same_sums, name_sums)
    w = stories.window.days + stories.window.seconds / 86400
    inf = math.inf
    days = [None if f.date is None else as_date(f.date).toordinal() for f in features]
    seens = [as_date(f.seen).toordinal() for f in features]
    lo = np.array([inf if d is None else d for d in days], dtype=float)
    hi = np.array([-inf if d is None else d for d in days], dtype=float)
    # an undated article's day of first sight (it was published on or before it)
    seen = np.array([inf if d is not None else s for d, s in zip(days, seens, strict=True)])
    # The weekdays an undated group's texts name, and the weekdays a dated group's dates
    # cover (text_dates.py): an undated report meets a dated story at the weekday bar when
    # one agrees, as a stream's report meets a stored story (SameEvent.judge).
    named_days = np.array([f.weekdays if f.date is None else 0 for f in features], dtype=int)
    covered = np.array([_covered(d, d) for d in days], dtype=int)
    # The same for days of the month (text_dates.days_agree): bit sets wider than an int64,
    # so Python ints in object arrays; built only when day_similarity is on (off by
    # default), since each merge would otherwise rebuild a span it never reads.
    by_date = stories.day_similarity is not None
    named_dates = np.array([f.days if f.date is None else 0 for f in features], dtype=object)
    covered_dates = np.array([_covered_dates(d, d) if by_date else 0 for d in days], dtype=object)

    # The day an undated report's text says, read against its arrival (Stories.arrival_dates):
    # a group all of whose members say one meets a dated group within the window of it
    # at the dated bar, as a stream's report meets a stored story (SameEvent.judge).
    saids = [None if f.said is None else as_date(f.said).toordinal() for f in features]
    all_said = np.array([s is not None for s in saids])
    said_lo = np.array([inf if s is None else s for s in saids], dtype=float)
    said_hi = np.array([-inf if s is None else s for s in saids], dtype=float)

    # Both mainly about one ordinal: a lower bar (number_similarity), a longer window
    # (number_window), as SameEvent.judge.
    by_number = stories.number_similarity is not None or stories.number_window is not None
    number_window = (
        0.0
        if stories.number_window is None
        else stories.number_window.days + stories.number_window.seconds / 86400
    )

    def _same_ordinal(rows: np.ndarray) -> np.ndarray:
        """For each group in `rows`, the groups mainly about the ordinal it is mainly
        about (as event_numbers.main_ordinal: one ordinal above the rest by
        MAIN_MARGIN). Read from the current weights: a merge changes them."""
        ordinal = number_weights[:, number_kinds[0]]
        top = ordinal.max(axis=1, keepdims=True)
        main = (ordinal > 0) & (ordinal * MAIN_MARGIN > top)
        main &= (main.sum(axis=1) == 1)[:, None]  # one ordinal above the rest, or none
        return _any_shared(main, rows)

    def scores(rows: np.ndarray) -> np.ndarray:
        """Each group in `rows`: its mean cosine with every group it may merge with, a row
        each; -inf elsewhere. Every group's row in one call for the first table, one
        group's after a merge: the arithmetic is elementwise (and the row cosines and
        novelties are computed row by row), so a row is what its group alone would give.
        Why all at once (issue 18's cost): a review of 20 members made 20 calls of some
        hundred small numpy operations each, most of a review's CPU."""
        k = len(rows)
        # Read by several rules: each computed once a call, when first needed.

        @cache
        def by_ideas() -> np.ndarray:  # the cosines of the groups' event concepts
            return _row_cosines(ideas, rows)

        @cache
        def by_names() -> np.ndarray:  # ... of their summed name weights
            return _row_cosines(weights, rows)

        @cache
        def novelty() -> np.ndarray:  # pair_novelty, row by row
            return pair_novelties(weights, rows, size)

        dated, undated = np.isfinite(lo), np.isfinite(seen)
        dated_i, undated_i = dated[rows, None], undated[rows, None]  # the rows' groups
        lo_i, hi_i, seen_i = lo[rows, None], hi[rows, None], seen[rows, None]
        size_i = size[rows, None]
        both = dated_i & dated
        same_number = (
            _same_ordinal(rows)
            if by_number and number_kinds[0].any()
            else np.zeros((k, n), dtype=bool)
        )
        wide = w
        if stories.number_window is not None:  # one occurrence by its ordinal (SameEvent)
            wide = np.where(same_number, max(w, number_window), w)
        spans = ~both | ((lo_i - wide <= hi) & (lo - wide <= hi_i))
        late = (dated_i & undated & (hi_i > seen + wide)) | (
            dated & undated_i & (hi > seen_i + wide)
        )
        names_ok = shared[rows] | ~(named[rows, None] & named)
        mean = sums[rows] / (size_i * size)
        novel = None  # novelty() <= stories.novelty, computed once when first needed
        if sums_by_language:
            # one group in one language, the other in both: its pairs in that language
            single = (written == ARABIC) | (written == LATIN)
            mixed = written == ARABIC | LATIN
            pairs = arabic[rows, None] * arabic + latin[rows, None] * latin
            same_sums, name_sums = sums_by_language
            same = same_sums[rows] / np.where(pairs > 0, pairs, 1.0) + name_sums[rows] / (
                size_i * size
            )
            use = ((single[rows, None] & mixed) | (mixed[rows, None] & single)) & (pairs > 0)
            if stories.both_languages_known:  # both told in both (both_languages_score)
                use |= mixed[rows, None] & mixed & (pairs > 0)
            use_told = use.copy()
            if not stories.same_language:  # same_language_known: when no names are new
                novel = novelty() <= stories.novelty
                known = novel
                if stories.known_concept_similarity is not None:  # or the concepts agree
                    known = novel | (by_ideas() >= stories.known_concept_similarity)
                use &= known
            mean = np.where(use, np.maximum(mean, same), mean)
        need = np.where(both, stories.dated_similarity, stories.similarity)
        if stories.same_day_similarity is not None:
            # dated spans at most SAME_DAY_GAP apart, each at most SAME_DAY_SPAN long, and
            # event concepts that agree (SameEvent._same_day, as a stream's report meets a
            # story)
            same_day = both & (lo_i <= hi + SAME_DAY_GAP) & (lo <= hi_i + SAME_DAY_GAP)
            same_day &= (hi - lo <= SAME_DAY_SPAN) & (hi_i - lo_i <= SAME_DAY_SPAN)
            whole = np.maximum(hi, hi_i) - np.minimum(lo, lo_i)
            same_day &= whole <= SAME_DAY_SPAN + SAME_DAY_GAP
            if stories.same_day_concepts:
                same_day &= by_ideas() >= stories.same_day_concepts
            need = np.where(same_day, np.minimum(need, stories.same_day_similarity), need)
        told = np.zeros((k, n), dtype=bool)  # an undated side's text says a day the other has
        if stories.arrival_dates:  # (all False in a row whose group neither says nor is dated)
            said_i = all_said[rows, None]
            on_day = (
                said_i & dated & (said_lo[rows, None] - w <= hi) & (lo - w <= said_hi[rows, None])
            ) | (dated_i & all_said & (said_lo - w <= hi_i) & (lo_i - w <= said_hi))
            need = np.where(on_day, np.minimum(need, stories.dated_similarity), need)
            told |= on_day
        if stories.weekday_similarity is not None:
            days_agree = (~dated_i & dated & ((named_days[rows, None] & covered) != 0)) | (
                dated_i & ~dated & ((named_days & covered[rows, None]) != 0)
            )
            need = np.where(days_agree, np.minimum(need, stories.weekday_similarity), need)
            told |= days_agree
        if stories.day_similarity is not None:  # (all False in a row naming and covering none)
            dates_agree = (
                ~dated_i & dated & ((named_dates[rows, None] & covered_dates) != 0).astype(bool)
            ) | (dated_i & ~dated & ((named_dates & covered_dates[rows, None]) != 0).astype(bool))
            need = np.where(dates_agree, np.minimum(need, stories.day_similarity), need)
            told |= dates_agree
        if stories.number_similarity is not None and same_number.any():
            # both name one ordinal (event_numbers.agree): the 17th package on both sides
            need = np.where(same_number, np.minimum(need, stories.number_similarity), need)
        if sums_by_language and stories.kind_similarity is not None:
            # an undated group in one language and a dated group in both, of one main event
            # concept and one main name (crosslingual.main_kind, as SameEvent.judge): the
            # lower bar, against the pairs in the one language
            has_kind = (ideas.max(axis=1) > 0) & (weights.max(axis=1) > 0)
            main_idea, main_name = ideas.argmax(axis=1), weights.argmax(axis=1)
            kind = has_kind & has_kind[rows, None] & (main_idea == main_idea[rows, None])
            kind &= main_name == main_name[rows, None]
            one_way = single[rows, None] & ~dated_i & mixed & dated
            eligible = one_way | (mixed[rows, None] & dated_i & single & ~dated)
            if stories.kind_agreement is not None and (eligible & ~kind).any():
                # or names and event concepts that each agree that much (SameEvent._one_kind);
                # read only where a pair is of those kinds (most are not)
                bar = stories.kind_agreement
                kind |= (by_ideas() >= bar) & (by_names() >= bar)
            kind &= eligible
            kind &= novelty() <= stories.kind_novelty
            need = np.where(kind, np.minimum(need, stories.kind_similarity), need)
            mean = np.where(kind & (pairs > 0), np.maximum(mean, same), mean)
        if sums_by_language and stories.same_language_told:
            mean = np.where(use_told & told, np.maximum(mean, same), mean)
        if stories.novel_similarity is not None and stories.novel_similarity < stories.similarity:
            if novel is None:
                novel = novelty() <= stories.novelty
            lower = novel
            if stories.novel_concept_similarity is not None:  # or the event words agree
                lower = novel | (by_ideas() >= stories.novel_concept_similarity)
            need = np.where(~both & lower, np.minimum(need, stories.novel_similarity), need)
        if stories.cross_similarity is not None:
            written_i = written[rows, None]
            apart = (written_i != 0) & (written != 0) & ((written_i & written) == 0)
            by_name = by_names()
            if stories.concept_share:
                # as crosslingual.name_cosine: mixed where both sides have concepts
                share = stories.concept_share
                have = (np.linalg.norm(ideas, axis=1) > 0) & (np.linalg.norm(weights, axis=1) > 0)
                blend = (1 - share) * by_name + share * by_ideas()
                by_name = np.where(have & have[rows, None], np.maximum(by_name, blend), by_name)
            cross_need = np.full((k, n), stories.cross_similarity)
            if stories.cross_novel_similarity is not None:
                if novel is None:
                    novel = novelty() <= stories.novelty
                agree = novel
                if stories.concept_similarity is not None:  # as SameEvent._concepts_agree
                    agree = novel | (by_ideas() >= stories.concept_similarity)
                cross_need = np.where(
                    agree, np.minimum(cross_need, stories.cross_novel_similarity), cross_need
                )
            if stories.timed_cross_similarity is not None:
                cross_need = np.where(
                    told, np.minimum(cross_need, stories.timed_cross_similarity), cross_need
                )
            # On the scale of the other pairs: by how much it clears its own bar.
            mean = np.where(apart, np.maximum(mean, by_name - cross_need + need), mean)
        if stories.number_margin and number_terms:
            apart_numbers = np.zeros((k, n), dtype=bool)
            for of_kind in number_kinds:  # as event_numbers.disagree: each kind with its own
                has = numbered[:, of_kind].any(axis=1)
                shares = _any_shared(numbered[:, of_kind], rows)
                apart_numbers |= has[rows, None] & has & ~shares
            need = np.where(apart_numbers, need + stories.number_margin, need)
        ok = spans & ~late & names_ok & (mean >= need) & alive & alive[rows, None]
        ok[np.arange(k), rows] = False
        return np.where(ok, mean, -inf)

    table = scores(np.arange(n))
    label = list(range(n))
    while True:
        flat = int(np.argmax(table))
        if table.flat[flat] == -inf:
            break
        a, b = divmod(flat, n)
        i, j = min(a, b), max(a, b)  # j joins i
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        for m in sums_by_language:
            m[i, :] += m[j, :]
            m[:, i] += m[:, j]
        arabic[i] += arabic[j]
        latin[i] += latin[j]
        size[i] += size[j]
        alive[j] = False
        shared[i, :] |= shared[j, :]
        shared[:, i] |= shared[:, j]
        named[i] |= named[j]
        weights[i] += weights[j]
        ideas[i] += ideas[j]
        numbered[i] |= numbered[j]
        number_weights[i] += number_weights[j]
        written[i] |= written[j]
        lo[i], hi[i], seen[i] = min(lo[i], lo[j]), max(hi[i], hi[j]), min(seen[i], seen[j])
        named_days[i] |= named_days[j]
        covered[i] = _covered(lo[i], hi[i])
        named_dates[i] |= named_dates[j]
        all_said[i] &= all_said[j]
        said_lo[i], said_hi[i] = min(said_lo[i], said_lo[j]), max(said_hi[i], said_hi[j])
        if by_date:
            covered_dates[i] = _covered_dates(lo[i], hi[i])
        label = [i if g == j else g for g in label]
        table[j, :] = table[:, j] = -inf
        table[i, :] = table[:, i] = scores(np.array([i]))[0]
    groups = np.array(label)
    cohesion = []
    for k in range(n):
        mates = groups == groups[k]
        others = int(mates.sum()) - 1
        cohesion.append(float((cosines[k, mates].sum() - 1.0) / others) if others else 1.0)
    return label, cohesion


def _row_cosines(m: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The cosine of each row in `rows` of m with every row (0 where either is empty), a
    row each. Row by row (a matrix-vector product each), so a row's figures are the same
    whichever rows are asked with it."""
    import numpy as np

    lengths = np.linalg.norm(m, axis=1)
    out = np.empty((len(rows), len(m)))
    for k, i in enumerate(rows):
        norms = lengths * np.linalg.norm(m[i])
        out[k] = (m @ m[i]) / np.where(norms > 0, norms, 1.0)
    return out


def _any_shared(m: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each row in `rows` of a boolean matrix and every row: do the two have a column
    both true? (Counts of 0/1 products: exact.)"""
    ones = m.astype(float)
    return (ones[rows] @ ones.T) > 0


def _cosines(vectors: list[dict[str, float]]) -> np.ndarray:
    """Pairwise cosines of unit vectors. Only terms in two or more of them can add to a
    pair, so only those become columns: the matrix stays small however long the batch."""
    import numpy as np

    counts: Counter[str] = Counter()
    for v in vectors:
        counts.update(v.keys())
    columns = {t: k for k, t in enumerate(t for t, c in counts.items() if c > 1)}
    m = np.zeros((len(vectors), max(1, len(columns))))
    for i, v in enumerate(vectors):
        kept = [t for t in v if t in columns]
        m[i, [columns[t] for t in kept]] = [v[t] for t in kept]
    out = m @ m.T
    np.fill_diagonal(out, 1.0)
    return out


def _covered(lo: float | None, hi: float | None) -> int:
    """The weekdays a dated group's span covers (day ordinals); 0 when undated or when the
    span is a week or more (every weekday: no evidence)."""
    if lo is None or hi is None or not math.isfinite(lo) or not math.isfinite(hi):
        return 0
    mask = span_weekdays(date.fromordinal(int(lo)), date.fromordinal(int(hi)))
    return 0 if mask == ALL else mask


def _covered_dates(lo: float | None, hi: float | None) -> int:
    """The days of the month a dated group's span covers, a day of slack either side
    (text_dates.span_days); 0 when undated."""
    if lo is None or hi is None or not math.isfinite(lo) or not math.isfinite(hi):
        return 0
    return span_days(date.fromordinal(int(lo)), date.fromordinal(int(hi)))
