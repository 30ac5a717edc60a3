"""Topic rules: weights and threshold, NOT terms, required groups, proximity, evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
import taggers

from monitor.config import ConfigError
from monitor.tagging.taxonomy import load_taxonomy
from monitor.tagging.terms import Document
from monitor.tagging.topics import TopicTagger


def tagger(tmp_path: Path, toml: str, **overrides: dict) -> TopicTagger:
    path = tmp_path / "taxonomy.toml"
    path.write_text(toml, encoding="utf-8")
    return TopicTagger(load_taxonomy(path, overrides=overrides or None))


def topics(t: TopicTagger, text: str) -> dict[str, float]:
    return {tag.topic: tag.score for tag in t.tag(Document(text))}


def test_weights_sum_against_the_threshold(tmp_path: Path) -> None:
    t = tagger(
        tmp_path, '[s]\nthreshold = 4\nfull_words = 1\nterms = { "sanctions" = 3, "embargo" = 2 }\n'
    )
    assert topics(t, "New sanctions were announced.") == {}
    assert topics(t, "Sanctions and an embargo.") == {"s": 5.0}
    assert topics(t, "Sanctions, more sanctions.") == {"s": 6.0}


def test_exclusions_inside_near_and_anywhere(tmp_path: Path) -> None:
    t = tagger(
        tmp_path,
        """
[arms]
threshold = 2
terms = { "arms" = 2 }
exclude = [
  { terms = ["open arms"], within = 0 },
  { terms = ["football"], within = 3 },
  { terms = ["video game"] },
]
""",
    )
    assert topics(t, "The city welcomed them with open arms.") == {}
    assert topics(t, "Russia bought arms from Pyongyang.") == {"arms": 2.0}
    assert topics(t, "football club arms race") == {}  # within 3 words of football
    assert topics(t, "arms were sold, a long way from any of the football pitches") == {"arms": 2.0}
    assert topics(t, "arms shipments, reviewed in a video game magazine") == {}


def test_all_groups_are_required(tmp_path: Path) -> None:
    t = tagger(
        tmp_path,
        '[k]\nthreshold = 1\nterms = { "missile" = 1 }\nall = [["korea", "pyongyang"]]\n',
    )
    assert topics(t, "A missile test in Iran.") == {}
    assert topics(t, "A missile test near Pyongyang.") == {"k": 1.0}


def test_near_adds_weight_only_within_the_window(tmp_path: Path) -> None:
    t = tagger(
        tmp_path,
        """
[s]
threshold = 3
terms = { "sanctions" = 1 }
near = [{ terms = ["impose", "فرض"], with = ["sanctions", "عقوبات"], within = 3, weight = 2 }]
""",
    )
    assert topics(t, "They will impose new sanctions.") == {"s": 3.0}
    assert topics(t, "They impose tariffs on steel, wheat, cars and, later, sanctions.") == {}
    tag = TopicTagger(t.taxonomy).tag(Document("They will impose new sanctions."))[0]
    assert any("NEAR/3" in m.term for m in tag.matches)


def test_a_near_word_counts_once_whichever_of_its_forms_the_rule_lists(tmp_path: Path) -> None:
    """Matching adds -ed by itself, so "deliver" also finds "delivered": a rule listing both
    must still count the word once, as it counts "delivery" (listed once) once."""
    t = tagger(
        tmp_path,
        """
[a]
threshold = 1
near = [{ terms = ["deliver", "delivered", "delivery", "held talks", "talks"], with = ["tanks", "Kyiv"], within = 3, weight = 3 }]
""",
    )
    assert topics(t, "Germany delivered tanks.") == {"a": 3.0}
    assert topics(t, "Germany announced the delivery of tanks.") == {"a": 3.0}
    assert topics(t, "They held talks in Kyiv.") == {"a": 3.0}  # the phrase holds "talks"
    assert topics(t, "Germany delivered tanks and delivered more tanks.") == {"a": 6.0}


def test_evidence_has_terms_counts_positions_and_a_snippet(tmp_path: Path) -> None:
    t = tagger(tmp_path, '[s]\nthreshold = 3\nterms = { "عقوبات" = 3, "حظر" = 1 }\n')
    text = "عنوان\nفرضت واشنطن عقوباتٍ على موسكو، ثم وسعت العقوبات.\nولا حظر."
    (tag,) = t.tag(Document(text))
    assert tag.score == 7.0
    by_term = {m.term: m for m in tag.matches}
    assert by_term["عقوبات"].count == 2 and by_term["حظر"].count == 1
    doc = Document(text)
    for pos in by_term["عقوبات"].positions:  # word numbers, the title's words first
        assert doc.tokens[pos] in ("عقوبات", "العقوبات")
    assert "عقوباتٍ" in tag.snippet  # the article's own spelling


def test_a_phrase_counts_once_not_once_per_word(tmp_path: Path) -> None:
    t = tagger(tmp_path, '[a]\nthreshold = 1\nterms = { "صفقة أسلحة" = 4, "أسلحة" = 2 }\n')
    assert topics(t, "عقدت صفقة أسلحة كبيرة") == {"a": 4.0}


def test_config_overrides_add_reweight_remove_and_switch_off(tmp_path: Path) -> None:
    base = '[s]\nthreshold = 3\nterms = { "sanctions" = 3, "embargo" = 3 }\n'
    t = tagger(tmp_path, base, s={"terms": {"tariffs": 3, "embargo": 0}})
    assert topics(t, "tariffs") == {"s": 3.0} and topics(t, "embargo") == {}
    off = tagger(tmp_path, base, s={"enabled": False}, new={"terms": {"drone": 2}, "threshold": 2})
    assert off.taxonomy.topic_ids() == ["new"]
    assert topics(off, "sanctions on drones") == {"new": 2.0}
    # a disabled topic can still be tried on its own, before it is switched on
    assert topics(TopicTagger(off.taxonomy.only("s")), "sanctions") == {"s": 3.0}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[s]\nthreshold = 3\nterms = { "x" = 1 }\nwithin = 3\n', "s.within: unknown key"),
        ('[s]\nthreshold = "high"\nterms = { "x" = 1 }\n', "s.threshold"),
        ("[s]\nthreshold = 3\n", "has no terms"),
        ("[s\n", "invalid TOML"),
    ],
)
def test_bad_taxonomy_names_the_file_and_the_key(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        tagger(tmp_path, toml)
    assert "taxonomy.toml" in str(err.value)


def test_missing_taxonomy_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the taxonomy"):
        load_taxonomy(tmp_path / "nope.toml")


def test_default_taxonomy_has_the_beat() -> None:
    ids = set(load_taxonomy().topic_ids())
    assert {
        "arms_transfers", "sanctions", "nuclear_missile", "space_satellites",
        "diplomacy_summits", "military_exercises", "ukraine_war", "un_security_council",
    } <= ids  # fmt: skip


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("وصلت السلاحف البحرية إلى الشاطئ ووضعت بيضها.", "arms_transfers"),
        ("The mayor welcomed the refugees with open arms and a warm meal.", "arms_transfers"),
        (
            "The referee's sanction against the club angered the football fans; sanctions may follow from the league.",
            "sanctions",
        ),
        (
            "أعلن الاتحاد الدولي لكرة القدم فرض عقوبة على النادي بعد المباراة وعقوبات على اللاعبين.",
            "sanctions",
        ),
        ("تقف عقبة كبيرة أمام المشروع بسبب نقص التمويل.", "sanctions"),
        ("بلغ المتسلقون قمة جبل إيفرست بعد رحلة طويلة.", "diplomacy_summits"),
        (
            "Oil companies plan to drill new wells; the drilling rigs arrive in May.",
            "military_exercises",
        ),
        ("تبث القناة الفضائية برامجها عبر القنوات الفضائية العربية.", "space_satellites"),
    ],
)
def test_default_taxonomy_refuses_lookalikes(text: str, topic: str) -> None:
    assert topic not in topics(taggers.topics(), text)


def test_a_word_listed_twice_in_one_topic_counts_in_both_roles(tmp_path: Path) -> None:
    # "sanctions" is a near-term's word and a form of the weighted "sanction": both count
    t = tagger(
        tmp_path,
        '[s]\nthreshold = 3\nterms = { "sanction" = 3 }\n'
        'near = [{ terms = ["impose"], with = ["sanctions"], within = 3, weight = 2 }]\n',
    )
    assert topics(t, "Sanctions were announced.") == {"s": 3.0}


def test_short_texts_need_less_but_never_one_ambiguous_word(tmp_path: Path) -> None:
    t = tagger(
        tmp_path,
        "[a]\nthreshold = 6\nshort_threshold = 3\nfull_words = 50\n"
        'terms = { "arms deal" = 3, "weapons" = 2, "arms" = 1 }\n',
    )
    assert topics(t, "An arms deal was signed.") == {"a": 3.0}  # a flash: 3 is enough
    assert topics(t, "They carried weapons.") == {}  # one ambiguous word is not
    long_text = "An arms deal was signed. " + "Other news follows here. " * 20
    assert topics(t, long_text) == {}  # a full article needs the full threshold


def test_a_negative_weight_does_not_hide_a_tag_that_reaches_the_threshold(tmp_path: Path) -> None:
    t = tagger(tmp_path, '[m]\nthreshold = 3\nterms = { "missile defence" = 4, "defence" = -2 }\n')
    assert topics(t, "missile defence") == {"m": 4.0}
    assert topics(t, "defence") == {}


def test_a_bad_term_or_encoding_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"taxonomy\.toml.*letters"):
        tagger(tmp_path, '[s]\nthreshold = 1\nterms = { "ab*" = 1 }\n')
    with pytest.raises(ConfigError, match=r"taxonomy\.toml.*letters"):  # at start, not later
        tagger(
            tmp_path,
            '[s]\nthreshold = 1\nterms = { "sanctions" = 1 }\nanchors = { en = ["ab*"] }\n',
        )
    path = tmp_path / "cp1256.toml"
    path.write_bytes('[s]\nthreshold = 1\nterms = { "عقوبات" = 1 }\n'.encode("cp1256"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_taxonomy(path)
