"""Arabic unlisted names: where a name after a title stops (issue 17, real news).

Real Arabic news puts common nouns where a name could stand: after a title whose name is
already linked (الرئيس بوتين على شاشة ...), after a title with no name at all (الملك بمرض
غامض), and after a name (أريين روبن هدفاً). None of those words is a person.
"""

from __future__ import annotations

import pytest
from taggers import unlinked


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A linked person fills the title's name slot: what follows is no name.
        ("وفي اليوم الرابع ظهر الرئيس بوتين علي شاشة التلفزيون وهو في عطلته.", []),
        ("بدأت إدارة الرئيس الأمريكي دونالد ترامب تواصلا مباشرا مع روسيا.", []),
        # A preposition on an everyday word (ب + مرض) is no first name.
        ("حيث يُصاب الملك بمرض غامض يعتقد أنه قاتل.", []),
        # Tanween marks an indefinite common noun: the name stops before it.
        ("سجل النجم الهولندي أريين روبن هدفاً صاروخياً بتسديدة على الطاير.", ["أريين روبن"]),
        ("أصدر النائب العام قراراً بحظر النشر في القضية.", []),
        # Names that start like a preposition stay names.
        ("وقال المتحدث باسم الخارجية بريان نيكولز إن المحادثات مستمرة.", ["بريان نيكولز"]),
        ("وقال السفير كمال حسن إن بلاده مستعدة.", ["كمال حسن"]),
        # A dual of an everyday participle or nisba adjective ("two Zionist officials")
        # is no name; a transliterated name ending the same way stays one.
        ("وقال مسؤولان صهيونيان إن الضربة كانت محدودة.", []),
        ("وقال الرئيس البلغاري رومين راديف إن بلاده مستعدة.", ["رومين راديف"]),
    ],
)
def test_a_name_after_an_arabic_title_stops_at_common_words(text: str, names: list[str]) -> None:
    assert unlinked(text) == names
