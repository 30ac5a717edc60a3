"""Names the gazetteer does not list: found by their titles and verbs, kept unlinked."""

from __future__ import annotations

import re

import pytest
import taggers
from taggers import unlinked

from monitor.tagging.entities import load_gazetteer
from monitor.tagging.terms import Document


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Russian Deputy Foreign Minister Mikhail Galuzin said the talks went well.",
            ["Mikhail Galuzin"],
        ),
        ("Ambassador Anatoly Antonov met officials on Monday.", ["Anatoly Antonov"]),
        (
            "“We are ready,” said Jack Watling, a senior research fellow at RUSI.",
            ["Jack Watling"],
        ),
        ("Lee Min-ho said the launch failed.", ["Lee Min-ho"]),
        (
            "Onboard are cosmonauts Sergey Ryzhikov and Alexey Zubritsky, with astronaut Jonny Kim.",
            ["Alexey Zubritsky", "Jonny Kim", "Sergey Ryzhikov"],
        ),
        ("The ministry's spokesperson, Jane Doe-Smith.", ["Jane Doe-Smith"]),
        # listed people are linked, never repeated as unlinked names
        ("Foreign Minister Sergei Lavrov said the talks went well.", []),
        # institutions and countries before a verb are not people
        ("The State Department said North Korea fired a missile.", []),
        (
            "وقال نائب وزير الخارجية الروسي ميخائيل غالوزين إن بلاده مستعدة.",
            ["ميخائيل غالوزين"],
        ),
        (
            "وأكد السفير الروسي لدى كوريا الجنوبية غيورغي زينوفييف أن العلاقات جيدة.",
            ["غيورغي زينوفييف"],
        ),
        (
            "ووقع رئيس منظمة الطاقة الذرية الإيرانية، محمد رضا عارف، الاتفاقية.",
            ["محمد رضا عارف"],
        ),
        ("وقال المتحدث باسم الكرملين ديمتري بيسكوف إن موسكو لن ترد.", []),
        ("قالت وكالة الأنباء المركزية الكورية إن الإطلاق نجح.", []),
    ],
)
def test_unlisted_names_after_titles_and_verbs(text: str, names: list[str]) -> None:
    assert unlinked(text) == names


def test_an_unlinked_name_keeps_its_surface_forms_and_count() -> None:
    doc = Document("Ambassador Anatoly Antonov spoke. Later, said Anatoly Antonov, all is well.")
    (mention,) = taggers.entities().unlinked(doc, taggers.entities().tag(doc))
    assert (mention.name, mention.kind, mention.count, mention.linked) == (
        "Anatoly Antonov",
        "person",
        2,
        False,
    )
    assert mention.mentions == ("Anatoly Antonov",)


def test_linked_entities_stay_linked() -> None:
    doc = Document("Sergei Lavrov met Choe Son Hui in Moscow.")
    assert all(e.linked for e in taggers.entities().tag(doc))


COUNTRY_TABLE = re.compile(r'^\["([^"]+)"\]\nkind = "country"\naliases = \[(.*?)\]$', re.M)


def test_every_country_is_found_by_its_adjective_and_plural_in_both_languages() -> None:
    """An analyst reads "the Russian side", "الجانب الروسي", "الروس": the country."""
    gazetteer = load_gazetteer()
    countries = [n for n, e in gazetteer.entries.items() if e.kind == "country" and e.enabled]
    assert len(countries) >= 38
    for name in countries:
        aliases = gazetteer.entries[name].aliases
        arabic_adjectives = [a for a in aliases if a.startswith("ال") and a.endswith(("ي", "ية"))]
        plurals = [a for a in aliases if a.startswith("ال") and a.endswith(("يون", "يين"))]
        english = [a for a in aliases if a.isascii() and a != name and a[:1].isupper()]
        assert arabic_adjectives, f"{name}: no Arabic adjective (الـ...ي)"
        assert english, f"{name}: no English adjective or other name"
        for form in [*arabic_adjectives[:2], *plurals[:1]]:
            doc = Document(f"وقال الجانب {form} إن المحادثات مستمرة")
            assert name in {e.name for e in taggers.entities().tag(doc)}, (name, form)
        for form in english:
            doc = Document(f"The {form} side said the talks would go on.")
            assert name in {e.name for e in taggers.entities().tag(doc)}, (name, form)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("قال الروس إن الاتفاق قائم", "Russia"),
        ("The North Korean side rejected the statement.", "North Korea"),
        ("Russians and Ukrainians met in Istanbul.", "Russia"),
        ("أعلن الأمريكيون أنهم سيرسلون وفدا", "United States"),
    ],
)
def test_plural_and_adjective_forms(text: str, country: str) -> None:
    assert country in {e.name for e in taggers.entities().tag(Document(text))}


def test_a_country_inside_an_institutions_name_is_kept_beside_it() -> None:
    doc = Document("قالت وزارة الدفاع الكورية الجنوبية إن الشمال أطلق صاروخا")
    names = {e.name for e in taggers.entities().tag(doc)}
    assert {"South Korean Ministry of National Defense", "South Korea"} <= names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Treasury's OFAC designated the firms.", "OFAC"),
        ("Rosatom said the plant is on schedule.", "Rosatom"),
        (
            "قالت هيئة الأركان المشتركة إن الصاروخ سقط في البحر",
            "South Korean Joint Chiefs of Staff",
        ),
        ("Kim Yo Jong warned Seoul.", "Kim Yo Jong"),
        ("IAEA chief Rafael Grossi visited the plant.", "Rafael Grossi"),
        ("Maria Zakharova told reporters.", "Maria Zakharova"),
        # Issue 17, tag17ag: the arms-export regulator, a wire service, Russia's far east.
        (
            "Director of the Federal Service for Military-Technical Cooperation spoke.",
            "Federal Service for Military-Technical Cooperation",
        ),
        (
            "وقالت الهيئة الفيدرالية الروسية للتعاون العسكري التقني",
            "Federal Service for Military-Technical Cooperation",
        ),
        ("The troops trained in Russia's Far East.", "Russian Far East"),
        ("وأفادت وكالة الأنباء الألمانية أن", "dpa"),
        ("the Guardian reported on Tuesday.", "The Guardian"),
        ("الوزير الصيني وانغ إي", "Wang Yi"),
    ],
)
def test_the_beats_regular_actors_are_listed(text: str, name: str) -> None:
    assert name in {e.name for e in taggers.entities().tag(Document(text))}


def test_far_east_alone_is_not_russias_and_russia_keeps_its_word() -> None:
    names = {e.name for e in taggers.entities().tag(Document("Trade grew across the Far East."))}
    assert "Russian Far East" not in names
    text = "Russia's Far East hosts the base."
    names = {e.name for e in taggers.entities().tag(Document(text))}
    assert {"Russia", "Russian Far East"} <= names
