from __future__ import annotations

from monitor.text.normalize import normalize, words


def test_arabic_marks_and_tatweel_are_removed() -> None:
    assert normalize("عُقُوبَاتٌ") == normalize("عقوبات")
    assert normalize("عقـــوبات") == "عقوبات"


def test_arabic_letter_forms_are_folded() -> None:
    assert normalize("أسلحة") == normalize("اسلحه")
    assert normalize("إيران") == normalize("ايران")
    assert normalize("موسيقى") == "موسيقي"
    assert normalize("مسؤول") == "مسوول"


def test_latin_case_and_accents_are_folded() -> None:
    assert normalize("Sanctions ÉCONOMIQUES") == "sanctions economiques"
    assert normalize("Straße") == normalize("STRASSE")


def test_invisible_characters_and_spaces() -> None:
    assert normalize("كيم\u200f  جونغ\n\nأون") == "كيم جونغ اون"


def test_words_drop_punctuation() -> None:
    assert words("«العقوبات»، قال: Sanctions!") == ["العقوبات", "قال", "sanctions"]


def test_accents_are_folded_inside_arabic_text_too() -> None:
    # One accented letter of each script range in an otherwise Arabic text, short or as
    # long as an article: a letter must not be missed for the Arabic around it.
    for arabic in ("قال", "قال الوزير " * 100):
        for letter, folded in [("É", "e"), ("ő", "o"), ("й", "и"), ("ά", "α"), ("ḍ", "d")]:
            assert (
                normalize(f"{arabic} {letter}ric اليوم")
                == normalize(arabic) + f" {folded}ric اليوم"
            )
        assert normalize(arabic + " Eric") == normalize(arabic) + " eric"
