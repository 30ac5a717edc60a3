"""The story step's one notion of "same event": whether a group of reports joins a story.

Apart from stories.py (which places articles) and story_weights.py (which weighs them),
so that the bars are read in one place: the stream's report against a stored story
(SameEvent.judge), a batch's groups (story_linkage.py, from the same attributes), the story
review and the story merge all ask this question with the same bars, time, name, language
and novelty rules.

- Time: a group joins only a story with a member within `window_days` of it. An undated
  report was published on or before the day it was first seen, so it may join an older
  story but not one with a member dated more than the window after that day.
- Content: the mean cosine with the story's members (average linkage): at least
  `similarity`, or the lower `dated_similarity` when both sides are dated in the window
  (time is evidence of its own), or a day the report's text says agrees with the story's
  dates (weekdays, days of the month, a day read against arrival: text_dates.py), or both
  sides are mainly about one ordinal, the 17th package (`number_similarity`). Event numbers
  both name and none in common raise the bar (`number_margin`; event_numbers.py).
- Names: when both sides name entities they must share one; a report whose names the story
  already has may join at `novel_similarity` (novelty.py); a story told only in the other
  language is also met on names (and event concepts) alone (crosslingual.py), at a lower
  bar when the report's text says a day the story's dated reports agree with.
"""

from __future__ import annotations

from datetime import timedelta

from monitor.config import StoriesConfig
from monitor.crosslingual import (
    ARABIC,
    LATIN,
    both_languages_score,
    concept_cosine,
    content_dot,
    main_kind,
    name_cosine,
    other_language,
    same_language_score,
)
from monitor.event_numbers import disagree, main_ordinal, numbers_of
from monitor.novelty import name_novelty
from monitor.story_model import Features, Group, StoryRow, as_date
from monitor.text_dates import days_agree, weekdays_agree

ENTITY = "@"  # prefix of entity features in vectors and keys
# `same_day_similarity`: each side's dated reports at most this many days apart (a day and
# the next: outlets date one event's reports by their own time zones and deadlines).
SAME_DAY_SPAN = 1
# ... and the two sides at most this many days apart, all their dates within SAME_DAY_SPAN +
# SAME_DAY_GAP days: a dawn launch in Korea is dated the day before in Washington, so two
# outlets' reports of one launch carry adjacent dates with no day in common (issue 18's
# fourteenth round: the Hwasong-18's second test, dated 12 and 13 July 2023).
SAME_DAY_GAP = 1


class SameEvent:
    """The bars of [stories] (config.StoriesConfig), read once; `concepts`: the event
    lexicon is loaded (without it, the concept settings are off)."""

    def __init__(self, config: StoriesConfig, *, concepts: bool = False) -> None:
        self.window = timedelta(days=config.window_days)
        self.similarity = config.similarity
        self.dated_similarity = config.dated_threshold
        # None: a report meets a story in the other language like any other (words and
        # names in one vector); else by names alone, against this bar (crosslingual.py).
        self.cross_similarity = config.cross_language_similarity or None
        # A report without dates to go on may also join at this lower bar when at most
        # `novelty` of its names' weight is new to the story (novelty.py); at or above
        # `similarity` it never applies.
        self.novel_similarity = config.novel_similarity
        self.novelty = config.novelty
        # None: off. Else event concepts agreeing this much with the story's stand in for
        # names that add nothing, for that lower bar (_concepts_agree).
        self.novel_concept_similarity = (
            (config.novel_concept_similarity or None) if concepts else None
        )
        # None: off. Else the names-alone bar for a report that names nothing new to the
        # story (at most `novelty` of its name weight new): one event's reports in two
        # languages share its names, and a look-alike event brings names of its own.
        self.cross_novel_similarity = config.cross_novel_similarity or None
        # A story told in both languages: a report is also measured against the members
        # in its own language (crosslingual.same_language_score) ...
        self.same_language = config.same_language
        # ... or only when the report names nothing new to it (at most `novelty` of its
        # name weight): a look-alike event names someone of its own.
        self.same_language_known = config.same_language_known
        # ... and a group told in both languages too, on its pairs in one language
        # (crosslingual.both_languages_score): two stories of one event at the merge.
        self.both_languages_known = config.both_languages_known and self.same_language_known
        # A group told in both languages, under its bar, also joins when each language's
        # part would alone (_by_parts): the stream places its reports one at a time.
        self.language_parts = config.language_parts
        # ... or when its text says a day the story's dated reports agree with (opt-in).
        self.same_language_told = config.same_language_told and self.same_language_known
        # ... or when its event concepts agree with the story's at least this much (None:
        # off; concept_cosine): the event told in the same few words, by other officials.
        self.known_concept_similarity = (
            (config.known_concept_similarity or None)
            if concepts and self.same_language_known
            else None
        )
        # None: off. Else the bar for an undated report whose text names a weekday on
        # which the story's dated reports fall (text_dates.py): time, as a date is.
        self.weekday_similarity = config.weekday_similarity or None
        # None: off. Else the bar for an undated report whose text names a day of the
        # month within a day of the story's dated reports (text_dates.days_agree).
        self.day_similarity = config.day_similarity or None
        # None: off. Else the names-alone bar (crosslingual.py) for an undated report whose
        # text says a day that agrees with the story's dated reports.
        self.timed_cross_similarity = config.timed_cross_similarity or None
        # True: an undated report whose text names one day (19 June, Tuesday), read
        # against its arrival (text_dates.date_said), meets a story whose dated reports
        # are within the window of that day at the dated bar.
        self.arrival_dates = config.arrival_dates
        # `concept_share` of the comparison with a story in the other language is the
        # cosine of their event concepts (crosslingual.name_cosine); concepts that agree
        # at least `concept_similarity` stand in for names that add none (_concepts_agree).
        self.concept_share = config.concept_share if concepts else 0.0
        self.concept_similarity = (config.concept_similarity or None) if concepts else None
        # Added to the bar when both sides name event numbers and none in common
        # (event_numbers.py): the 16th package is not the 17th. 0: off.
        self.number_margin = config.number_margin
        # None: off. Else the bar when a dated group's days meet the story's dated span (one
        # day, not only the window): two outlets' reports of one day's event, told in other
        # words (the window's dated bar is for reports days apart).
        self.same_day_similarity = config.same_day_similarity or None
        # ... when their event concepts agree at least this much (concept_cosine; 0: any):
        # a launch and a visit by one state on one day are two events.
        self.same_day_concepts = config.same_day_concepts if concepts else 0.0
        # None: off. Else the bar when both sides name one ordinal (event_numbers.agree).
        self.number_similarity = config.number_similarity or None
        # None: off. Else the time window for a group and a story mainly about one ordinal
        # (event_numbers.main_ordinal), when longer than `window`: the ordinal names the
        # occurrence, which may be told over more days than the window (a package agreed by
        # the ambassadors and adopted by the ministers five days later).
        self.number_window = (
            timedelta(days=config.number_window_days)
            if config.number_window_days > config.window_days
            else None
        )
        # None: off. Else the bar for an undated report against a dated story told in both
        # languages whose main event concept and main name are the report's (main_kind),
        # measured against the members in its own language: a launch, a report, a visit or
        # a meeting has no ordinal, and the undated reports of one are told in its words.
        self.kind_similarity = (config.kind_similarity or None) if concepts else None
        # ... when at most this share of its name weight is on names the story never had:
        # a look-alike of one kind by one actor (Lavrov's next visit) names more of its own.
        self.kind_novelty = config.kind_novelty
        # ... or, instead of the one main concept and name, names and concepts that each
        # agree with the story's at least this much (None: off).
        self.kind_agreement = (config.kind_agreement or None) if concepts else None

    def judge(self, group: Group, row: StoryRow) -> tuple[float, bool] | None:
        """The group's score with a stored story and whether it clears its bar; None when
        the time or name rules rule the story out."""
        judged = self._judge(group, row)
        if (
            judged is None
            or judged[1]
            or not self.language_parts
            or group.written != ARABIC | LATIN
            or len(group.members) < 2
        ):
            return judged
        return self._by_parts(group, row) or judged

    def _by_parts(self, group: Group, row: StoryRow) -> tuple[float, bool] | None:
        """A group told in both languages, judged as the stream would place its reports:
        each language's part alone against the story, the group joining (at the lowest
        part's score) when every part would.

        Why (issue 18's fifteenth round): a batch groups an event's undated Arabic and
        English reports first (on names); the pair then meets the event's dated story as
        one group, its pairs across languages sharing only names, and falls under the bar
        (about 0.39) where each report alone would have met the story's members in its own
        language (same_language_score). None: a part is ruled out, or under its bar."""
        parts = group.language_parts
        if parts is None:
            return None  # a member in both scripts, or none: no parts to judge by
        scores = []
        for part in parts:
            judged = self._judge(part, row)
            if judged is None or not judged[1]:
                return None
            scores.append(judged[0])
        return min(scores), True

    def _judge(self, group: Group, row: StoryRow) -> tuple[float, bool] | None:
        """judge, the group as one."""
        members = group.members
        if group.entities and not _shares_entity(group.entities, row.profile):
            return None
        window = self.window
        if (
            self.number_window is not None
            and group.ordinal is not None
            and group.ordinal == main_ordinal(row.profile)
        ):  # one occurrence, named by its ordinal, may be told over more days
            window = self.number_window
        if not self._group_in_window(group, row, window):
            return None
        story_scripts = row.scripts
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
        in_own = None  # the score with the members in its language, when not yet counted
        if (
            (self.same_language or self.same_language_known)
            and group.written in (ARABIC, LATIN)
            and story_scripts == ARABIC | LATIN
        ):
            if not self.same_language:
                novelty = name_novelty(members, row.profile)
            known = (
                self.same_language
                or novelty <= self.novelty  # type: ignore[operator]
                or (
                    self.known_concept_similarity is not None
                    and self._concepts_agree(members, row.profile, self.known_concept_similarity)
                )
            )
            if known or self.same_language_told:
                in_own = same_language_score(
                    group.summed, len(group.members), group.written, row.profile, row.articles
                )
            if known:
                score, in_own = max(score, in_own), None  # type: ignore[type-var]
        if (
            self.both_languages_known
            and group.written == ARABIC | LATIN
            and story_scripts == ARABIC | LATIN
        ):  # both told in both languages: the pairs in one language, when nothing is new
            if novelty is None:
                novelty = name_novelty(members, row.profile)
            if novelty <= self.novelty or (
                self.known_concept_similarity is not None
                and self._concepts_agree(members, row.profile, self.known_concept_similarity)
            ):
                counts = {s: sum(1 for m in members if m.scripts & s) for s in (ARABIC, LATIN)}
                score = max(
                    score, both_languages_score(group.summed, counts, row.profile, row.articles)
                )
        # Both dated (and in the window): time is evidence of its own.
        need = self.dated_similarity if group.dated and row.date_lo is not None else self.similarity
        spanned = row.date_lo is not None and row.date_hi is not None
        if (
            self.same_day_similarity is not None
            and group.dated
            and spanned
            and self._same_day(group.dated_span, row.date_lo, row.date_hi)  # type: ignore[arg-type]
            and self._concepts_agree(members, row.profile, self.same_day_concepts)
        ):  # dated on a day the story's dated reports hold, and told as the same kind of event
            need = min(need, self.same_day_similarity)
        told = False  # an undated report's text says a day that agrees with the story's
        if (
            spanned
            and group.said is not None
            and self._within(group.said, row.date_lo, row.date_hi)  # type: ignore[arg-type]
        ):  # undated, but the day its text says (read against arrival) is the story's
            need = min(need, self.dated_similarity)
            told = True
        if (
            self.weekday_similarity is not None
            and spanned
            and not group.dated
            and weekdays_agree(group.weekdays, row.date_lo, row.date_hi)  # type: ignore[arg-type]
        ):  # undated, but its text names a day on which the story's dated reports fall
            need = min(need, self.weekday_similarity)
            told = True
        if (
            self.day_similarity is not None
            and spanned
            and group.days
            and not group.dated
            and days_agree(group.days, row.date_lo, row.date_hi)  # type: ignore[arg-type]
        ):  # undated, but its text names the day (and month) of the story's dated reports
            need = min(need, self.day_similarity)
            told = True
        if (
            self.number_similarity is not None
            and group.ordinal is not None
            and group.ordinal == main_ordinal(row.profile)
        ):  # mainly the 17th package, both sides (event_numbers.main_ordinal)
            need = min(need, self.number_similarity)
        if (
            self.kind_similarity is not None
            and spanned
            and not group.dated
            and group.written in (ARABIC, LATIN)
            and story_scripts == ARABIC | LATIN
            and self._one_kind(group, row.profile)
            and name_novelty(members, row.profile) <= self.kind_novelty
        ):  # undated, one kind of event by one main actor, in the story's words
            need = min(need, self.kind_similarity)
            score = max(
                score,
                same_language_score(
                    group.summed, len(group.members), group.written, row.profile, row.articles
                ),
            )
        if told and in_own is not None:
            score = max(score, in_own)  # a day said that agrees stands in for no new names
        if (
            self.novel_similarity is not None
            and need > self.novel_similarity
            and score >= self.novel_similarity
        ):
            if novelty is None:
                novelty = name_novelty(members, row.profile)
            if novelty <= self.novelty or (
                self.novel_concept_similarity is not None
                and self._concepts_agree(members, row.profile, self.novel_concept_similarity)
            ):  # it names nothing the story lacks, or tells the event in the story's words
                need = self.novel_similarity
        if by_name is not None and self.cross_similarity is not None:
            cross_need = self.cross_similarity
            if told and self.timed_cross_similarity is not None:
                cross_need = min(cross_need, self.timed_cross_similarity)
            if self.cross_novel_similarity is not None and by_name >= self.cross_novel_similarity:
                if novelty is None:
                    novelty = name_novelty(members, row.profile)
                if novelty <= self.novelty or self._concepts_agree(members, row.profile):
                    cross_need = min(cross_need, self.cross_novel_similarity)
            # on the scale of the other bars: by how much it clears its own
            score = max(score, by_name - cross_need + need)
        if self.number_margin and disagree(
            frozenset().union(*(m.numbers for m in members)), numbers_of(row.profile)
        ):  # another occurrence, by the number that names it
            need += self.number_margin
        return score, score >= need

    @staticmethod
    def _same_day(span: tuple[str, str], lo: str, hi: str) -> bool:
        """Are the group's dated reports (`span`: Group.dated_span) and the story's of one
        day, as outlets in several time zones date it: at most SAME_DAY_GAP days apart,
        each side's dates within SAME_DAY_SPAN of each other and all within SAME_DAY_SPAN
        + SAME_DAY_GAP? A story whose dates have grown over the window by joins (the
        doctrine of the 19th, then the strike of the 21st) is not one day's event."""
        first, last = span
        gap = timedelta(days=SAME_DAY_GAP)
        return (
            as_date(first) <= as_date(hi) + gap
            and as_date(lo) <= as_date(last) + gap
            and (as_date(max(hi, last)) - as_date(min(lo, first))).days
            <= SAME_DAY_SPAN + SAME_DAY_GAP
            and (as_date(hi) - as_date(lo)).days <= SAME_DAY_SPAN
            and (as_date(last) - as_date(first)).days <= SAME_DAY_SPAN
        )

    def _within(self, said: tuple[str, str], lo: str, hi: str) -> bool:
        """Are the days a group's texts say within the window of a story's dated span?"""
        return (
            as_date(said[0]) <= as_date(hi) + self.window
            and as_date(lo) <= as_date(said[1]) + self.window
        )

    def _one_kind(self, group: Group, profile: dict[str, float]) -> bool:
        """One kind of event by one main actor: the group's main event concept and main
        name are the story's (main_kind), or, with kind_agreement, its names and its event
        concepts each agree with the story's that much (mean cosine over its members)."""
        if group.kind is not None and group.kind == main_kind(profile):
            return True
        bar = self.kind_agreement
        if bar is None or not self._concepts_agree(group.members, profile, bar):
            return False
        names = [name_cosine(m.cut, profile) for m in group.members]
        return sum(names) / len(names) >= bar

    def _concepts_agree(
        self, members: list[Features], profile: dict[str, float], bar: float | None = None
    ) -> bool:
        """Do the group's event concepts agree with the story's, at least `bar` (their mean
        cosine; by default `concept_similarity`)? Then new names need not rule out the
        lower names-alone bar: outlets in two languages name different officials."""
        bar = self.concept_similarity if bar is None else bar
        if bar is None:
            return False
        cosines = [concept_cosine(m.cut, profile) or 0.0 for m in members]
        return sum(cosines) / len(cosines) >= bar

    def _group_in_window(
        self, group: Group, row: StoryRow, window: timedelta | None = None
    ) -> bool:
        """Could every member be within the window of the story (in_window)? in_window
        is monotone in each member's day and in an undated member's day of sight, so
        the group's extremes decide: its earliest and latest dated day, its earliest
        undated sight. Read once a candidate, not once a member."""
        span = group.dated_span
        if span is not None and not (
            self.in_window(span[0], "", row, window) and self.in_window(span[1], "", row, window)
        ):
            return False
        first = group.first_undated
        return first is None or self.in_window(None, first, row, window)

    def in_window(
        self, day: str | None, seen: str, row: StoryRow, window: timedelta | None = None
    ) -> bool:
        """Could this article and some member of the story be within the window (by
        default `window_days`)?"""
        window = self.window if window is None else window
        if day is None:
            # Published on or before `seen`: compatible unless the story has a member
            # dated more than the window after it (the rule a batch's grouping follows).
            return row.date_hi is None or as_date(row.date_hi) <= as_date(seen) + window
        d = as_date(day)
        if row.undated_seen is not None and d > as_date(row.undated_seen) + window:
            return False  # those members were out before `undated_seen`
        if row.date_lo is None or row.date_hi is None:
            return True
        return as_date(row.date_lo) - window <= d <= as_date(row.date_hi) + window


def _shares_entity(entities: frozenset[str], profile: dict[str, float]) -> bool:
    theirs = [t for t in profile if t.startswith(ENTITY)]
    return not theirs or any(t in entities for t in theirs)
