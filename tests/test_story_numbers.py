"""Event numbers as evidence against a join (issue 18's ninth round, docs/stories.md):
look-alike events of the same actors (consecutive EU sanctions packages, a state's missile
models) differ mainly in the number that names them. With `[stories] number_margin`, a
report and a story (or two groups of a batch) that each name event numbers and none in
common meet a higher bar; a side that names none is no evidence either way. With
`number_similarity` (issue 18j), two sides mainly about one ordinal meet a low bar.
In-process, on hand-made vectors, and the reader on short texts."""

from __future__ import annotations

from story_records import features, row

from monitor.assembly import stories_from
from monitor.config import StoriesConfig
from monitor.crosslingual import LATIN, NUMBER, concept_cosine
from monitor.event_numbers import event_number_counts, event_numbers, main_ordinal
from monitor.story_linkage import average_linkage
from monitor.story_model import Group, unit_vector

WORDS = {"sanction": 0.6, "packag": 0.5, "tanker": 0.3, "@European Union": 0.4, "#sanctions": 0.5}


def test_ordinals_and_designations_are_read_in_both_languages() -> None:
    assert event_numbers("The EU adopted its 16th package of sanctions") == {"o16"}
    assert event_numbers("اعتمد الاتحاد الأوروبي الحزمة الـ14 من العقوبات") == {"o14"}
    assert event_numbers("الحزمة الرابعة عشرة من العقوبات ضد روسيا") == {"o14"}
    assert event_numbers("أطلقت صاروخ هواسونغ-18 العابر للقارات") == {"m18"}
    assert event_numbers("North Korea fired a Hwasong-17 ICBM") == {"m17"}


def test_days_years_and_counts_are_no_event_numbers() -> None:
    text = "On 24 February 2025, 15 members met for 3 hours; 1,500 troops and 60% uranium."
    assert event_numbers(text) == frozenset()


def _judge(config: StoriesConfig, mine: str | None, theirs: str) -> bool:
    report = dict(WORDS) if mine is None else {**WORDS, NUMBER + mine: 0.5}
    profile: dict[str, float] = {}
    for _ in range(2):
        for t, w in unit_vector({**WORDS, NUMBER + theirs: 0.5}).items():
            profile[t] = profile.get(t, 0.0) + w
    judged = stories_from(config).judge(
        Group.of([features(unit_vector(report), LATIN)]), row(profile)
    )
    assert judged is not None
    return judged[1]


def test_another_number_keeps_a_look_alike_out_only_with_the_margin() -> None:
    assert _judge(StoriesConfig(number_margin=0), "o17", "o16")  # off: the words alone decide
    assert not _judge(StoriesConfig(), "o17", "o16")  # the default: ruled out
    assert _judge(StoriesConfig(number_margin=1), "o16", "o16")
    assert _judge(StoriesConfig(number_margin=1), None, "o16")  # no number: no evidence


def test_numbers_stay_out_of_the_concept_cosine() -> None:
    a = {"#sanctions": 1.0, NUMBER + "o16": 1.0}
    b = {"#sanctions": 1.0, NUMBER + "o17": 1.0}
    assert concept_cosine(a, b) == 1.0


def test_a_batch_keeps_two_numbered_groups_apart() -> None:
    reports = [
        features(unit_vector({**WORDS, NUMBER + n: 0.5}), LATIN) for n in ("o16", "o16", "o17")
    ]
    off, _ = average_linkage(stories_from(StoriesConfig(number_margin=0)), reports)
    assert len(set(off)) == 1
    on, _ = average_linkage(stories_from(StoriesConfig(number_margin=1)), reports)
    assert on[0] == on[1] != on[2]


def test_numbers_of_two_kinds_say_nothing_of_each_other() -> None:
    corps = event_numbers("soldiers of North Korea's elite 11th Corps")
    missile = event_numbers("debris from KN-23 missiles was found")
    assert corps == {"o11"} and missile == {"m23"}
    assert _judge(StoriesConfig(), "m23", "o11")


def test_days_and_member_counts_written_as_ordinals_are_no_event_numbers() -> None:
    assert event_numbers("in Pyongyang until July 13th, then Wonsan") == frozenset()
    assert event_numbers("Sputnik, 19th February 2023") == frozenset()
    assert event_numbers("invited on the 16th of January") == frozenset()
    assert event_numbers("صوت 12 من الدول الأعضاء الـ15 لصالح القرار") == frozenset()
    assert event_numbers("the council's 15-member body and the 17th package") == {"o17"}


def test_the_main_ordinal_is_the_one_named_most() -> None:
    counts = event_number_counts("The 18th package. The 18th follows the 17th package.")
    assert counts == {"o18": 2, "o17": 1}
    assert main_ordinal({NUMBER + "o18": 0.9, NUMBER + "o17": 0.5}) == NUMBER + "o18"
    # about as much of each (their weights' IDF parts differ a little): neither is main
    assert main_ordinal({NUMBER + "o12": 0.043, NUMBER + "o11": 0.041}) is None
    assert main_ordinal({"@European Union": 1.0}) is None


# A report told in other words than the story (another outlet, the other language) with
# one name in common: alone, under every bar but the shared ordinal's.
OTHER = {"packag": 0.45, "diamond": 0.7, "adopt": 0.6, "@European Union": 0.4, "#sanctions": 0.5}


def _meets(config: StoriesConfig, mine: dict[str, float], theirs: str) -> bool:
    profile: dict[str, float] = {}
    for _ in range(2):
        for t, w in unit_vector({**WORDS, NUMBER + theirs: 0.5}).items():
            profile[t] = profile.get(t, 0.0) + w
    judged = stories_from(config).judge(
        Group.of([features(unit_vector({**OTHER, **mine}), LATIN)]), row(profile)
    )
    assert judged is not None
    return judged[1]


def test_a_report_mainly_about_the_story_s_ordinal_meets_the_number_bar() -> None:
    seventeenth = {NUMBER + "o17": 0.5}
    assert not _meets(StoriesConfig(number_similarity=0), seventeenth, "o17")  # words alone
    assert _meets(StoriesConfig(), seventeenth, "o17")  # the default: one package
    assert not _meets(StoriesConfig(), {}, "o17")  # no number: no evidence
    # a report of the 18th that names the 17th in passing is not the 17th's
    assert not _meets(StoriesConfig(), {NUMBER + "o18": 0.6, NUMBER + "o17": 0.3}, "o17")


def test_a_batch_joins_two_groups_mainly_about_one_ordinal() -> None:
    reports = [
        features(unit_vector({**WORDS, NUMBER + "o17": 0.5}), LATIN),
        features(unit_vector({**OTHER, NUMBER + "o17": 0.5}), LATIN),
    ]
    off, _ = average_linkage(stories_from(StoriesConfig(number_similarity=0)), reports)
    assert off[0] != off[1]
    on, _ = average_linkage(stories_from(StoriesConfig()), reports)
    assert on[0] == on[1]


def _per_word(text: str) -> dict[str, int]:
    """event_number_counts as it was written first: one expression over the text for the
    designations, the ordinals word by word (what the faster one must still find)."""
    import re

    from monitor.event_numbers import _UNITS as units
    from monitor.event_numbers import _day_or_count
    from monitor.text.normalize import words

    model = re.compile(r"(?<![\w-])[^\W\d_]{2,}-(\d{1,3})(?![\w-])")
    english, arabic = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)$"), re.compile(r"^ال(\d{1,3})$")
    found = ["m" + m.group(1) for m in model.finditer(text)]
    tokens = words(text)
    for i, token in enumerate(tokens):
        ordinal = english.match(token) or arabic.match(token)
        if ordinal:
            if not _day_or_count(tokens, i):
                found.append("o" + ordinal.group(1))
        elif token in units and i + 1 < len(tokens) and tokens[i + 1] in ("عشر", "عشره"):
            found.append(f"o{10 + units[token]}")
    counts: dict[str, int] = {}
    for n in found:
        if int(n[1:]) > 0:
            key = n[0] + str(int(n[1:]))
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_the_numbers_read_at_once_are_those_read_word_by_word() -> None:
    texts = [
        "Hwasong-18 and KN-23, x Hwasong-18; 3abc-18 a-1 ab-1234 ab-12-3 -ab-12 ab_cd-12",
        "é ab-12x, ab--12, ab-12_ (ab-12) ab-١٢ F-16s Su-0 the 1st, 2nd, 03rd and 1000th",
        "الحزمة الـ14 والحزمة ال007 الثاني عشر الثانية عشرة الرابع الثالث عشر التاسع",
        "عشر الحادي\nعشر الـ٣ COVID-19 MiG-29-K 16th-century 21st",
        "the 17th package on July 13th; the 17th of January, the 18th and the 17th again",
        "صوت 12 من الدول الأعضاء الـ15 على الحزمة الـ15 والحزمة الـ15",
    ]
    for text in texts:
        assert dict(event_number_counts(text)) == _per_word(text), text
    assert event_numbers(texts[0]) == {"m18", "m23"}  # the rest are not designations
