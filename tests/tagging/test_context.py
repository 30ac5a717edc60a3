"""Decisions that read context: anchors per language, labelled vetoes, the learned
decision, and the reason given for every refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.tagging.decide import FEATURES, SHIPPED, STRONGEST, WORDS, load_decision, pair_names
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


def tagger(tmp_path: Path, toml: str) -> TopicTagger:
    path = tmp_path / "topics.toml"
    path.write_text(toml, encoding="utf-8")
    return TopicTagger(load_taxonomy(path))


ANCHORED = """
[sanctions]
threshold = 3
terms = { "sanctions" = 3, "عقوبات" = 3 }
anchors = { en = ["Russia", "Treasury"], ar = ["روسيا"] }
exclude = [{ terms = ["football", "كرة القدم"], label = "sport context" }]
"""


def test_an_anchor_of_the_articles_language_is_required(tmp_path: Path) -> None:
    t = tagger(tmp_path, ANCHORED)
    tags, refused = t.decide(Document("The club faces sanctions after the riot."))
    assert tags == ()
    assert [r.topic for r in refused] == ["sanctions"]
    assert refused[0].reason.startswith("no anchor (needs one of: Russia, Treasury")
    assert [x.topic for x in t.tag(Document("New sanctions on Russia were announced."))] == [
        "sanctions"
    ]
    # Arabic articles need an Arabic anchor: an English one does not stand in
    assert t.tag(Document("فرضت عقوبات جديدة على الشركة Treasury")) == ()
    assert t.tag(Document("فرضت عقوبات جديدة على روسيا")) != ()


def test_a_veto_anywhere_refuses_with_its_label(tmp_path: Path) -> None:
    t = tagger(tmp_path, ANCHORED)
    tags, refused = t.decide(Document("Russia faces sanctions. Football fans were angry."))
    assert tags == ()
    assert refused[0].reason == "veto 'football' (sport context)"
    assert refused[0].score >= 3


UNLESS = """
[nuclear_missile]
threshold = 3
terms = { "reactor" = 2, "nuclear" = 2 }
exclude = [
  { terms = ["megawatt"], label = "civil nuclear power", unless = ["enrichment", "تخصيب"] },
]
"""


def test_a_veto_is_lifted_where_the_article_names_one_of_its_exceptions(tmp_path: Path) -> None:
    """A veto names a sense (civil power); one article may hold it and the beat's too."""
    t = tagger(tmp_path, UNLESS)
    civil = "The new nuclear reactor will add 1,200 megawatt to the grid."
    tags, refused = t.decide(Document(civil))
    assert tags == () and refused[0].reason == "veto 'megawatt' (civil nuclear power)"
    both = "The five-megawatt nuclear reactor still runs, and enrichment goes on beside it."
    assert [x.topic for x in t.tag(Document(both))] == ["nuclear_missile"]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "وضع صاروخ فالكون 9 من شركة سبيس إكس في المدار قمر تجسس جديدا لليابان، قالت "
            "طوكيو إنه سيراقب إطلاقات الصواريخ في كوريا الشمالية وأنشطة الجيش الصيني.",
            "space_satellites",
        ),
        (
            "Inspectors told the agency's board that Iran's forty-megawatt research reactor at "
            "Arak has been redesigned, while enrichment of uranium at Fordow continues beyond "
            "what the nuclear deal allowed, in breach of Security Council resolutions on Iran's "
            "nuclear programme.",
            "nuclear_missile",
        ),
    ],
)
def test_the_shipped_vetoes_spare_the_beat_inside_their_sense(text: str, topic: str) -> None:
    """A spy satellite on a commercial rocket, a weapons programme's reactor by its power."""
    assert topic in {x.topic for x in TopicTagger(load_taxonomy()).tag(Document(text))}


def test_an_exception_to_a_block_is_refused_at_load(tmp_path: Path) -> None:
    toml = UNLESS.replace('label = "civil nuclear power",', "within = 3,")
    with pytest.raises(ConfigError, match="lifts a veto"):
        tagger(tmp_path, toml)


def test_a_topic_below_its_threshold_is_neither_given_nor_refused(tmp_path: Path) -> None:
    t = tagger(tmp_path, ANCHORED)
    assert t.decide(Document("Football results from the weekend.")) == ((), ())


def test_default_taxonomy_refuses_the_off_beat_senses_and_says_why() -> None:
    t = TopicTagger(load_taxonomy())
    cases = {
        "Police seized 120 firearms, pistols and revolvers in raids on gangs; weapons and "
        "ammunition were taken to the station.": ("arms_transfers", "crime and policing"),
        "The climbers reached the summit of Everest after talks with their Sherpa guides "
        "about the weather; the expedition leaders met at base camp.": (
            "diplomacy_summits",
            "mountaineering",
        ),
        "فرضت رابطة الأندية عقوبات على النادي بعد أحداث مباراة الدوري في الملعب": (
            "sanctions",
            "sport context",
        ),
    }
    for text, (topic, label) in cases.items():
        tags, refused = t.decide(Document(text))
        assert topic not in {x.topic for x in tags}, text
        reasons = {r.topic: r.reason for r in refused}
        assert topic in reasons and (label in reasons[topic] or "anchor" in reasons[topic])


def test_the_shipped_decision_loads_and_names_its_features() -> None:
    decision = load_decision()
    assert decision is not None and decision.source == str(SHIPPED)
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    topics = load_taxonomy().topic_ids()
    assert data["features"] == (
        list(FEATURES) + [STRONGEST + t for t in topics] + pair_names(topics) + [WORDS]
    )
    assert decision.strongest == tuple(topics) and decision.pairs
    assert set(decision.bias) == set(load_taxonomy().topic_ids())
    assert set(decision.threshold) == {"ar", "en"} and decision.max_words >= 100
    assert all(0 < t < 1 for t in (*decision.threshold.values(), *decision.top_threshold.values()))


def test_the_learned_decision_refuses_a_passing_mention_and_says_so() -> None:
    rules = TopicTagger(load_taxonomy())
    learned = TopicTagger(load_taxonomy(), decision=load_decision())
    text = (
        "The US Treasury on Thursday imposed sanctions on six companies in Hong Kong and "
        "the UAE that it said helped Moscow evade export controls, the Treasury's Office "
        "of Foreign Assets Control said. The firms shipped microelectronics used in "
        "Russian drones. The designations freeze any US assets of the companies. Russia "
        "has relied on such networks since its invasion of Ukraine in 2022."
    )
    given = {t.topic for t in rules.tag(Document(text))}
    assert {"sanctions", "ukraine_war"} <= given
    tags, refused = learned.decide(Document(text))
    assert "sanctions" in {t.topic for t in tags}
    passing = {r.topic: r.reason for r in refused}
    assert "ukraine_war" in passing and passing["ukraine_war"].startswith("learned decision: p=")


def test_the_learned_decision_leaves_long_articles_and_unknown_topics_to_the_rules(
    tmp_path: Path,
) -> None:
    decision = load_decision()
    assert decision is not None
    long_text = " ".join(["Russia faces new sanctions over its war in Ukraine."] * 60)
    rules = TopicTagger(load_taxonomy()).tag(Document(long_text))
    assert TopicTagger(load_taxonomy(), decision=decision).tag(Document(long_text)) == rules
    own = tagger(tmp_path, '[rail]\nthreshold = 2\nterms = { "train" = 2 }\n')
    own_learned = TopicTagger(own.taxonomy, decision=decision)
    assert [t.topic for t in own_learned.tag(Document("The train was late."))] == ["rail"]


def test_a_broken_decision_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "decision.json"
    path.write_text('{"features": ["other"], "weights": [], "bias": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        load_decision(path)
    assert load_decision(tmp_path / "absent.json") is None
