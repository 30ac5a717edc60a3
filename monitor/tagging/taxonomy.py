"""The taxonomy: topics as weighted keyword rules, read from TOML and checked at load.

The rule language follows the European Media Monitor's category definitions, the best
tried scheme for multilingual news: weighted terms summed against a threshold, NOT terms,
required groups and proximity. A topic in the taxonomy file (TOML) reads:

    [sanctions]
    label = "Sanctions"
    threshold = 4                  # score needed to tag (lower for texts under 200 words)
    terms = { "sanctions" = 3, "عقوبات" = 3, "embargo" = 3, "asset freeze" = 2 }
    all = [["...", "..."]]         # optional: at least one term of every group must occur
    exclude = [                    # optional NOT terms
      { terms = ["open arms"], within = 0 },          # a hit inside these does not count
      { terms = ["football", "fifa"], within = 8 },   # nor a hit this many words from them
      { terms = ["video game"] },                     # no `within`: anywhere vetoes the topic
      { terms = ["megawatt"], unless = ["enrichment"] },  # a veto these lift
    ]
    near = [                       # optional proximity: extra weight per co-occurrence
      { terms = ["impose"], with = ["sanctions"], within = 5, weight = 2 },
    ]
    anchors = { en = ["treasury", "government"], ar = ["وزارة"] }   # optional, per language:
                                   # one must occur in an article of that language
    # an exclusion may carry a `label`, the reason `monitor show --why` gives for a refusal


Score = sum of weight x occurrences over the counted hits, plus the `near` weights. Term
syntax (affixes, `=exact`, `prefix*`) is in monitor.tagging.terms.

Kept apart from the tagger (topics.py), which compiles these rules into one matcher: a
rule's shape and its errors (the file, the topic and the key named) are read and reported
here, before anything is compiled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitor.config import ConfigError
from monitor.tagging import datafile
from monitor.tagging.limits import check_taxonomy


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Exclusion(_Strict):
    terms: tuple[str, ...] = Field(min_length=1)
    within: int | None = Field(None, ge=0)  # None: anywhere in the article vetoes the topic
    label: str = ""  # why, in words: "sport context" (shown with a refusal)
    # A veto's exceptions: named anywhere in the article, they lift it. A veto names a
    # sense ("megawatt": civil power), and one article may hold that sense and the beat's
    # (the IAEA's report on Yongbyon's five-megawatt reactor and its enrichment).
    unless: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unless_lifts_vetoes_only(self) -> Exclusion:
        if self.unless and self.within is not None:
            raise ValueError("`unless` lifts a veto (an exclusion without `within`), not a block")
        return self


class Near(_Strict):
    terms: tuple[str, ...] = Field(min_length=1)
    with_: tuple[str, ...] = Field(alias="with", min_length=1)
    within: int = Field(ge=1)
    weight: float


class TopicRule(_Strict):
    label: str = ""
    enabled: bool = True
    threshold: float = Field(3.0, gt=0)
    # A feed summary or a news flash has a few dozen words, so it cannot gather an
    # article's score: below `full_words` the threshold falls in proportion to the length,
    # down to `short_threshold` (default: 3, or `threshold` if lower).
    short_threshold: float | None = Field(None, gt=0)
    full_words: int = Field(200, ge=1)
    terms: dict[str, float] = Field(default_factory=dict)
    all: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[Exclusion, ...] = ()
    near: tuple[Near, ...] = ()
    # Per language (context.LANGUAGES): at least one of these must occur in an article of
    # that language, or the topic is refused (context.py).
    anchors: dict[Literal["ar", "en"], tuple[str, ...]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Taxonomy:
    topics: Mapping[str, TopicRule]  # enabled and disabled: a preview may try a disabled one
    source: str

    def topic_ids(self) -> list[str]:
        """The topics in force (enabled)."""
        return [t for t, rule in self.topics.items() if rule.enabled]

    def only(self, topic: str) -> Taxonomy:
        """This one topic, switched on: to preview what it would tag before enabling it."""
        rule = self.topics[topic]
        return Taxonomy({topic: rule.model_copy(update={"enabled": True})}, self.source)


def load_taxonomy(
    path: Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    cache: Path | None = None,
) -> Taxonomy:
    """The shipped taxonomy (or the file at `path`), with config.toml's [topics.*] on top.

    An override changes only the keys it names; its `terms` add to (or re-weight) the
    topic's terms, and a weight of 0 removes a term. A new id adds a topic.
    """
    source, data = datafile.read(path, "taxonomy.toml", "taxonomy", cache)
    for topic, change in (overrides or {}).items():
        base = dict(data.get(topic, {}))
        for key, value in change.items():
            if key == "terms" and isinstance(value, Mapping) and isinstance(base.get(key), dict):
                merged = {**base[key], **value}
                base[key] = {t: w for t, w in merged.items() if w != 0}
            else:
                base[key] = value
        data[topic] = base
    topics: dict[str, TopicRule] = {}
    places: dict[str, str] = {}
    for topic, body in data.items():
        where = source if topic not in (overrides or {}) else f"{source} + config [topics]"
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: topic '{topic}' must be a table, got {body!r}")
        try:
            rule = TopicRule.model_validate(body)
        except ValidationError as exc:
            raise ConfigError(_explain(where, topic, exc)) from exc
        if rule.enabled and not rule.terms and not rule.near:
            raise ConfigError(f"{where}: topic '{topic}' has no terms; add [{topic}.terms].")
        topics[topic] = rule
        places[topic] = where
    check_taxonomy(topics, places)  # sizes and term syntax (limits.py)
    return Taxonomy(topics, source)


def _explain(where: str, topic: str, exc: ValidationError) -> str:
    lines = [f"{where}: invalid topic '{topic}'"]
    valid = ", ".join(TopicRule.model_fields)
    for err in exc.errors():
        key = ".".join(str(p) for p in (topic, *err["loc"]))
        if err["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key (valid keys: {valid})")
        else:
            lines.append(f"  {key}: {err['msg']}")
    return "\n".join(lines)
