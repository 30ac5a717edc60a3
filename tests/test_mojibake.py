"""Text once mis-decoded as Latin-1 and saved as UTF-8 is repaired at decode (issue 16:
42 of 181 real text dumps were like this)."""

from __future__ import annotations

from monitor.text.decode import decode


def test_mojibake_in_valid_utf8_is_repaired() -> None:
    clean = "We’d buy a game — then repeat… «Дайджест» 엘제이의 리벤지"
    garbled = clean.encode("utf-8").decode("latin-1").encode("utf-8")
    text, encoding = decode(garbled)
    assert text == clean
    assert encoding == "utf-8"


def test_ordinary_text_with_accents_and_arabic_is_left_alone() -> None:
    text = "Café à Genève, naïve façade — «citation» ©2024\nقالت الوكالة إن المحادثات ستستأنف"
    assert decode(text.encode("utf-8"))[0] == text
