"""The [stories] section: how reports are grouped into stories, in the stream and in a batch.

Apart from config.py because it is most of the settings (each rule of the story step has
its bar here, with the measurement that chose it in docs/stories.md); config.py imports it
into Settings and names it, so `monitor.config.StoriesConfig` still works.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from monitor.config_section import _Section


class StoriesConfig(_Section):
    window_days: float = Field(3.0, gt=0, description="articles further apart are other events")
    similarity: float = Field(
        0.55, gt=0, le=1, description="mean cosine with a story's members to join it"
    )
    dated_similarity: float | None = Field(
        None,
        gt=0,
        le=1,
        description="the same, when article and story both have dates (default: 0.3, or "
        "similarity if that is lower)",
    )
    updates: Literal["alert", "digest", "silent"] = "silent"
    cooldown_minutes: float = Field(60.0, ge=0)
    background_weight: float = Field(
        0.0,
        ge=0,
        description="documents the shipped background word frequencies count as (0: off; "
        "1000 with entity_weight 2 and bars 0.4/0.25 did best on the real set, docs/stories.md)",
    )
    entity_weight: float = Field(4.0, gt=0, description="a name's weight against a word's")
    cross_language_similarity: float = Field(
        0.9,
        ge=0,
        le=1,
        description="a report may also meet a story told only in the other language by the "
        "cosine of their names alone, against this bar; 0: off",
    )
    novel_similarity: float = Field(
        0.45,
        gt=0,
        le=1,
        description="a lower bar for a report without dates to go on whose names the story "
        "already has (at most `novelty` of their weight new); at or above similarity: off",
    )
    novelty: float = Field(
        0.1, ge=0, le=1, description="the share of a report's name weight new to a story"
    )
    cross_novel_similarity: float = Field(
        0.7,
        ge=0,
        le=1,
        description="a lower names-alone bar (cross_language_similarity's) for a report whose "
        "names the story already has (at most `novelty` of their weight new); 0: off",
    )
    weekday_similarity: float = Field(
        0.45,
        ge=0,
        le=1,
        description="a lower bar for an undated report whose text names a weekday on which "
        "a story's dated reports fall (text_dates.py); 0 or at or above similarity: off",
    )
    timed_cross_similarity: float = Field(
        0.65,
        ge=0,
        le=1,
        description="the names-alone bar (cross_language_similarity's) for an undated report "
        "whose text says a day (weekday, day of the month, or one read against arrival) that "
        "agrees with the story's dated reports; 0: off",
    )
    day_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="a lower bar for an undated report whose text names a day of the month "
        "(19 June, 19 يونيو) within a day of a story's dated reports (text_dates.py); 0 or at "
        "or above similarity: off",
    )
    arrival_dates: bool = Field(
        True,
        description="an undated report naming one day (19 June, Tuesday), read against when it "
        "arrived, meets a story whose dated reports are within the window of that day at "
        "dated_similarity (text_dates.py)",
    )
    concept_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="the share of the comparison with a story told in the other language "
        "that is the cosine of their event words' concepts (visit / زيارة: event_lexicon.py); "
        "the rest is their names'; 0: off (names alone)",
    )
    concept_similarity: float = Field(
        0.7,
        ge=0,
        le=1,
        description="event concepts that agree this much (their cosine) let a report that "
        "names someone new meet a story in the other language at cross_novel_similarity; "
        "0: off",
    )
    same_language: bool = Field(
        False,
        description="in a story told in both languages, a report is also measured against "
        "the members in its own language",
    )
    same_language_known: bool = Field(
        True,
        description="the same, only when the report names nothing new to the story (at most "
        "`novelty` of its name weight): a look-alike event names someone of its own",
    )
    both_languages_known: bool = Field(
        True,
        description="a group told in both languages (a story, at the story merge) meets a "
        "story told in both on the pairs written in one language, when it names nothing new "
        "to it (as same_language_known)",
    )
    language_parts: bool = Field(
        True,
        description="a group told in both languages that does not clear its bar with a story "
        "also joins it when each language's part of the group would, judged alone: as the "
        "stream would place the reports one at a time",
    )
    same_language_told: bool = Field(
        False,
        description="with same_language_known: also when the report's text says a day (weekday, "
        "day of the month) that agrees with the story's dated reports",
    )
    known_concept_similarity: float = Field(
        0.65,
        ge=0,
        le=1,
        description="with same_language_known: a report whose event concepts agree with the "
        "story's at least this much (their cosine) is measured against the members in its "
        "own language even when it names someone new; 0: off",
    )
    novel_concept_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="a report whose event concepts agree with the story's at least this much "
        "may join at novel_similarity even when it names someone new; 0: off",
    )
    kind_similarity: float = Field(
        0.35,
        ge=0,
        le=1,
        description="the bar for an undated report meeting a dated story told in both "
        "languages when its main event concept and main name are the story's (measured "
        "against the members in its own language); 0: off",
    )
    kind_novelty: float = Field(
        0.3,
        ge=0,
        le=1,
        description="with kind_similarity: at most this share of the report's name weight "
        "on names the story never had",
    )
    kind_agreement: float = Field(
        0.75,
        ge=0,
        le=1,
        description="with kind_similarity: a report whose names and event concepts each agree "
        "with the story's at least this much counts as one kind by one actor too; 0: off",
    )
    same_day_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="the bar when a dated report falls on a day the story's dated reports "
        "hold or the day before or after them (each side's dates a day apart at most, all "
        "within two days; not only within the window); 0: off",
    )
    same_day_concepts: float = Field(
        0.5,
        ge=0,
        le=1,
        description="... when their event concepts agree at least this much (0: any)",
    )
    number_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="the bar when a report and a story are mainly about one ordinal (the "
        "17th package: the ordinal each names most); 0: off",
    )
    number_window_days: float = Field(
        7.0,
        ge=0,
        description="the time window (instead of window_days, when longer) for a report and a "
        "story mainly about one ordinal: the 15th package is one occurrence, agreed and "
        "adopted days apart; 0: off",
    )
    number_margin: float = Field(
        1.0,
        ge=0,
        le=1,
        description="added to the bar when a report and a story each name event numbers "
        "(the 16th package, the Hwasong-18) and none in common (1: ruled out); 0: off",
    )
    batch: Literal["linkage", "stream"] = Field(
        "linkage",
        description="how a batch is grouped: by average linkage, or placed report by report "
        "by the stream's rule in an order of its own (undated first, then by date)",
    )
    review: bool = Field(
        True,
        description="group a story's members again as a batch would each time it grows, and "
        "split off a separate event as a new story (with its new_story alert)",
    )
    review_members: int = Field(20, ge=4, description="the latest members a review groups")
    merge: bool = Field(
        True,
        description="with review on: after a report joins a story, join the story with "
        "another it would join as a whole (no alert)",
    )
    merge_both_ways: bool = Field(
        False,
        description="with merge on: also join a story with a nearby story that would join "
        "it as a whole, and ask so of a report's new story too",
    )

    @property
    def dated_threshold(self) -> float:
        if self.dated_similarity is None:
            return min(self.similarity, 0.3)
        return self.dated_similarity

    @model_validator(mode="after")
    def _dated_not_stricter(self) -> StoriesConfig:
        if self.dated_similarity is not None and self.dated_similarity > self.similarity:
            raise ValueError(
                f"dated_similarity ({self.dated_similarity:g}) is above similarity "
                f"({self.similarity:g}): dates in the window are evidence for a match, so "
                "set it at or below similarity"
            )
        return self
