"""A place listed in one Arabic spelling is found in the others real news uses (issue 17:
Arabic misses were places under spellings no list holds): the final ا written ة, a medial
و or ي left out. A variant that is an everyday word, or an alias that counts only in
context, is never made a name."""

from __future__ import annotations

import pytest
import taggers

from monitor.tagging.spellings import place_spellings


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("وقصفت القوات ميناء أوديسة ليلا", "Odesa"),  # listed: أوديسا
        ("واستعادت القوات مدينة خرسون", "Kherson"),  # listed: خيرسون
        ("ووصلت السفن إلى سفاستوبول", "Sevastopol"),  # listed: سيفاستوبول
        ("وأجرى الأسطول مناورات قرب فلاديفستوك", "Vladivostok"),  # listed: فلاديفوستوك
    ],
)
def test_a_place_is_found_in_another_spelling(text: str, place: str) -> None:
    assert place in taggers.names(text)


def test_the_spellings_change_one_thing_and_spare_hamza_and_short_names() -> None:
    assert place_spellings("خيرسون") == ["خرسون"]
    assert "أوديسة" in place_spellings("أوديسا")
    assert place_spellings("سيئول") == []  # a letter beside a hamza carries it
    assert place_spellings("كييف") == []  # too short: كيف is "how"
    assert place_spellings("البحر") == []  # a word with the article is no place's name


def test_a_spelling_that_is_an_everyday_word_or_a_context_alias_is_no_place() -> None:
    # سيول ("floods") is Seoul only beside Korea; no variant of سيئول makes it always Seoul.
    assert "Seoul" not in taggers.names("وضربت سيول جارفة القرى الجبلية")
    assert taggers.names("قال كيف يمكن ذلك") == set()
