"""Arabic unlisted names on new publishers (issue 17, tag17ah): the general rules.

Sentences marked (train) follow excerpts of the real set's train split
(tests/data/tagging/real_ar.jsonl); the others were written for this test, with names the
gazetteer does not list. Each case failed before the rule it checks.
"""

from __future__ import annotations

import pytest
from taggers import unlinked


def test_a_first_name_shared_with_a_linked_person_is_another_person() -> None:
    """(train, rar-401) another Vladimir beside a linked Vladimir Putin is still found; the
    linked person's own full name is not repeated as unlinked."""
    text = (
        "وكان الرئيس الروسي فلاديمير بوتين قد عين السفير الجديد. واستقبل الوزير "
        "بالرباط، فلاديمير بايباكوف، الذي قدم أوراق اعتماده."
    )
    assert unlinked(text) == ["فلاديمير بايباكوف"]
    assert unlinked("وقال الرئيس فلاديمير بوتين إن المحادثات مستمرة.") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # (train, rar-471 shape) a governor of a region, the comma written apart.
        (
            "قال حاكم منطقة كورسك الروسية ، فينيامين بوريسينكو ، إن مسيرة سقطت.",
            ["فينيامين بوريسينكو"],
        ),
        # (fresh, rar-582 shape) a region named by its city, the comma on the word.
        ("وقال حاكم منطقة أوديسا، أوليكسي كيبرينكو، إن المنطقة تعرضت لهجوم.", ["أوليكسي كيبرينكو"]),
        # (train, rar-374 shape) a portfolio under a pronoun ("its foreign minister").
        ("بعد أن ألقى وزير خارجيتها تشوي هيونغ كوان خطابا في الجمعية العامة.", ["تشوي هيونغ كوان"]),
        # (train, rar-410 shape) "his two counterparts", the first after a country adjective.
        (
            "تلبية لدعوة من نظيريه الهنغاري ماتياش كوفاتش والإيطالي أنطونيو تاياني.",
            ["أنطونيو تاياني", "ماتياش كوفاتش"],
        ),
        # (train, rar-377 shape) the chief of a cabinet's secretaries.
        (
            "وأضاف كبير أمناء مجلس الوزراء تاكيشي ساكوراباشي أنه لم ترد تقارير.",
            ["تاكيشي ساكوراباشي"],
        ),
        # (train, rar-249 shape) a consul, after a comma.
        ("بحضور القنصل العراقي في روسيا، كريم الشمرتي.", ["كريم الشمرتي"]),
    ],
)
def test_more_title_cues_and_complements(text: str, names: list[str]) -> None:
    assert unlinked(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # (train, rar-494 shape) two names joined by و after a listed first name.
        (
            "فرض الاتحاد عقوبات على ماريا كوزنتسوفا وكاترينا بيلوسوفا من زواج سابق.",
            ["ماريا كوزنتسوفا", "كاترينا بيلوسوفا"],
        ),
        # After a title the second name takes the same title.
        (
            "تلبية لدعوة من نظيريه ماتياش كوفاتش وأنطونيو تاياني.",
            ["ماتياش كوفاتش", "أنطونيو تاياني"],
        ),
        # A guard (passes before too): و on a word commoner with it than without it is a
        # name's own (وليد).
        ("وقال المدير محمد وليد إن العمل مستمر.", ["محمد وليد"]),
    ],
)
def test_a_second_name_joined_by_and_is_its_own(text: str, names: list[str]) -> None:
    assert sorted(unlinked(text)) == sorted(names)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # (train, rar-282 shape) شي ("thing") and بين ("between") beside جين.
        ("وقال الرئيس الصيني شي جين بين إن البلدين جاران.", ["شي جين بين"]),
        # (train, rar-457 shape) لي ("to me") and هو ("he") beside يون, after a comma.
        ("ويزور وزير خارجية كوريا الجنوبية، لي يون هو، اليابان.", ["لي يون هو"]),
        # (train, rar-341 shape) a quoted name after a spokeswoman's title.
        ('وقالت المتحدثة باسم الوزارة "تشونغ بين نا" إن المناورات ستجرى.', ["تشونغ بين نا"]),
        # Guards (pass before too): the same words beside no such syllable are no name.
        ("وقال لي مسؤول كبير إن الوضع هادئ.", []),
        ("وقال الوزير هو إن الوضع هادئ.", []),
    ],
)
def test_korean_and_chinese_syllables_that_are_arabic_words(text: str, names: list[str]) -> None:
    assert [n for n in unlinked(text) if n != "وزارة"] == names


def test_a_common_name_part_shared_with_a_linked_person_is_another_person() -> None:
    """(fresh2, rar-612 shape) محمد and سلمان, words of a linked محمد بن سلمان, are many
    people's: another president named محمد is still found, and so is بن inside a name."""
    text = (
        "وعقد الأمير محمد بن سلمان لقاءات مع قادة الدول، بينهم الرئيس الغوياني محمد عرفان "
        "علي، والملك سلمان بن حمد الخليفة."
    )
    assert unlinked(text) == ["سلمان بن حمد", "محمد عرفان علي"]


def test_a_name_part_inside_a_name_after_a_title() -> None:
    """(train, rar-175 shape) بن is a stop word, and a name's word between two names."""
    assert unlinked("وقال الشيخ جاسم بن منصور مدير المكتب إن القمة ناجحة.") == ["جاسم بن منصور"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # (train, rar-545 shape) a name right before a title in the construct state, no
        # comma; the word before it ("suspending") is too common to start the name.
        ("وتقرر إيقاف محمد إبراهيم مهاجم الزمالك مباراتين.", ["محمد إبراهيم"]),
        # A guard (passes before too): a title with the article names nobody before it.
        ("وتقرر إيقاف المهاجم مباراتين بسبب الطرد.", []),
    ],
)
def test_a_name_right_before_a_construct_title(text: str, names: list[str]) -> None:
    assert unlinked(text) == names
