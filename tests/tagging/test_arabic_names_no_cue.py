"""Arabic names that no title introduces, and the beat's actors in their usual Arabic
spellings (issue 17, fresh train excerpts): a name after a country's adjective (الروسي
أليكسي ماكاروف), before a title in apposition (بهروز X، المتحدث باسم), a transliterated name
spelt with a hamza on its first alif (أليبوف is no definite noun), and words that are no
names (مسؤولون محليون, "local officials"; two words run together by a comma). The sentences
are written for the test; their shapes are those of real news."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.terms import Document


def _people(text: str) -> list[str]:
    entities = taggers.entities()
    doc = Document(text)
    return [m.name for m in entities.unlinked(doc, entities.tag(doc)) if m.kind == "person"]


def _linked(text: str) -> set[str]:
    return {e.name for e in taggers.entities().tag(Document(text))}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A comma after the title's complement, then a name whose first word has a hamza.
        (
            "أعلن السفير الروسي لدى الهند، دينيس أليبوف، اليوم أن موسكو ملتزمة بالعقد.",
            "دينيس أليبوف",
        ),
        # After a country's adjective: a sanctions list, a crew.
        ("وسيتحركون ضد ستة أفراد، من بينهم الروسي أليكسي ماكاروف. ويطلق عليه", "أليكسي ماكاروف"),
        (
            "ويضم طاقم المركبة الأمريكي كريستوفر ويليامز، وفق ما أفاد ممثل الوكالة.",
            "كريستوفر ويليامز",
        ),
        # A transliterated name one of whose syllables Arabic text uses (ريك, جوجو: under
        # the bar of a common first name), the other rare.
        (
            "وبقي في المحطة الروسي ميخايل تيورين، والأمريكي ريك ماستراكيو، حتى الربيع.",
            "ريك ماستراكيو",
        ),
        ("وفاز في المباراة الأولى على الكرواتي بورنا جوجو بمجموعتين دون مقابل.", "بورنا جوجو"),
        # Before a title set off by a comma.
        (
            "ولدى وصوله إلى طهران، استقبله في المطار يانيس ماركوبولوس، المتحدث باسم الوزارة.",
            "يانيس ماركوبولوس",
        ),
        # Particles inside a foreign name (von der), and a common Arabic first name.
        ("وأكد أورسولا فون دير لين ، رئيس المفوضية الأوروبية، أن العقوبات", "أورسولا فون دير لين"),
        (
            "نقلا عن المتحدث باسم وزارة الخارجية حسين جابر أنصاري: إن الشحنة وصلت",
            "حسين جابر أنصاري",
        ),
        # A transliterated first name starts a name with no title at all.
        (
            "استقبل الوزير اليوم بالرباط، فلاديمير بايباكوف، الذي قدم نسخا من أوراق اعتماده.",
            "فلاديمير بايباكوف",
        ),
        # A department head: قسم completes the title.
        (
            "وأدرج على القائمة مدير قسم الرقابة العملية يفغيني غرابتشاك في وزارة الطاقة.",
            "يفغيني غرابتشاك",
        ),
    ],
)
def test_a_name_without_a_title_before_it_is_kept(text: str, name: str) -> None:
    assert name in _people(text)


@pytest.mark.parametrize(
    "text",
    [
        "وأكد مسؤولون محليون الهجوم لكنهم قالوا إنهم ليسوا لديهم معلومات.",
        "وقال بيسكوف،في تصريحات صحفية نقلتها وكالة تاس، إن بلاده لا تخشى العقوبات.",
        "الجانب الروسي يرى أن الجيش الروسي قصف مواقع في المدينة.",
        "أدين الهجوم الروسي بالصواريخ والمسيرات على المدن الأوكرانية.",
        'بتزويد تلك الشركات للجانب الروسي "برقاقات متكاملة ذات منشأ أميركي".',
        # جو is "the weather" as well as Joe: not listed as a first name that starts a name.
        "وكان جو حار يسود المدينة طوال اليوم.",
        # After a title's comma the sentence goes on: قبيل ("shortly before") is no name.
        "وقال الممثل الأعلى للسياسة الخارجية للاتحاد الأوروبي، قبيل انعقاد اجتماع الوزراء، إن",
    ],
)
def test_words_after_an_adjective_or_a_verb_are_no_name(text: str) -> None:
    assert _people(text) == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("أعلن سلاح الجو الأوكراني اليوم إسقاط 84 طائرة مسيرة.", "Ukrainian Air Force"),
        ("وقالت القوات الجوية الأوكرانية إن الدفاعات أسقطت الصاروخ.", "Ukrainian Air Force"),
        ("حسبما ذكرت وكالة الأنباء الوطنية الأوكرانية يوكرينفورم.", "Ukrinform"),
        ("أسقطت طائرات في أقاليم بولتافا وتشيركاسي ودنيبروبتروفسك.", "Dnipropetrovsk"),
        ("أسقطت طائرات في أقاليم بولتافا وتشيركاسي ودنيبروبتروفسك.", "Cherkasy"),
        ("أطلقت من مناطق أوريول وبريانسك وميلروفو الروسية.", "Millerovo"),
        ("كوريا الشمالية أطلقت صاروخا باليستيا باتجاه البحر الشرقي.", "Sea of Japan"),
        ("قال رئيس شركة روستيخ سيرغي تشيميزوف إن المنظومة ستسلم.", "Sergei Chemezov"),
        (
            "قرار المجلس الأعلى للأمن القومي الإيراني بشأن التعاون.",
            "Supreme National Security Council of Iran",
        ),
        ("وقال مكتب الرقابة على الأصول الأجنبية إن القائمة تشمل مسؤولين.", "OFAC"),
        # Countries the list lacked, by name and by adjective.
        ("قدم سفيرا أوغندا وتنزانيا أوراق اعتمادهما، ووصل وفد من النيجر.", "Uganda"),
        ("قدم سفيرا أوغندا وتنزانيا أوراق اعتمادهما، ووصل وفد من النيجر.", "Niger"),
        ("وقال وزير الدفاع الموريتاني إن بلاده تراقب الحدود.", "Mauritania"),
    ],
)
def test_the_beats_regular_actors_in_their_usual_arabic_spellings(text: str, entity: str) -> None:
    assert entity in _linked(text)


def test_the_east_sea_is_the_sea_of_japan_only_beside_korea() -> None:
    # البحر الشرقي is "the eastern sea" anywhere else.
    assert "Sea of Japan" not in _linked("افتتح المنتجع الجديد على شاطئ البحر الشرقي للمدينة.")
